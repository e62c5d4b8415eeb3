package dev.merit.scoring;

import dev.merit.ingest.ChangedFile;
import dev.merit.ingest.ContributionMetrics;
import dev.merit.scoring.classify.ClassifierHolder;
import dev.merit.support.FixedScoringConfig;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The learned scorer: the classifier types changes; merges, reviews, issues and comments keep their source's type. */
class LearnedModelTest {

    private final LearnedModel model = new LearnedModel(new ClassifierHolder(FixedScoringConfig.defaults()), Map.of(), 200, 1024);

    @Test
    void kindsWithATypeOfTheirOwnBypassTheClassifierAndChangesAreExplained() {
        ContributionMetrics none = ContributionMetrics.none();
        List<ScoringModel.Output> out = model.scoreAll(List.of(
                new ScoringModel.Input("merge", "Merge branch 'x'", "Merge branch 'x'", none, List.of()),
                new ScoringModel.Input("review", "review (approved) of #3", "", ContributionMetrics.ofEffective(10), List.of()),
                new ScoringModel.Input("commit", "feat: add dark mode", "feat: add dark mode",
                        new ContributionMetrics(120, 4, 1, 0, 0, Map.of(), 0, 0, 0, 124),
                        List.of(new ChangedFile("src/theme.ts", null, ChangedFile.Change.MODIFY, 120, 4,
                                ChangedFile.Category.SOURCE, 124)))));
        assertThat(out.get(0).type()).isEqualTo(ContributionType.MERGE);
        assertThat(Factor.fold(out.get(0).factors())).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(out.get(1).type()).isEqualTo(ContributionType.REVIEW);
        assertThat(Factor.fold(out.get(1).factors())).isEqualByComparingTo("8");
        assertThat(out.get(1).explanation()).isNull();
        ScoringModel.Explanation e = out.get(2).explanation();
        assertThat(e.declaredType()).isEqualTo("feature");
        assertThat(e.typeProbabilities()).hasSize(10);
        assertThat(out.get(2).factors()).extracting(Factor::name).containsSubsequence("size", "type");
        // Calibrated: the explanation says how sure the prediction is, and whether that is below the threshold.
        assertThat(e.confidence()).isEqualTo(e.typeProbabilities().get(out.get(2).type().label()));
        assertThat(e.unsure()).isEqualTo(e.confidence() < new ClassifierHolder(FixedScoringConfig.defaults()).require()
                .calibration().unsureBelow());
    }

    @Test
    void theTypeFactorIsTheMedianTypeWeightAndLearnedV2KeepsTheExpectedOne() {
        ClassifierHolder holder = new ClassifierHolder(FixedScoringConfig.defaults());
        LearnedModel expected = new LearnedModel(holder, Map.of(), 200, 1024, TypeFactor.EXPECTED);
        assertThat(model.policy()).containsEntry("scorer", "learned-v3");
        assertThat(expected.policy()).containsEntry("scorer", "learned-v2");
        assertThat(model.version()).startsWith("learned-v3/commit-type-");
        Map<String, BigDecimal> weights = Map.of();
        for (String message : List.of("fix typo in the README", "update dependencies", "add dark mode",
                "speed up the parser by caching tokens", "refactor the config loader")) {
            ScoringModel.Input in = new ScoringModel.Input("commit", message, message,
                    new ContributionMetrics(12, 3, 1, 0, 0, Map.of(), 0, 0, 0, 15),
                    List.of(new ChangedFile("src/app.ts", null, ChangedFile.Change.MODIFY, 12, 3,
                            ChangedFile.Category.SOURCE, 15)));
            ScoringModel.Output median = model.score(in);
            ScoringModel.Output blend = expected.score(in);
            Map<ContributionType, BigDecimal> p = new java.util.EnumMap<>(ContributionType.class);
            median.explanation().typeProbabilities().forEach((t, v) -> p.put(ContributionType.ofLabel(t),
                    BigDecimal.valueOf(Math.round(v * 1e6), Factor.SCALE)));
            Map<ContributionType, BigDecimal> w = FormulaModel.weights(weights);
            assertThat(typeFactor(median)).as(message).isEqualByComparingTo(TypeFactor.MEDIAN.of(p, w));
            assertThat(typeFactor(blend)).as(message).isEqualByComparingTo(Factor.round(TypeFactor.EXPECTED.of(p, w)));
            // the median is one of the policy's weights, and the same explanation backs both
            assertThat(w.values()).anySatisfy(x -> assertThat(x).isEqualByComparingTo(typeFactor(median)));
            assertThat(blend.explanation()).isEqualTo(median.explanation());
        }
    }

    private static BigDecimal typeFactor(ScoringModel.Output out) {
        return out.factors().stream().filter(f -> f.name().equals("type")).findFirst().orElseThrow().value();
    }

    @Test
    void aCommitThatRevertsAnotherIsPaidAsARevertWhateverTheClassifierSays() {
        ContributionMetrics lines = new ContributionMetrics(0, 400, 1, 0, 0, Map.of(), 0, 0, 0, 400);
        List<ChangedFile> files = List.of(new ChangedFile("src/app.py", null, ChangedFile.Change.MODIFY, 0, 400,
                ChangedFile.Category.SOURCE, 400));
        String message = "Revert \"Handle BaseExceptions (#2222)\"\n\nThis reverts commit 1d4448abe335741c61b3c8c5f99e1607a13f7e3d.\n";
        List<ScoringModel.Output> out = model.scoreAll(List.of(
                new ScoringModel.Input("commit", "Revert \"Handle BaseExceptions (#2222)\"", message, lines, files),
                new ScoringModel.Input("commit", "Handle BaseExceptions (#2222)", "Handle BaseExceptions (#2222)", lines, files)));
        ScoringModel.Output revert = out.get(0);
        assertThat(revert.type()).isEqualTo(ContributionType.REVERT);
        assertThat(revert.typeReason()).isEqualTo("revert: reverts commit 1d4448abe335");
        Factor type = revert.factors().stream().filter(f -> f.name().equals("type")).findFirst().orElseThrow();
        assertThat(type.value()).isEqualByComparingTo("0.1");
        // the same change without git's revert message is classified as usual, and is worth more
        assertThat(out.get(1).type()).isNotEqualTo(ContributionType.REVERT);
        assertThat(Factor.fold(revert.factors())).isLessThan(Factor.fold(out.get(1).factors()));
        assertThat(model.policy()).containsEntry("scorer", "learned-v3");
    }
}
