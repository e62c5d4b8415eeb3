package dev.merit.ingest.git;

import dev.merit.ingest.ChangedFile;
import dev.merit.ingest.ChangedLines;
import dev.merit.ingest.ContributionMetrics;

import java.time.Instant;
import java.util.List;

/** What Merit reads from one commit: its people, message, and per-file line counts with their categories. */
public record CommitRecord(String sha, List<String> parents, String authorName, String authorEmail,
                           Instant authoredAt, String committerName, String committerEmail, Instant committedAt,
                           String message, List<ChangedFile> files, ContributionMetrics metrics, String patchId,
                           ChangedLines lines) {

    public boolean isMerge() {
        return parents.size() > 1;
    }
}
