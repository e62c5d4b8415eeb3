package dev.merit.payroll;

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
 * Upgrading a database that has payout proposals, on both databases Merit runs on. V25: numbers are handed out one by
 * one, past the block of 50 a process started before the upgrade may still hold (never the same number twice). V26: a
 * proposal governance already found can never be paid (its period taken: final on chain, yet neither superseded nor
 * over) says so; the others do not. V27: a superseded proposal governance still follows is still on chain. V37: merges
 * and scoring runs are numbered one by one as well; V38: contributors, chain transactions, epochs and
 * repositories, from new sequences, with the old ones moved out of an old process's way.
 */
class ProposalMigrationsTest {

    @Test
    void h2() throws SQLException {
        upgrades("jdbc:h2:mem:proposal-migrations;DB_CLOSE_DELAY=-1", "sa", "");
    }

    @Test
    void postgres() throws SQLException {
        upgrades(PostgresResource.freshDatabase("merit_proposal_migrations"), "postgres", "postgres");
    }

    private static void upgrades(String url, String user, String password) throws SQLException {
        Flyway.configure().dataSource(url, user, password).target("24").load().migrate();
        long reservedUpTo;
        long contributorBlockEnd;
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            // A running process took a block of ids (pooled-lo: the sequence's value v reserves v to v + 49).
            long v = one(s, "select nextval('payout_proposal_seq')");
            reservedUpTo = v + 49;
            one(s, "select nextval('contributor_seq')"); // another process's block, and this one's
            contributorBlockEnd = one(s, "select nextval('contributor_seq')") + 49;
            s.execute("insert into epoch (id, name, starts_at, ends_at, budget, token_decimals, min_payout, "
                    + "sqrt_dampening, include_bots, created_at) values (1, 'e', timestamp '2026-01-01 00:00:00', "
                    + "timestamp '2026-02-01 00:00:00', 10, 18, 0, false, false, timestamp '2026-01-01 00:00:00')");
            s.execute("insert into scoring_run (id, epoch_id, model_version, model_hash, input_hash, contribution_count, "
                    + "contributor_count, total_score, created_at) values (1, 1, 'm', '" + "0".repeat(64) + "', '"
                    + "0".repeat(64) + "', 1, 1, 1, timestamp '2026-03-01 00:00:00')");
            // Payouts v to v + 3 (from the reserved block), each on chain: one whose period was taken while its vote
            // ran, one superseded (final, but it says so already), one still open, one superseded and still followed.
            String[][] onChain = {{"ACTIVE", "true"}, {"SUPERSEDED", "true"}, {"ACTIVE", "false"}, {"SUPERSEDED", "false"}};
            for (int i = 0; i < onChain.length; i++) {
                long id = v + i;
                s.execute("insert into payout_proposal (id, epoch_id, scoring_run_id, budget, model_version, content_hash, "
                        + "inputs, status, created_at) values (" + id + ", 1, 1, 10, 'm', '" + "0".repeat(64) + "', '{}', '"
                        + onChain[i][0].toLowerCase() + "', timestamp '2026-03-01 00:00:00')");
                s.execute("insert into chain_proposal (id, payout_proposal_id, governor, vault, onchain_id, vault_epoch, "
                        + "description, calldata, merkle_root, total, leaves, state, votes_for, votes_against, "
                        + "votes_abstain, quorum, created_at, updated_at, chain_final) values (" + (i + 1) + ", " + id
                        + ", '0x', '0x', '" + id + "', '1', 'd', '0x', '0x', 10, '[]', '" + onChain[i][0] + "', 0, 0, 0, "
                        + "0, timestamp '2026-03-01 00:00:00', timestamp '2026-03-01 00:00:00', " + onChain[i][1] + ")");
            }
        }
        Flyway.configure().dataSource(url, user, password).load().migrate();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            long next = one(s, "select nextval('payout_proposal_seq')");
            assertThat(next).as("past the block the old process may still hand out").isGreaterThan(reservedUpTo);
            assertThat(one(s, "select nextval('payout_proposal_seq')")).as("then one by one").isEqualTo(next + 1);
            Map<Long, Boolean> taken = new HashMap<>();
            Map<Long, Boolean> stillOnChain = new HashMap<>();
            try (ResultSet r = s.executeQuery("select id, period_taken, still_on_chain from payout_proposal")) {
                while (r.next()) {
                    taken.put(r.getLong(1), r.getBoolean(2));
                    stillOnChain.put(r.getLong(1), r.getBoolean(3));
                }
            }
            long v = reservedUpTo - 49;
            assertThat(taken).isEqualTo(Map.of(v, true, v + 1, false, v + 2, false, v + 3, false));
            // V27: a superseded payout governance still follows may still pay on chain; the final one may not.
            assertThat(stillOnChain).isEqualTo(Map.of(v, false, v + 1, false, v + 2, false, v + 3, true));
            // An empty table starts at 1: disputes had none.
            assertThat(one(s, "select nextval('dispute_seq')")).isEqualTo(1);
            // V37: merges and scoring runs too; scoring runs had one, so their numbers start past a block.
            assertThat(one(s, "select nextval('contributor_merge_seq')")).isEqualTo(1);
            long run = one(s, "select nextval('scoring_run_seq')");
            assertThat(run).isGreaterThan(1);
            assertThat(one(s, "select nextval('scoring_run_seq')")).isEqualTo(run + 1);
            // V38: contributors (and chain transactions, epochs, repositories) from a new sequence, one by one, past
            // the block the old process holds; the old sequence gives that process its next block far beyond.
            long contributor = one(s, "select nextval('contributor_number_seq')");
            assertThat(contributor).as("past the old process's block").isGreaterThan(contributorBlockEnd);
            assertThat(one(s, "select nextval('contributor_number_seq')")).isEqualTo(contributor + 1);
            assertThat(one(s, "select nextval('contributor_seq')")).as("the old process's next block")
                    .isGreaterThanOrEqualTo(1_000_000_000L);
            assertThat(one(s, "select nextval('chain_tx_number_seq')")).as("never used: from 1").isEqualTo(1);
            assertThat(one(s, "select nextval('chain_tx_number_seq')")).isEqualTo(2);
        }
    }

    private static long one(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
