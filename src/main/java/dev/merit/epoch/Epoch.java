package dev.merit.epoch;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.math.BigInteger;
import java.time.Instant;

/** A pay period: contributions that occurred in [startsAt, endsAt) share the budget under the policy. */
@Entity
@Table(name = "epoch")
public class Epoch extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "epoch_seq")
    @SequenceGenerator(name = "epoch_seq", sequenceName = "epoch_number_seq", allocationSize = 1)
    public Long id;

    @Column(nullable = false)
    public String name;

    /**
     * The name in lower case: unique, so that names differing only by case stay one name under concurrent writes;
     * null for the later ones of such names recorded before that rule.
     */
    @Column(name = "name_key")
    public String nameKey;

    @Column(name = "starts_at", nullable = false)
    public Instant startsAt;

    @Column(name = "ends_at", nullable = false)
    public Instant endsAt;

    /** Token base units (e.g. wei for an 18-decimal token). */
    @Column(nullable = false, precision = 78, scale = 0)
    public BigInteger budget;

    @Column(name = "token_decimals", nullable = false)
    public int tokenDecimals;

    @Column(name = "min_payout", nullable = false, precision = 78, scale = 0)
    public BigInteger minPayout;

    @Column(precision = 78, scale = 0)
    public BigInteger cap;

    @Column(name = "sqrt_dampening", nullable = false)
    public boolean sqrtDampening;

    @Column(name = "include_bots", nullable = false)
    public boolean includeBots;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /**
     * Whether this epoch's period shares time with {@code other}'s. Periods are half-open: one that ends as another
     * starts does not overlap it.
     */
    public boolean overlaps(Epoch other) {
        return startsAt.isBefore(other.endsAt) && other.startsAt.isBefore(endsAt);
    }

    public PayoutPolicy policy() {
        return new PayoutPolicy(minPayout, cap, sqrtDampening, includeBots);
    }
}
