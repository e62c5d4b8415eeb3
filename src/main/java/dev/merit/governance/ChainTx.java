package dev.merit.governance;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * One chain write, persisted as an intent before it is sent: PENDING, then SENT (with its hash), then CONFIRMED
 * or FAILED. Each intent exists once (dedupe key); before sending, the chain is asked whether it is already done.
 */
@Entity
@Table(name = "chain_tx")
public class ChainTx extends PanacheEntityBase {

    public enum Kind { PROPOSE, VOTE, QUEUE, EXECUTE, CLAIM }

    public enum Status { PENDING, SENT, CONFIRMED, FAILED }

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "chain_tx_seq")
    @SequenceGenerator(name = "chain_tx_seq", sequenceName = "chain_tx_number_seq", allocationSize = 1)
    public Long id;

    @Column(name = "chain_proposal_id", nullable = false)
    public Long chainProposalId;

    @Column(nullable = false)
    public String kind;

    @Column(name = "dedupe_key", nullable = false)
    public String dedupeKey;

    /** Kind-specific JSON: the vote and signature, the claim batch's leaf indices. */
    @Column(nullable = false, columnDefinition = "text")
    public String payload;

    @Column(nullable = false)
    public String status;

    @Column(name = "tx_hash")
    public String txHash;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "last_error", columnDefinition = "text")
    public String lastError;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** The signer's nonce the transaction was sent with: a replacement reuses it. */
    public BigInteger nonce;

    /** EIP-1559 max fee per gas in wei, or the legacy gas price on a chain without a base fee. */
    @Column(name = "max_fee_per_gas")
    public BigInteger maxFeePerGas;

    /** EIP-1559 tip per gas in wei; null for a legacy transaction. */
    @Column(name = "max_priority_fee_per_gas")
    public BigInteger maxPriorityFeePerGas;

    @Column(name = "gas_limit")
    public BigInteger gasLimit;

    @Column(name = "sent_at")
    public Instant sentAt;

    /** Hashes of earlier transactions with the same nonce that {@link #txHash} replaced, space-separated. */
    @Column(name = "replaced_hashes", columnDefinition = "text")
    public String replacedHashes;

    public Kind kind() {
        return Kind.valueOf(kind);
    }

    /** Keeps {@code hash} among the ones this intent was sent under before its current one. */
    public void addReplaced(String hash) {
        replacedHashes = replacedHashes == null ? hash : replacedHashes + " " + hash;
    }

    /** Every hash this intent was sent under, the current one first: any of them may be the one mined. */
    public List<String> hashes() {
        List<String> all = new ArrayList<>();
        if (txHash != null) {
            all.add(txHash);
        }
        if (replacedHashes != null && !replacedHashes.isBlank()) {
            all.addAll(List.of(replacedHashes.strip().split(" ")));
        }
        return all;
    }
}
