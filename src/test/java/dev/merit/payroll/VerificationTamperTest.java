package dev.merit.payroll;

import dev.merit.contributor.Wallets;
import dev.merit.support.Api;
import dev.merit.support.PostgresResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stored proposal changed behind Merit's back (a line's amount or score, the policy or model hash in its inputs, a
 * wallet, the order of its Merkle leaves) fails verification, and the verification names what changed. Each test
 * restores what it changed. The payout is of May 2063 (no other test pays that period).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class VerificationTamperTest {

    private static Long proposal;

    @Inject
    Wallets wallets;

    @Inject
    EntityManager em;

    private String inputs;
    private String leaves;
    private List<Object[]> lines;

    @BeforeEach
    void payoutOnChain() {
        if (proposal == null) {
            proposal = Api.payoutOnChain("tamper", 2063, wallets);
        }
        QuarkusTransaction.requiringNew().run(() -> {
            inputs = (String) em.createNativeQuery("select inputs from payout_proposal where id = ?1")
                    .setParameter(1, proposal).getSingleResult();
            leaves = (String) em.createNativeQuery("select leaves from chain_proposal where payout_proposal_id = ?1")
                    .setParameter(1, proposal).getSingleResult();
            lines = em.createNativeQuery("select id, amount, score, wallet from payout_line where proposal_id = ?1 "
                    + "order by rank", Object[].class).setParameter(1, proposal).getResultList();
        });
        assertThat(lines).hasSize(2);
    }

    @AfterEach
    void restore() {
        sql("update payout_proposal set inputs = ?1 where id = ?2", inputs, proposal);
        sql("update chain_proposal set leaves = ?1 where payout_proposal_id = ?2", leaves, proposal);
        for (Object[] line : lines) {
            sql("update payout_line set amount = ?1, score = ?2, wallet = ?3 where id = ?4", line[1], line[2], line[3],
                    line[0]);
        }
        assertThat(verification().getBoolean("ok")).as("restored").isTrue();
    }

    @Test
    void theUntouchedProposalVerifies() {
        JsonPath v = verification();
        assertThat(v.getBoolean("ok")).isTrue();
        assertThat(v.getList("mismatches")).isEmpty();
    }

    @Test
    void aChangedLineAmountIsNamed() {
        sql("update payout_line set amount = amount + 1 where id = ?1", lines.get(0)[0]);
        JsonPath v = failed();
        assertThat(v.getBoolean("amountsMatch")).isFalse();
        assertThat(v.getList("mismatches", String.class)).anyMatch(m -> m.matches(
                "line of Ann tamper \\(merit:\\d+\\): amount stored " + plusOne(lines.get(0)[1]) + ", recomputed "
                        + lines.get(0)[1]));
    }

    @Test
    void aChangedLineScoreIsNamed() {
        sql("update payout_line set score = score * 2 where id = ?1", lines.get(1)[0]);
        assertThat(failed().getList("mismatches", String.class)).anyMatch(m -> m.matches(
                "line of Ben tamper \\(merit:\\d+\\): score stored [0-9.]+, recomputed [0-9.]+"));
    }

    @Test
    void aChangedScoreInTheInputsIsNamed() {
        String changed = inputs.replaceFirst("(\"score\":\")([0-9]+)", "$19$2");
        assertThat(changed).isNotEqualTo(inputs);
        sql("update payout_proposal set inputs = ?1 where id = ?2", changed, proposal);
        JsonPath v = failed();
        assertThat(v.getBoolean("hashMatches")).isFalse();
        assertThat(v.getList("mismatches", String.class)).anyMatch(m -> m.startsWith("content hash: stored "))
                .anyMatch(m -> m.matches("score of git:[0-9a-f]+ for merit:\\d+: inputs 9[0-9.]+, scoring run \\d+ [0-9.]+"));
    }

    @Test
    void aChangedPolicyIsNamed() {
        String changed = inputs.replace("\"sqrtDampening\":false", "\"sqrtDampening\":true");
        assertThat(changed).isNotEqualTo(inputs);
        sql("update payout_proposal set inputs = ?1 where id = ?2", changed, proposal);
        assertThat(failed().getList("mismatches", String.class))
                .contains("policy sqrtDampening: inputs true, the epoch record false");
    }

    @Test
    void aChangedModelHashIsNamed() {
        String hash = new JsonPath(inputs).getString("model.hash");
        String forged = new StringBuilder(hash).reverse().toString();
        sql("update payout_proposal set inputs = ?1 where id = ?2", inputs.replace(hash, forged), proposal);
        assertThat(failed().getList("mismatches", String.class)).anyMatch(m -> m.matches(
                "model hash: inputs " + forged + ", scoring run \\d+ " + hash));
    }

    @Test
    void aChangedWalletIsNamed() {
        String forged = "0x000000000000000000000000000000000000dead";
        sql("update payout_line set wallet = ?1 where id = ?2", forged, lines.get(0)[0]);
        assertThat(failed().getList("mismatches", String.class))
                .anyMatch(m -> m.matches("line of Ann tamper \\(merit:\\d+\\): wallet " + forged + ", amount "
                        + lines.get(0)[1] + ": no stored Merkle leaf pays it"))
                .anyMatch(m -> m.matches("Merkle leaf \\d \\(" + String.valueOf(lines.get(0)[3]).toLowerCase() + ", " + lines.get(0)[1]
                        + "\\): no stored line is paid that"));
    }

    @Test
    void aChangedLeafOrderIsNamed() {
        List<?> stored = new JsonPath(leaves).getList("$");
        String reversed = "[" + String.join(",", List.of(json(stored.get(1)), json(stored.get(0)))) + "]";
        sql("update chain_proposal set leaves = ?1 where payout_proposal_id = ?2", reversed, proposal);
        assertThat(failed().getList("mismatches", String.class))
                .anyMatch(m -> m.startsWith("Merkle leaf 0: stored (") && m.contains("out of order"))
                .anyMatch(m -> m.startsWith("Merkle leaf 1: stored ("));
    }

    @Inject
    PayrollService payroll;

    /**
     * `merit verify N` (the command, run here in this application rather than started anew: the same verification as
     * the API's) exits 1 and prints every difference; 0 and "verify ok" once restored.
     */
    @Test
    void theVerifyCommandExitsOneAndNamesTheDifference() {
        sql("update payout_line set amount = amount + 1 where id = ?1", lines.get(0)[0]);
        Run changed = verifyCommand();
        assertThat(changed.exit()).as(changed.out()).isEqualTo(1);
        assertThat(changed.out()).containsPattern("line of Ann tamper \\(merit:\\d+\\): amount stored "
                + plusOne(lines.get(0)[1]) + ", recomputed " + lines.get(0)[1]).contains("verify FAILED: ");
        sql("update payout_line set amount = amount - 1 where id = ?1", lines.get(0)[0]);
        Run restored = verifyCommand();
        assertThat(restored.exit()).as(restored.out()).isZero();
        assertThat(restored.out()).contains("verify ok");
    }

    private record Run(int exit, String out) {
    }

    private Run verifyCommand() {
        return QuarkusTransaction.requiringNew().call(() -> {
            java.io.StringWriter text = new java.io.StringWriter();
            int exit = new picocli.CommandLine(new dev.merit.cli.VerifyCommand(payroll))
                    .setOut(new java.io.PrintWriter(text, true)).execute(String.valueOf(proposal));
            return new Run(exit, text.toString());
        });
    }

    private static String json(Object leaf) {
        java.util.Map<?, ?> m = (java.util.Map<?, ?>) leaf;
        return "{\"account\":\"" + m.get("account") + "\",\"amount\":" + m.get("amount") + "}";
    }

    private static String plusOne(Object amount) {
        return new java.math.BigInteger(amount.toString()).add(java.math.BigInteger.ONE).toString();
    }

    private static JsonPath verification() {
        return given().get("/api/payout-proposals/{id}/verification", proposal).then().statusCode(200).extract()
                .jsonPath();
    }

    private static JsonPath failed() {
        JsonPath v = verification();
        assertThat(v.getBoolean("ok")).as("verification of a changed proposal: %s", v.prettify()).isFalse();
        return v;
    }

    private void sql(String statement, Object... parameters) {
        QuarkusTransaction.requiringNew().run(() -> {
            var q = em.createNativeQuery(statement);
            for (int i = 0; i < parameters.length; i++) {
                q.setParameter(i + 1, parameters[i]);
            }
            q.executeUpdate();
        });
    }
}
