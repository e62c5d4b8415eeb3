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

/** A contributor's score for one contribution in a run, with the factors (JSON) that reproduce it. */
@Entity
@Table(name = "contribution_score")
public class ContributionScore extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "contribution_score_seq")
    @SequenceGenerator(name = "contribution_score_seq", sequenceName = "contribution_score_seq", allocationSize = 50)
    public Long id;

    @Column(name = "run_id", nullable = false)
    public Long runId;

    @Column(name = "contribution_id", nullable = false)
    public Long contributionId;

    @Column(name = "contributor_id", nullable = false)
    public Long contributorId;

    @Column(name = "contribution_type", nullable = false)
    public String contributionType;

    @Column(nullable = false, precision = 38, scale = 6)
    public BigDecimal score;

    @Column(nullable = false, columnDefinition = "text")
    public String factors;

    /** The effective lines its factors count: the contribution's own, less lines undone within the epoch. */
    @Column(name = "effective_lines", nullable = false)
    public int effectiveLines;

    /** The classifier's explanation (JSON), when the model has one. */
    @Column(columnDefinition = "text")
    public String explanation;
}
