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

/** A contributor's total in a run: exactly the sum of their contribution scores. */
@Entity
@Table(name = "contributor_score")
public class ContributorScore extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "contributor_score_seq")
    @SequenceGenerator(name = "contributor_score_seq", sequenceName = "contributor_score_seq", allocationSize = 50)
    public Long id;

    @Column(name = "run_id", nullable = false)
    public Long runId;

    @Column(name = "contributor_id", nullable = false)
    public Long contributorId;

    @Column(nullable = false, precision = 38, scale = 6)
    public BigDecimal total;

    @Column(nullable = false)
    public int contributions;

    @Column(nullable = false)
    public int rank;

    /** Whether the run counted the contributor as a bot (as it was when the run scored, whatever a later mark says). */
    @Column(nullable = false)
    public boolean bot;
}
