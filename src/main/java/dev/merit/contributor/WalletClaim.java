package dev.merit.contributor;

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
 * A wallet that asked to receive a contributor's payouts, waiting for proof that the asker is that contributor: its
 * {@link #code} posted by one of the contributor's forge accounts ({@link WalletClaims#prove}), or a maintainer.
 */
@Entity
@Table(name = "wallet_claim")
public class WalletClaim extends PanacheEntityBase {

    public enum Status { OPEN, LINKED, REFUSED }

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "wallet_claim_seq")
    @SequenceGenerator(name = "wallet_claim_seq", sequenceName = "wallet_claim_seq", allocationSize = 50)
    public Long id;

    @Column(name = "contributor_id", nullable = false)
    public Long contributorId;

    /** Lower-case 0x-hex. */
    @Column(nullable = false)
    public String address;

    /** The text to post: {@code merit-link-} and 12 random letters and digits. */
    @Column(nullable = false)
    public String code;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "settled_at")
    public Instant settledAt;

    @Column(columnDefinition = "text")
    public String outcome;
}
