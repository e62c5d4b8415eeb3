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
                        new ContributionMetrics(120, 4, 1, 0, 0, Map.of(), 0, 0, 124),
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
    }
}
