package dev.merit.scoring.adjust;

import dev.merit.scoring.Factor;
import dev.merit.scoring.ScoringConfig;
import dev.merit.support.FixedScoringConfig;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each rule's factor and policy entry on its own (their effect on whole runs is tested through real deliveries:
 * GitHubWebhookTest, GitLabAndJiraWebhookTest, CiHookTest, ScoringAndPayrollTest).
 */
class AdjustmentsTest {

    /** The service's defaults with some settings changed. */
    private static ScoringConfig config(Map<String, Object> changed) {
        FixedScoringConfig defaults = FixedScoringConfig.defaults();
        return (ScoringConfig) Proxy.newProxyInstance(ScoringConfig.class.getClassLoader(), new Class<?>[]{ScoringConfig.class},
                (proxy, method, args) -> changed.containsKey(method.getName()) ? changed.get(method.getName())
                        : method.invoke(defaults, args));
    }

    @Test
    void eachRepeatCountsThisMuchLessThanTheOneBefore() {
        BigDecimal half = new BigDecimal("0.5");
        Factor second = RepeatAdjustment.factor(half, 1, true, "github:o/r#7");
        Factor fourth = RepeatAdjustment.factor(half, 3, false, "github:o/r#8");
        assertThat(second.value()).isEqualByComparingTo("0.5");
        assertThat(fourth.value()).isEqualByComparingTo("0.125");
        assertThat(second.detail()).isEqualTo("2nd review of github:o/r#7 by the same person in this epoch: x0.5 for each one before it");
        assertThat(fourth.detail()).startsWith("4th comment on github:o/r#8");
        assertThat(RepeatAdjustment.ordinal(11)).isEqualTo("11th");
        assertThat(RepeatAdjustment.ordinal(22)).isEqualTo("22nd");
        assertThat(new RepeatAdjustment(config(Map.of("repeatFactor", new BigDecimal("0.50")))).parameters())
                .containsEntry("factor", "0.5");
    }

    @Test
    void aCopyIsPaidNothingAndNamesTheCommitPaid() {
        Factor f = CopyAdjustment.factor("0123456789abcdef0123");
        assertThat(f.value()).isZero();
        assertThat(f.detail()).contains("commit 0123456789ab ").contains("counted once");
        assertThat(new CopyAdjustment().parameters()).containsOnly(Map.entry("factor", "0"),
                Map.entry("originals", "commits of the repository that reached the branch in an earlier "
                        + "epoch, or were committed earlier in this one"));
    }

    @Test
    void aWithdrawnContributionIsPaidNothingAndNamesTheEvent() {
        Factor f = WithdrawnAdjustment.factor("github", "delivery-9/issue_comment.deleted");
        assertThat(f.value()).isZero();
        assertThat(f.detail()).isEqualTo("deleted on github (delivery-9/issue_comment.deleted): maintainers delete spam and abuse");
    }

    @Test
    void ciFailuresAreTheFailedConclusionsOfEveryForge() {
        assertThat(CiAdjustment.failure("failure")).isTrue();
        assertThat(CiAdjustment.failure("failed")).isTrue();
        assertThat(CiAdjustment.failure("timed_out")).isTrue();
        assertThat(CiAdjustment.failure("success")).isFalse();
        assertThat(CiAdjustment.failure("cancelled")).isFalse();
        assertThat(new CiAdjustment(config(Map.of())).parameters()).containsEntry("failureFactor", "0.8");
    }

    @Test
    void eachRuleStatesItsParametersAndWhetherItApplies() {
        assertThat(new TrivialCommentAdjustment(config(Map.of("trivialCommentWords", 0))).parameters())
                .containsExactly(Map.entry("enabled", false));
        assertThat(new TrivialCommentAdjustment(config(Map.of())).parameters()).containsEntry("minimumWords", 3)
                .containsEntry("factor", "0");
        assertThat(new DeclinedAdjustment(config(Map.of("declinedFactor", new BigDecimal("0.250")))).parameters())
                .containsExactly(Map.entry("factor", "0.25"));
        assertThat(new Adjustments(new CopyAdjustment(), new WithdrawnAdjustment(), new DeclinedAdjustment(config(Map.of())),
                new TrivialCommentAdjustment(config(Map.of())), new RepeatAdjustment(config(Map.of())),
                new CiAdjustment(config(Map.of()))).all()).extracting(Adjustment::rule)
                .containsExactly("copy", "withdrawn", "declined", "trivial", "repeat", "ci");
    }
}
