package dev.merit.payroll;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.FetchType;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.math.BigInteger;
import java.time.Instant;

/**
 * A proposed payout of an epoch's budget. {@code inputs} is the canonical JSON of everything the amounts derive
 * from (scores, policy, model); {@code contentHash} is its SHA-256, so anyone can recompute both.
 */
@Entity
@Table(name = "payout_proposal")
public class PayoutProposal extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "payout_proposal_seq")
    @SequenceGenerator(name = "payout_proposal_seq", sequenceName = "payout_proposal_seq", allocationSize = 1)
    public Long id;

    @Column(name = "epoch_id", nullable = false)
    public Long epochId;

    @Column(name = "scoring_run_id", nullable = false)
    public Long scoringRunId;

    @Column(nullable = false, precision = 78, scale = 0)
    public BigInteger budget;

    @Column(name = "model_version", nullable = false)
    public String modelVersion;

    @Column(name = "content_hash", nullable = false, length = 64)
    public String contentHash;

    /** Megabytes for a large epoch: read only where it is used (verification, the inputs download, the waterfall). */
    @Basic(fetch = FetchType.LAZY)
    @Column(nullable = false, columnDefinition = "text")
    public String inputs;

    /** In the shared vocabulary ({@link ProposalState}): draft, withdrawn, superseded, or the chain's word. */
    @Column(nullable = false)
    public String status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** When the DAO approved it on chain (its governor proposal executed): its lines with wallets became claimable. */
    @Column(name = "approved_at")
    public Instant approvedAt;

    /** When a maintainer withdrew it as a draft. */
    @Column(name = "withdrawn_at")
    public Instant withdrawnAt;

    /** The newer proposal of the same epoch that replaced it. */
    @Column(name = "superseded_by")
    public Long supersededBy;

    /**
     * Another payout took its period on the vault (periods are paid in order): it can never be paid, whatever its
     * vote.
     */
    @Column(name = "period_taken", nullable = false)
    public boolean periodTaken;

    /**
     * Superseded on chain, and its governor proposal may still pass and be executed (its vote is not over, or it
     * passed and was not executed): if it is, it is the payout paid. Cleared once its state can no longer change.
     */
    @Column(name = "still_on_chain", nullable = false)
    public boolean stillOnChain;
}
