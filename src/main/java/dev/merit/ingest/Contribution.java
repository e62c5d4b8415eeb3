package dev.merit.ingest;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import org.hibernate.annotations.BatchSize;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A stored contribution: one commit, pull request, review, issue, comment, CI run... */
@Entity
@Table(name = "contribution")
public class Contribution extends PanacheEntityBase {

    /**
     * SQL: contribution {@code c} credits a person (its author or a co-author is not a bot). A payout that pays no
     * bots pays only such work.
     */
    public static final String CREDITS_A_PERSON = "(exists (select 1 from contributor a where a.id = c.actor_id and "
            + "a.bot = false) or exists (select 1 from contribution_credit cc join contributor p on p.id = "
            + "cc.contributor_id where cc.contribution_id = c.id and p.bot = false))";


    /** Assigned by the {@link Ingestor}, which alone writes contributions, from {@code contribution_seq}. */
    @Id
    public Long id;

    @Column(nullable = false)
    public String source;

    @Column(name = "external_id", nullable = false)
    public String externalId;

    @Column(nullable = false)
    public String kind;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    /**
     * A commit's own committer date when it differs in meaning from {@link #occurredAt}: a commit is dated by when it
     * reached the tracked branch (the merge that brought it), and this orders the commits one merge brought. Null for
     * other contributions and for commits ingested before it was kept.
     */
    @Column(name = "committed_at")
    public Instant committedAt;

    /**
     * The date it had before it was counted as late work: it reached Merit after the run that paid that period, so
     * {@link #occurredAt} became the first moment after the payout was approved (or, arriving later, its arrival).
     * Null when it was never moved.
     */
    @Column(name = "late_from")
    public Instant lateFrom;

    public String repository;

    @Column(name = "repository_id")
    public Long repositoryId;

    /** The contributor the source names as the actor (commit author). */
    @Column(name = "actor_id", nullable = false)
    public Long actorId;

    /** The actor's name and e-mail exactly as the source recorded them (before identity resolution). */
    @Column(name = "actor_name")
    public String actorName;

    @Column(name = "actor_email")
    public String actorEmail;

    @Column(nullable = false, length = 1024)
    public String title;

    @Column(columnDefinition = "text")
    public String body;

    @Column(name = "lines_added", nullable = false)
    public int linesAdded;

    @Column(name = "lines_deleted", nullable = false)
    public int linesDeleted;

    @Column(name = "files_changed", nullable = false)
    public int filesChanged;

    @Column(name = "effective_lines", nullable = false)
    public int effectiveLines;

    /** {@link ContributionMetrics} as JSON. */
    @Column(nullable = false, columnDefinition = "text")
    public String metrics;

    @Column(columnDefinition = "text")
    public String raw;

    /** A commit's patch identity (its changed lines without whitespace or positions); null for other contributions. */
    @Column(name = "patch_id")
    public String patchId;

    @ElementCollection
    @CollectionTable(name = "contribution_credit", joinColumns = @JoinColumn(name = "contribution_id"))
    @OrderColumn(name = "position")
    @BatchSize(size = 500)
    public List<Credit> credits = new ArrayList<>();

    @ElementCollection
    @CollectionTable(name = "contribution_file", joinColumns = @JoinColumn(name = "contribution_id"))
    @OrderColumn(name = "position")
    @BatchSize(size = 500)
    public List<ChangedFile> files = new ArrayList<>();
}
