package dev.merit.epoch;

import dev.merit.support.PostgresResource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * V36 on both databases Merit runs on: every epoch gets its name's key; epochs created before names differing only by
 * case were one name keep theirs, the first with the key and the later ones with none; a new epoch under such a name
 * is then refused by the database itself.
 */
class EpochNameKeyMigrationTest {

    @Test
    void h2() throws SQLException {
        upgrades("jdbc:h2:mem:epoch-name-key;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH", "sa", "");
    }

    @Test
    void postgres() throws SQLException {
        upgrades(PostgresResource.freshDatabase("merit_epoch_name_key"), "postgres", "postgres");
    }

    private static void upgrades(String url, String user, String password) throws SQLException {
        Flyway.configure().dataSource(url, user, password).target("35").load().migrate();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            String[] names = {"May 2026", "may 2026", "June 2026", "MAY 2026"};
            for (int i = 0; i < names.length; i++) {
                s.execute("insert into epoch (id, name, starts_at, ends_at, budget, token_decimals, min_payout, "
                        + "sqrt_dampening, include_bots, created_at) values (" + (i + 1) + ", '" + names[i] + "', "
                        + "timestamp '2026-01-01 00:00:00', timestamp '2026-02-01 00:00:00', 10, 18, 0, false, false, "
                        + "timestamp '2026-01-01 00:00:00')");
            }
        }
        Flyway.configure().dataSource(url, user, password).load().migrate();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            Map<Long, String> keys = new LinkedHashMap<>();
            try (ResultSet r = s.executeQuery("select id, name_key from epoch order by id")) {
                while (r.next()) {
                    keys.put(r.getLong(1), r.getString(2));
                }
            }
            assertThat(keys).containsOnlyKeys(1L, 2L, 3L, 4L);
            assertThat(keys.get(1L)).isEqualTo("may 2026");
            assertThat(keys.get(2L)).isNull();
            assertThat(keys.get(3L)).isEqualTo("june 2026");
            assertThat(keys.get(4L)).isNull();
            assertThatThrownBy(() -> s.execute("insert into epoch (id, name, name_key, starts_at, ends_at, budget, "
                    + "token_decimals, min_payout, sqrt_dampening, include_bots, created_at) values (5, 'JUNE 2026', "
                    + "'june 2026', timestamp '2026-01-01 00:00:00', timestamp '2026-02-01 00:00:00', 10, 18, 0, "
                    + "false, false, timestamp '2026-01-01 00:00:00')")).isInstanceOf(SQLException.class);
        }
    }
}
