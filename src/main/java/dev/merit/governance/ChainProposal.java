package dev.merit.governance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
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

/** A payout proposal's life on chain: the governor proposal that approves its Merkle root in the vault. */
@Entity
@Table(name = "chain_proposal")
public class ChainProposal extends PanacheEntityBase {

    /**
     * Mirrors OpenZeppelin's ProposalState, plus PROPOSING before the chain has it and SUPERSEDED once a newer payout
     * of the same epoch went on chain (Merit no longer follows it; the vault's period rule lets at most one pay).
     */
    public enum State { PROPOSING, PENDING, ACTIVE, CANCELED, DEFEATED, SUCCEEDED, QUEUED, EXPIRED, EXECUTED, SUPERSEDED;

        /** From OpenZeppelin's ProposalState ordinal. */
        public static State ofChain(int ordinal) {
            return values()[ordinal + 1];
        }

        public boolean terminal() {
            return this == CANCELED || this == DEFEATED || this == EXPIRED;
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "chain_proposal_seq")
    @SequenceGenerator(name = "chain_proposal_seq", sequenceName = "chain_proposal_seq", allocationSize = 50)
    public Long id;

    @Column(name = "payout_proposal_id", nullable = false)
    public Long payoutProposalId;

    @Column(nullable = false)
    public String governor;

    @Column(nullable = false)
    public String vault;

    /** uint256 proposal id, decimal: keccak256(abi.encode(targets, values, calldatas, descriptionHash)). */
    @Column(name = "onchain_id", nullable = false)
    public String onchainId;

    /** The vault's epoch key: the payout's content hash as uint256, so the same payout can never be approved twice. */
    @Column(name = "vault_epoch", nullable = false)
    public String vaultEpoch;

    @Column(nullable = false, columnDefinition = "text")
    public String description;

    /** approveEpoch(...) calldata, hex. */
    @Column(nullable = false, columnDefinition = "text")
    public String calldata;

    @Column(name = "merkle_root", nullable = false)
    public String merkleRoot;

    @Column(nullable = false, precision = 78, scale = 0)
    public BigInteger total;

    /** The tree's leaves, JSON [{account, amount}], in the order the tree was built from. */
    @Column(nullable = false, columnDefinition = "text")
    public String leaves;

    @Column(nullable = false)
    public String state;

    @Column(name = "votes_for", nullable = false, precision = 78, scale = 0)
    public BigInteger votesFor = BigInteger.ZERO;

    @Column(name = "votes_against", nullable = false, precision = 78, scale = 0)
    public BigInteger votesAgainst = BigInteger.ZERO;

    @Column(name = "votes_abstain", nullable = false, precision = 78, scale = 0)
    public BigInteger votesAbstain = BigInteger.ZERO;

    @Column(nullable = false, precision = 78, scale = 0)
    public BigInteger quorum = BigInteger.ZERO;

    @Column(name = "vote_start")
    public Long voteStart;

    @Column(name = "vote_end")
    public Long voteEnd;

    /** When the timelock lets it execute (seconds since the epoch), once queued. */
    public Long eta;

    /** The block of the governor's ProposalExecuted for it (whoever executed it); null before, or not found. */
    @Column(name = "executed_block")
    public Long executedBlock;

    /** That block's own time: when the payout was approved and paid. */
    @Column(name = "executed_at")
    public Instant executedAt;

    /**
     * How many people's contributions no payout had paid this payout closed for good when it went on chain, as asked
     * (the vault pays periods once and in order); null when it closed none.
     */
    @Column(name = "closed_unpaid")
    public Long closedUnpaid;

    /** The earliest date of that work's time (what the vault had paid up to); null: from the start. */
    @Column(name = "closed_unpaid_since")
    public Instant closedUnpaidSince;

    /** The end of that time: the start of this payout's epoch. */
    @Column(name = "closed_unpaid_until")
    public Instant closedUnpaidUntil;

    /** Who asked to close it (the signed-in maintainer's name or wallet, or "a maintainer"). */
    @Column(name = "closed_unpaid_by", length = 200)
    public String closedUnpaidBy;

    /** Every vault call the governor proposal makes, JSON [{target, data}]; null for proposals that made one. */
    @Column(columnDefinition = "text")
    public String calls;

    /** Shares held for contributors without a wallet: their Merkle root, total and leaves [{account: key, amount}]. */
    @Column(name = "held_root")
    public String heldRoot;

    @Column(name = "held_total", precision = 78, scale = 0)
    public BigInteger heldTotal;

    @Column(name = "held_leaves", columnDefinition = "text")
    public String heldLeaves;

    /** Held lines of earlier payouts this proposal releases to wallets, JSON [payout line id]. */
    @Column(name = "released_lines", columnDefinition = "text")
    public String releasedLines;

    /** The wallet each of those lines is released to, as the vote sends it: JSON {payout line id: wallet}. */
    @Column(name = "released_to", columnDefinition = "text")
    public String releasedTo;

    /** Earlier chain proposals whose held shares this proposal returns to the treasury, JSON [id]. */
    @Column(name = "returned_proposals", columnDefinition = "text")
    public String returnedProposals;

    /**
     * Whether the proposal can no longer pay. For a superseded one: its governor state can no longer change (defeated,
     * canceled, expired, executed, never proposed); until then Merit follows it, since the DAO may still pass and
     * execute it. For any other: another payout took its period on the vault, so its execution would revert; what it
     * would release or return from held shares is left to later proposals.
     */
    @Column(name = "chain_final", nullable = false)
    public boolean chainFinal;

    /** The payout proposal of the same epoch that replaced this one on chain, once superseded. */
    @Column(name = "superseded_by")
    public Long supersededBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public State state() {
        return State.valueOf(state);
    }

    /** The held shares' leaves ({account: key, amount} in tree order); empty when nothing is held. */
    public List<MerkleTree.Leaf> heldLeafList(ObjectMapper json) {
        return heldLeaves == null ? List.of() : read(json, heldLeaves, new TypeReference<>() { }, "held leaves");
    }

    /** The vault calls the governor proposal makes: targets and calldatas, in order. */
    public List<PayoutPlans.Call> callList(ObjectMapper json) {
        return calls == null ? List.of(new PayoutPlans.Call(vault, calldata))
                : read(json, calls, new TypeReference<>() { }, "calls");
    }

    /** The Merkle leaves as stored ({account, amount} in tree order): the one way they are read. */
    public List<MerkleTree.Leaf> leafList(ObjectMapper json) {
        return read(json, leaves, new TypeReference<>() { }, "leaves");
    }

    /** {@link #releasedLines} read: the held payout lines this proposal releases; empty when none. */
    public List<Long> releasedLineIds(ObjectMapper json) {
        return releasedLines == null ? List.of() : read(json, releasedLines, new TypeReference<>() { }, "released lines");
    }

    /**
     * {@link #releasedTo} read: each released payout line's wallet, in order; empty when none, or when the proposal was
     * made before V22 recorded them (its {@link #releasedLineIds} still name the lines).
     */
    public java.util.Map<Long, String> releasedToMap(ObjectMapper json) {
        return releasedTo == null ? java.util.Map.of() : read(json, releasedTo, new TypeReference<java.util.LinkedHashMap<Long,
                String>>() { }, "released wallets");
    }

    /** {@link #returnedProposals} read: the payout proposals whose held shares this one returns; empty when none. */
    public List<Long> returnedProposalIds(ObjectMapper json) {
        return returnedProposals == null ? List.of()
                : read(json, returnedProposals, new TypeReference<>() { }, "returned proposals");
    }

    private <T> T read(ObjectMapper json, String text, TypeReference<T> type, String what) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(what + " of chain proposal " + id + " are unreadable", e);
        }
    }
}
