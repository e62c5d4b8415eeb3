package dev.merit.payroll;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.math.BigInteger;

/** One contributor's line of a proposal: exact amount in base units, and why it is what it is. */
@Entity
@Table(name = "payout_line")
public class PayoutLine extends PanacheEntityBase {

    /** PAID, CAPPED, BELOW_MINIMUM, ZERO_SCORE, or BOT_EXCLUDED. */
    public static final String BOT_EXCLUDED = "BOT_EXCLUDED";

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "payout_line_seq")
    @SequenceGenerator(name = "payout_line_seq", sequenceName = "payout_line_seq", allocationSize = 50)
    public Long id;

    @Column(name = "proposal_id", nullable = false)
    public Long proposalId;

    @Column(name = "contributor_id", nullable = false)
    public Long contributorId;

    @Column(nullable = false, precision = 38, scale = 6)
    public BigDecimal score;

    @Column(nullable = false, precision = 78, scale = 0)
    public BigInteger amount;

    @Column(nullable = false)
    public String status;

    @Column(nullable = false)
    public int rank;

    /** Where the line is paid: the contributor's wallet when the proposal went on chain. */
    public String wallet;

    /** The claim transaction that paid this line (or the execution that released its held share). */
    @Column(name = "paid_tx_hash")
    public String paidTxHash;

    /** The key the vault holds this line's share under, when its contributor had no wallet at proposal time. */
    @Column(name = "held_key")
    public String heldKey;

    /** The held share went back to the treasury, never claimed (by a vote). */
    @Column(nullable = false)
    public boolean returned;

    /** The lines of proposal {@code proposalId} that pay something, in rank order, read only ({@link #readOnly}). */
    public static java.util.List<PayoutLine> payingToRead(long proposalId) {
        return readOnly("proposalId = ?1 and amount > 0 order by rank", proposalId);
    }

    /**
     * The lines {@code query} selects of proposal {@code proposalId} ({@code ?1}), to be read, not changed: no copy of
     * each is kept to find changes by (there may be 40,000). Never in a transaction that then changes lines: a later
     * query would return these instances, and a change made to them is not written.
     */
    static java.util.List<PayoutLine> readOnly(String query, long proposalId) {
        return PayoutLine.<PayoutLine>find(query, proposalId)
                .withHint(org.hibernate.jpa.HibernateHints.HINT_READ_ONLY, true).list();
    }
}
