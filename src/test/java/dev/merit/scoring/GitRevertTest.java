package dev.merit.scoring;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Reverts are recognised by the messages git and the forges write, not by guesses. */
class GitRevertTest {

    @Test
    void gitAndForgeRevertMessagesAreReverts() {
        assertThat(GitRevert.of("Revert \"Handle BaseExceptions (#2222)\"\n\nThis reverts commit "
                + "1d4448abe335741c61b3c8c5f99e1607a13f7e3d.\n")).contains("reverts commit 1d4448abe335");
        // re-titled by its author, still made by git revert
        assertThat(GitRevert.of("fix: undo the cache change\n\nThis reverts commit ABCDEF1.")).contains("reverts commit abcdef1");
        assertThat(GitRevert.of("Revert \"chore(deps): bump golang\" (#5534)\n\nReverts goreleaser/goreleaser#5527"))
                .contains("reverts goreleaser/goreleaser#5527");
        assertThat(GitRevert.of("Revert \"Revert \"Add dark mode\"\"")).contains("subject Revert \"...\"");
        assertThat(GitRevert.of("revert(core): drop the fast path")).contains("declared revert:");
        assertThat(GitRevert.of("REVERT: x")).contains("declared revert:");
    }

    @Test
    void wordsAboutRevertingAreNot() {
        assertThat(GitRevert.of("Fix revert button in the editor")).isEmpty();
        assertThat(GitRevert.of("revert cli test change")).isEmpty();
        assertThat(GitRevert.of("Reverted the default, see below")).isEmpty();
        assertThat(GitRevert.of("feat: undo\n\nThis partially reverts the change in #12")).isEmpty();
        // a squash-merged pull request lists its commits, a revert of work in progress among them: not a revert
        assertThat(GitRevert.of("feat(core): implement new config structure (#8723)\r\n\r\n* rename frontendDist\r\n\r\n"
                + "* Revert \"rename frontendDist to prodFrontend?\"\r\n\r\nThis reverts commit 0123456789abcdef.\r\n")).isEmpty();
        assertThat(GitRevert.of("fix: revert \"fix: skip brew\" (#2233)\r\n\r\nThis reverts commit 0123456789abcdef."))
                .contains("reverts commit 0123456789ab");
        assertThat(GitRevert.of("")).isEmpty();
        assertThat(GitRevert.of(null)).isEmpty();
    }
}
