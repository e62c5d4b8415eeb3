package dev.merit.scoring.train;

import dev.merit.scoring.ContributionType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommitLabelsTest {

    @Test
    void prefixesBecomeLabelsAndAreStripped() {
        CommitLabels.Labelled l = CommitLabels.of("feat(parser)!: accept tabs\n\nbody");
        assertThat(l.label()).contains(ContributionType.FEATURE);
        assertThat(l.strippedMessage()).isEqualTo("accept tabs\n\nbody");
    }

    @Test
    void spellingsAreNormalised() {
        assertThat(CommitLabels.of("Fix: x").label()).contains(ContributionType.FIX);
        assertThat(CommitLabels.of("doc: x").label()).contains(ContributionType.DOCS);
        assertThat(CommitLabels.of("bump: x").label()).contains(ContributionType.CHORE);
        assertThat(CommitLabels.of("ci: x").label()).contains(ContributionType.BUILD);
        assertThat(CommitLabels.of("sec: x").label()).contains(ContributionType.FIX);
        // A dependency scope makes any type a dependency chore, however the project spells it.
        assertThat(CommitLabels.of("build(deps): bump gitpython").label()).contains(ContributionType.CHORE);
        assertThat(CommitLabels.of("feat(deps-dev): update jest").label()).contains(ContributionType.CHORE);
        assertThat(CommitLabels.of("fix(deps): update x").strippedMessage()).isEqualTo("update x");
        assertThat(CommitLabels.of("fix(core): y").label()).contains(ContributionType.FIX);
    }

    @Test
    void unknownWordsAndPlainMessagesHaveNoLabel() {
        assertThat(CommitLabels.of("wip: x").label()).isEmpty();
        assertThat(CommitLabels.of("Update README").label()).isEmpty();
        assertThat(CommitLabels.of("Update README").strippedMessage()).isEqualTo("Update README");
    }
}
