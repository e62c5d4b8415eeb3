package dev.merit.scoring;

import dev.merit.support.PostgresResource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upgrading a database with scoring runs and bot marks: V19 gives each run's standings the flag the contributor had
 * when the run scored (what the first mark after the run says it was), on both databases Merit runs on.
 */
class RunBotBackfillTest {

    @Test
    void h2() throws SQLException {
        String url = "jdbc:h2:mem:backfill;DB_CLOSE_DELAY=-1";
        upgradesWithTheFlagOfEachRunsTime(url, "sa", "");
    }

    @Test
    void postgres() throws SQLException {
        upgradesWithTheFlagOfEachRunsTime(PostgresResource.freshDatabase("merit_backfill"), "postgres", "postgres");
    }

    private static void upgradesWithTheFlagOfEachRunsTime(String url, String user, String password) throws SQLException {
        Flyway.configure().dataSource(url, user, password).target("18").load().migrate();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            // Robot (1): a person in run 10, marked a bot between runs 10 and 11. Jan (2): a bot in both runs, marked a
            // person after run 11. Ann (3): never marked, a person. Ops (4): never marked, a bot.
            s.execute("insert into contributor (id, display_name, bot, created_at) values "
                    + "(1, 'Release Robot', true, timestamp '2026-01-01 00:00:00'), "
                    + "(2, 'Jan Bot', false, timestamp '2026-01-01 00:00:00'), "
                    + "(3, 'Ann', false, timestamp '2026-01-01 00:00:00'), "
                    + "(4, 'Ops Bot', true, timestamp '2026-01-01 00:00:00')");
            s.execute("insert into epoch (id, name, starts_at, ends_at, budget, token_decimals, min_payout, "
                    + "sqrt_dampening, include_bots, created_at) values (1, 'e', timestamp '2026-01-01 00:00:00', "
                    + "timestamp '2026-02-01 00:00:00', 10, 18, 0, false, false, timestamp '2026-01-01 00:00:00')");
            for (int[] run : new int[][] {{10, 2}, {11, 4}}) {
                s.execute("insert into scoring_run (id, epoch_id, model_version, model_hash, input_hash, "
                        + "contribution_count, contributor_count, total_score, created_at) values (" + run[0]
                        + ", 1, 'm', '" + "0".repeat(64) + "', '" + "0".repeat(64) + "', 1, 4, 4, "
                        + "timestamp '2026-03-0" + run[1] + " 00:00:00')");
                for (int who = 1; who <= 4; who++) {
                    s.execute("insert into contributor_score (id, run_id, contributor_id, total, contributions, rank) "
                            + "values (" + (run[0] * 10 + who) + ", " + run[0] + ", " + who + ", 1, 1, " + who + ")");
                }
            }
            s.execute("insert into contributor_bot_mark (id, contributor_id, bot, was_bot, marked_by, marked_at) values "
                    + "(1, 1, true, false, 'treasurer', timestamp '2026-03-03 00:00:00'), "
                    + "(2, 2, false, true, 'treasurer', timestamp '2026-03-05 00:00:00')");
        }
        Flyway.configure().dataSource(url, user, password).load().migrate();
        Map<Integer, Boolean> bot = new HashMap<>();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select id, bot from contributor_score")) {
            while (r.next()) {
                bot.put(r.getInt(1), r.getBoolean(2));
            }
        }
        assertThat(bot).isEqualTo(Map.of(
                101, false, 102, true, 103, false, 104, true,
                111, true, 112, true, 113, false, 114, true));
    }
}
