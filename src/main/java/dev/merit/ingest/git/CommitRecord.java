package dev.merit.ingest.git;

import dev.merit.ingest.ChangedFile;
import dev.merit.ingest.ChangedLines;
import dev.merit.ingest.ContributionMetrics;

import java.time.Instant;
import java.util.List;

/**
 * What Merit reads from one commit: its people, message, and per-file line counts with their categories.
 *
 * @param landedWith the merge commit that brought it onto the branch, or null when it is on the branch's first-parent
 *                   line itself
 * @param landedAt   that merge's committer date, or null
 */
public record CommitRecord(String sha, List<String> parents, String authorName, String authorEmail,
                           Instant authoredAt, String committerName, String committerEmail, Instant committedAt,
                           String message, List<ChangedFile> files, ContributionMetrics metrics, String patchId,
                           ChangedLines lines, String landedWith, Instant landedAt) {

    /** When it reached the branch: its own committer date, or the date of the merge that brought it. */
    public Instant reachedBranchAt() {
        return landedAt == null ? committedAt : landedAt;
    }

    public boolean isMerge() {
        return parents.size() > 1;
    }
}
