package dev.merit.scoring;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;

/** One scoring of an epoch: a pure function of its contributions (input hash) and the model (model hash). */
@Entity
@Table(name = "scoring_run")
public class ScoringRun extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "scoring_run_seq")
    @SequenceGenerator(name = "scoring_run_seq", sequenceName = "scoring_run_seq", allocationSize = 1)
    public Long id;

    @Column(name = "epoch_id", nullable = false)
    public Long epochId;

    @Column(name = "model_version", nullable = false)
    public String modelVersion;

    @Column(name = "model_hash", nullable = false, length = 64)
    public String modelHash;

    @Column(name = "policy_hash", nullable = false, length = 64)
    public String policyHash;

    /** The policy document applied, canonical JSON; {@link #policyHash} is its SHA-256. Null for runs before V5. */
    @Column(name = "policy", columnDefinition = "text")
    public String policy;

    @Column(name = "input_hash", nullable = false, length = 64)
    public String inputHash;

    @Column(name = "contribution_count", nullable = false)
    public int contributionCount;

    @Column(name = "contributor_count", nullable = false)
    public int contributorCount;

    @Column(name = "total_score", nullable = false, precision = 38, scale = 6)
    public BigDecimal totalScore;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
