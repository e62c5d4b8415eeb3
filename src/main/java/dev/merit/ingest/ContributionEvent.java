package dev.merit.ingest;

import dev.merit.audit.StoredText;

import dev.merit.contributor.ActorRef;
import java.time.Instant;
import java.util.List;

/**
 * The canonical contribution every source maps to. Sources build these and nothing more; the
 * {@link Ingestor} stores them idempotently by ({@code source}, {@code externalId}).
 *
 * @param raw     what the source knew beyond the canonical fields, as JSON, kept for audit
 * @param patchId a commit's patch identity (null for other contributions)
 * @param lines   keys of a commit's effective lines (null for other contributions, or a commit without any)
 * @param committedAt a commit's own committer date, where {@code occurredAt} is when it reached the tracked branch
 *                    (the merge that brought it); null for other contributions. It orders the commits one merge
 *                    brought, which share {@code occurredAt}
 */
public record ContributionEvent(String source, String externalId, String kind, Instant occurredAt,
                                String repository, Long repositoryId, ActorRef actor, List<ActorRef> coActors,
                                String title, String body, ContributionMetrics metrics, List<ChangedFile> files,
                                String raw, String patchId, ChangedLines lines, Instant committedAt) {

    public ContributionEvent {
        externalId = StoredText.key(externalId, 255); // contribution.external_id
        // Columns hold microseconds and round the rest: 23:59:59.9999996 on the last day would be the next month's.
        occurredAt = occurredAt == null ? null : occurredAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        committedAt = committedAt == null ? null : committedAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        repository = StoredText.fit(repository, 512);
        title = StoredText.clean(title);
        body = StoredText.clean(body);
        raw = StoredText.clean(raw);
        coActors = coActors == null ? List.of() : List.copyOf(coActors);
        files = files == null ? List.of() : files;
        metrics = metrics == null ? ContributionMetrics.none() : metrics;
    }

    /** Everyone the contribution credits: its actor, then its co-actors (Co-authored-by trailers), in that order. */
    public List<ActorRef> credited() {
        List<ActorRef> credited = new java.util.ArrayList<>(1 + coActors.size());
        credited.add(actor);
        credited.addAll(coActors);
        return credited;
    }

    /** A contribution dated by itself alone (no separate commit date). */
    public ContributionEvent(String source, String externalId, String kind, Instant occurredAt, String repository,
                             Long repositoryId, ActorRef actor, List<ActorRef> coActors, String title, String body,
                             ContributionMetrics metrics, List<ChangedFile> files, String raw, String patchId,
                             ChangedLines lines) {
        this(source, externalId, kind, occurredAt, repository, repositoryId, actor, coActors, title, body, metrics,
                files, raw, patchId, lines, null);
    }

    /** A contribution without a patch identity or changed lines (everything but git commits). */
    public ContributionEvent(String source, String externalId, String kind, Instant occurredAt, String repository,
                             Long repositoryId, ActorRef actor, List<ActorRef> coActors, String title, String body,
                             ContributionMetrics metrics, List<ChangedFile> files, String raw) {
        this(source, externalId, kind, occurredAt, repository, repositoryId, actor, coActors, title, body, metrics,
                files, raw, null, null, null);
    }
}
