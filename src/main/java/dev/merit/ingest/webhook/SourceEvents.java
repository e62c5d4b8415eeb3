package dev.merit.ingest.webhook;

import dev.merit.ingest.ContributionEvent;

import java.time.Instant;
import java.util.List;

/** What one webhook delivery means: contributions, links between them, CI outcomes, or why it was ignored. */
public record SourceEvents(List<ContributionEvent> contributions, List<Link> links, List<CiResult> ciResults,
                           String ignored) {

    /** {@code from} points at {@code to} (a review of a pull request, a pull request closing an issue). */
    public record Link(String fromExternalId, String toExternalId, String kind) {
    }

    /** A CI run's outcome for the commit it ran on. */
    public record CiResult(String externalId, String repository, String headSha, String conclusion, Instant completedAt) {
    }

    public static SourceEvents ignored(String why) {
        return new SourceEvents(List.of(), List.of(), List.of(), why);
    }

    public boolean isIgnored() {
        return ignored != null;
    }
}
