package dev.merit.scoring;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A contributor's dispute of the type a scoring run gave one of their contributions, and a maintainer's answer
 * ({@link DisputeService}). Accepted, it corrects the type in every later run.
 */
@Entity
@Table(name = "dispute")
public class Dispute extends PanacheEntityBase {

    public enum Status { OPEN, ACCEPTED, REJECTED }

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "dispute_seq")
    @SequenceGenerator(name = "dispute_seq", sequenceName = "dispute_seq", allocationSize = 1)
    public Long id;

    @Column(name = "contribution_id", nullable = false)
    public Long contributionId;

    @Column(name = "run_id", nullable = false)
    public Long runId;

    @Column(name = "contributor_id", nullable = false)
    public Long contributorId;

    @Column(name = "scored_type", nullable = false)
    public String scoredType;

    /** The type the contributor says it is; null when they only say it is not the scored one. */
    @Column(name = "claimed_type")
    public String claimedType;

    @Column(nullable = false, columnDefinition = "text")
    public String reason;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    @Column(name = "opened_at", nullable = false)
    public Instant openedAt;

    @Column(name = "settled_at")
    public Instant settledAt;

    /** Who answered: the maintainer's name as given, or "maintainer". */
    @Column(name = "settled_by")
    public String settledBy;

    /** How the maintainer who answered proved it ({@link dev.merit.security.MaintainerCall}); null before V20. */
    @Column(name = "settled_via")
    public String settledVia;

    @Column(columnDefinition = "text")
    public String answer;

    @Column(name = "corrected_type")
    public String correctedType;
}
