package dev.merit.ingest.git;

import dev.merit.contributor.ActorRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Co-author trailers as people write them, and as no one should be able to stall ingestion with. */
class CoAuthorsTest {

    @Test
    void trailersAreReadLineByLine() {
        String message = "feat: pair work\r\n\r\nBody text <not@an.author>\r\n"
                + "Co-authored-by: Ada Lovelace <ada@example.com>\r\n"
                + "  co-authored-by:Bea   <bea@example.com>  \n"
                + "CO-AUTHORED-BY: Cal <Jr> <cal@example.com>\n"
                + "Co-authored-by: Dee <>\n"
                + "Co-authored-by: Eve <eve@example.com> and more\n"
                + "Co-authored-by: <fay@example.com>";
        assertThat(parse(message)).containsExactly("Ada Lovelace|ada@example.com", "Bea|bea@example.com",
                "Cal <Jr>|cal@example.com", "|fay@example.com");
        assertThat(parse(null)).isEmpty();
        assertThat(parse("Co-authored-by:")).isEmpty();
    }

    /**
     * A trailer line of blanks without an address, in a commit anyone can push: the pattern it replaces took over a
     * minute for 5,000 blanks (cubic). The limit only tells a hang from an answer; it is not a timing.
     */
    @Test
    void blanksWithoutAnAddressDoNotStallIngestion() {
        String hostile = ("Co-authored-by:" + " ".repeat(200_000) + "x\n").repeat(5) + "co-authored-by: a" + " <".repeat(100_000);
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(20), () -> parse(hostile))).isEmpty();
    }

    private static List<String> parse(String message) {
        return CoAuthors.parse(message).stream().map(CoAuthorsTest::words).toList();
    }

    private static String words(ActorRef a) {
        return (a.name() == null ? "" : a.name()) + "|" + a.email();
    }
}
