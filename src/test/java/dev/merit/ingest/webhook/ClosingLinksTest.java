package dev.merit.ingest.webhook;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Which issues a pull or merge request says it closes, and that no description can stall a webhook's thread. */
class ClosingLinksTest {

    @Test
    void theWaysPeopleWriteItAreRead() {
        for (Pattern closing : List.of(GitHubEvents.CLOSING, GitLabEvents.CLOSING)) {
            assertThat(numbers(closing, "Fixes #12, closes: #13 and resolved  #0014; Closed :\n#15")).containsExactly("12", "13",
                    "14", "15");
            assertThat(numbers(closing, "fixes#12, closes:#13, prefixes #14, fix 12")).isEmpty();
        }
        assertThat(numbers(GitLabEvents.CLOSING, "implements #7")).containsExactly("7");
    }

    /**
     * A verb followed by a megabyte of blanks and no number (a GitLab description may be that long) is read in one pass.
     * Before, each blank was tried as the split between two runs of blanks: about 5 x 10^11 steps, minutes of a worker
     * thread, again on each redelivery. Not a timing: the limit only tells a hang from an answer.
     */
    @Test
    void blanksWithoutANumberDoNotStallTheThread() {
        String hostile = ("fix" + " ".repeat(1_000_000) + "\n").repeat(2) + "fixes: " + "\t".repeat(500_000) + "x";
        for (Pattern closing : List.of(GitHubEvents.CLOSING, GitLabEvents.CLOSING)) {
            assertThat(assertTimeoutPreemptively(Duration.ofSeconds(20), () -> numbers(closing, hostile))).isEmpty();
        }
    }

    private static List<String> numbers(Pattern closing, String text) {
        return SourceEvents.closing("pr", text, closing, n -> n).stream().map(SourceEvents.Link::toExternalId).toList();
    }
}
