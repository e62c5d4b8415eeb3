package dev.merit.cli;

import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `merit verify N` exits 1 and prints what differs when a stored proposal was changed behind Merit's back (a line's
 * amount and the model hash in its inputs, named by one run; the order of its Merkle leaves; every case alone is
 * VerificationTamperTest's, through the same verification), and the restored proposal verifies again. May 2064 (no
 * other test pays it).
 */
@QuarkusMainTest
@WithTestResource(PostgresResource.class)
class VerifyCommandTest {

    @Test
    void aTamperedProposalFailsAndTheDifferenceIsNamed(QuarkusMainLauncher launcher) throws Exception {
        TestRepo r = TestRepo.create("merit-cli-verify", Instant.parse("2064-05-01T00:00:00Z"));
        r.write("a.txt", "one\ntwo\nthree\n").commit("feat: a", "Ivy Verify", "ivy@verify.example");
        r.write("b.txt", "four\n").commit("fix: b", "Jon Verify", "jon@verify.example");
        assertThat(launcher.launch("ingest", r.path()).exitCode()).isZero();
        LaunchResult payroll = launcher.launch("payroll", "--epoch", "2064-05", "--budget", "10");
        assertThat(payroll.exitCode()).as(payroll.getErrorOutput()).isZero();
        String proposal = payroll.getOutput().replaceAll("(?s).*merit verify (\\d+).*", "$1");

        try (Connection db = DriverManager.getConnection(PostgresResource.jdbcUrl(), "postgres", "postgres")) {
            List<String[]> lines = rows(db, "select id, contributor_id, amount from payout_line where proposal_id = ? "
                    + "order by rank", proposal);
            java.nio.file.Path csv = java.nio.file.Files.createTempFile("merit-verify-wallets", ".csv");
            StringBuilder wallets = new StringBuilder("identity,address\n");
            for (int i = 0; i < lines.size(); i++) {
                wallets.append('#').append(lines.get(i)[1]).append(',').append(String.format("0x%040x", 2064_000 + i)).append('\n');
            }
            java.nio.file.Files.writeString(csv, wallets);
            LaunchResult linked = launcher.launch("wallet", "import", csv.toString());
            assertThat(linked.exitCode()).as(linked.getOutput() + linked.getErrorOutput()).isZero();
            java.nio.file.Files.delete(csv);
            LaunchResult onChain = launcher.launch("chain", "propose", proposal);
            assertThat(onChain.exitCode()).as(onChain.getErrorOutput()).isZero();

            // Changes behind Merit's back (each case alone: VerificationTamperTest, through the API): a line's amount
            // and the model hash in the inputs, both named by one run; then the order of the Merkle leaves.
            String inputs = rows(db, "select inputs from payout_proposal where id = ?", proposal).get(0)[0];
            String leaves = rows(db, "select leaves from chain_proposal where payout_proposal_id = ?", proposal).get(0)[0];
            String[] ivy = lines.get(0);
            update(db, "update payout_line set amount = amount + 1 where id = ?", ivy[0]);
            String hash = inputs.replaceAll("(?s).*\"hash\":\"([0-9a-f]{64})\".*", "$1");
            update(db, "update payout_proposal set inputs = replace(inputs, '" + hash + "', '" + "0".repeat(64)
                    + "') where id = ?", proposal);
            assertFails(launcher, proposal, "line of Ivy Verify (merit:" + ivy[1] + "): amount stored "
                    + new java.math.BigInteger(ivy[2]).add(java.math.BigInteger.ONE) + ", recomputed " + ivy[2],
                    "model hash: inputs " + "0".repeat(64) + ", scoring run ");
            update(db, "update payout_line set amount = amount - 1 where id = ?", ivy[0]);
            update(db, "update payout_proposal set inputs = ? where id = ?", inputs, proposal);

            String swapped = "[" + leaves.substring(leaves.indexOf("},{") + 2, leaves.length() - 1) + ","
                    + leaves.substring(1, leaves.indexOf("},{") + 1) + "]";
            update(db, "update chain_proposal set leaves = ? where payout_proposal_id = ?", swapped, proposal);
            assertFails(launcher, proposal, "Merkle leaf 0: stored (");
            update(db, "update chain_proposal set leaves = ? where payout_proposal_id = ?", leaves, proposal);
            assertVerifies(launcher, proposal);
        }
    }

    private static void assertVerifies(QuarkusMainLauncher launcher, String proposal) {
        LaunchResult verify = launcher.launch("verify", proposal);
        assertThat(verify.getOutput()).contains("verify ok");
        assertThat(verify.exitCode()).isZero();
    }

    private static void assertFails(QuarkusMainLauncher launcher, String proposal, String... named) {
        LaunchResult verify = launcher.launch("verify", proposal);
        assertThat(verify.exitCode()).as(verify.getOutput()).isEqualTo(1);
        assertThat(verify.getOutput()).contains("verify FAILED").contains(named);
    }

    private static List<String[]> rows(Connection db, String sql, String parameter) throws SQLException {
        try (PreparedStatement q = db.prepareStatement(sql)) {
            q.setLong(1, Long.parseLong(parameter));
            try (ResultSet rs = q.executeQuery()) {
                List<String[]> out = new ArrayList<>();
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    String[] row = new String[n];
                    for (int i = 0; i < n; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    out.add(row);
                }
                return out;
            }
        }
    }

    private static void update(Connection db, String sql, String... parameters) throws SQLException {
        try (PreparedStatement q = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i].matches("\\d+")) {
                    q.setLong(i + 1, Long.parseLong(parameters[i]));
                } else {
                    q.setString(i + 1, parameters[i]);
                }
            }
            assertThat(q.executeUpdate()).as(sql).isEqualTo(1);
        }
    }
}
