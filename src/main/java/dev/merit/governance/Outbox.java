package dev.merit.governance;

import dev.merit.events.Lifecycle;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.governance.contracts.MeritGovernor;
import dev.merit.payroll.PayoutLedger;
import dev.merit.payroll.ProposalState;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The transaction outbox. An intent is stored (PENDING) in the caller's transaction; sending it first asks the chain
 * whether its effect is already there (then it is CONFIRMED without a transaction), else sends it, records the hash
 * (SENT) in its own committed transaction before waiting, and ends CONFIRMED or FAILED by the receipt. A node that
 * does not answer leaves the intent PENDING, retried with backoff; a restart resumes from the stored state. What each
 * kind of intent means on chain is {@link ChainIntents}'; how a transaction is priced, sent and replaced,
 * {@link ChainSender}'s; the row updates are {@link OutboxRows}.
 */
@ApplicationScoped
public class Outbox {

    private static final Logger LOG = Logger.getLogger(Outbox.class);

    private final ChainService chain;
    private final ObjectMapper json;
    private final PayoutLedger ledger;
    private final ChainIntents intents;
    private final ChainSender sender;
    private final SavedChainState saved;

    @Inject
    Event<Lifecycle> lifecycle;

    public Outbox(ChainService chain, ObjectMapper json, PayoutLedger ledger, ChainIntents intents,
                  ChainSender sender, SavedChainState saved) {
        this.saved = saved;
        this.chain = chain;
        this.json = json;
        this.ledger = ledger;
        this.intents = intents;
        this.sender = sender;
    }

    /** Stores an intent unless one with the same key exists; returns its id. */
    @Transactional
    public long enqueue(long chainProposalId, ChainTx.Kind kind, String dedupeKey, Map<String, ?> payload) {
        Optional<ChainTx> existing = ChainTx.find("dedupeKey", dedupeKey).firstResultOptional();
        if (existing.isPresent()) {
            return existing.get().id;
        }
        ChainTx t = new ChainTx();
        t.chainProposalId = chainProposalId;
        t.kind = kind.name();
        t.dedupeKey = dedupeKey;
        try {
            t.payload = json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        t.status = ChainTx.Status.PENDING.name();
        t.createdAt = Instant.now();
        t.updatedAt = t.createdAt;
        t.nextAttemptAt = t.createdAt;
        t.persist();
        return t.id;
    }

    /**
     * Stores a member's signed vote to relay, one per member and proposal ({@code dedupeKey}). A vote of theirs on its
     * way already answers a second sending that votes the same way, and refuses one that votes another (the governor
     * counts the first one mined, and a member cannot change it). One that failed on chain (reverted) stays, under
     * another key, and the new signature is relayed: the member was otherwise answered with the dead intent for ever.
     */
    @Transactional
    public long enqueueVote(long chainProposalId, String dedupeKey, Map<String, Object> payload) {
        Optional<ChainTx> existing = ChainTx.find("dedupeKey", dedupeKey).withLock(jakarta.persistence.LockModeType
                .PESSIMISTIC_WRITE).firstResultOptional();
        if (existing.isPresent() && existing.get().status.equals(ChainTx.Status.FAILED.name())) {
            ChainTx failed = existing.get();
            failed.dedupeKey = dedupeKey + ":failed:" + failed.id;
            failed.flush(); // the key is free before the new intent takes it
        } else if (existing.isPresent()) {
            int sent = supportOf(existing.get());
            if (sent != (int) payload.get("support")) {
                throw new dev.merit.problem.ProblemException(dev.merit.problem.ProblemException.Kind.CONFLICT,
                        "vote-in-flight", "A vote is already on its way", payload.get("voter") + "'s vote "
                        + Ballot.SUPPORT_WORDS.get(sent) + " this proposal is already "
                        + (existing.get().txHash == null ? "queued to be sent" : "being sent in transaction "
                        + existing.get().txHash) + ". The governor counts a member's first vote, and it cannot be "
                        + "changed.", null);
            }
            return existing.get().id; // the same vote again: the intent already on its way
        }
        return enqueue(chainProposalId, ChainTx.Kind.VOTE, dedupeKey, payload);
    }

    private int supportOf(ChainTx vote) {
        try {
            return json.readTree(vote.payload).get("support").asInt();
        } catch (IOException e) { // the payload is Merit's own JSON
            throw new IllegalStateException(e);
        }
    }

    /** Whether an executed proposal still has claims to push (or none enqueued yet). */
    @Transactional
    public boolean claimsOutstanding(long chainProposalId) {
        if (ChainProposal.<ChainProposal>findById(chainProposalId).leafList(json).isEmpty()) {
            return false; // every share held: nothing to claim
        }
        long claims = ChainTx.count("chainProposalId = ?1 and kind = 'CLAIM'", chainProposalId);
        long open = ChainTx.count("chainProposalId = ?1 and kind = 'CLAIM' and status in ('PENDING', 'SENT')",
                chainProposalId);
        return claims == 0 || open > 0;
    }

    public List<ChainTx> of(long chainProposalId) {
        return ChainTx.list("chainProposalId = ?1 order by createdAt, id", chainProposalId); // ids before V38 came in blocks
    }

    /** Sends every due intent, oldest first. */
    public void processDue() {
        saved.keepOnceAMinute(); // the local chain's blocks (members' votes) kept whole, not only Merit's steps
        List<Long> due = QuarkusTransaction.requiringNew().call(() -> ChainTx.<ChainTx>list(
                        "status in ('PENDING', 'SENT') and nextAttemptAt <= ?1 order by createdAt, id", Instant.now())
                .stream().map(t -> t.id).toList());
        for (Long id : due) {
            process(id);
        }
    }

    /**
     * For a command that runs the local chain itself (no server beside it): drives the intents of chain proposal
     * {@code chainProposalId} that were sent until each is recorded (mined, and as deep as merit.chain.confirmations)
     * or about as long as that takes has passed. Its chain stops with the command: a step left waiting for its depth
     * would be recorded only by the next command.
     */
    public void settle(long chainProposalId) {
        int depth = chain.confirmations();
        if (depth == 0 || chain.localNode().isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + (depth + 3L) * chain.config().embedded().blockTime() * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<Long> sent = QuarkusTransaction.requiringNew().call(() -> ChainTx.<ChainTx>list(
                    "chainProposalId = ?1 and status = 'SENT'", chainProposalId).stream().map(t -> t.id).toList());
            if (sent.isEmpty()) {
                return;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sent.forEach(this::process);
        }
    }

    /** Drives one intent as far as it can go now. */
    public void process(long id) {
        ChainTx t = QuarkusTransaction.requiringNew().call(() -> ChainTx.<ChainTx>findById(id));
        if (t.status.equals(ChainTx.Status.CONFIRMED.name()) || t.status.equals(ChainTx.Status.FAILED.name())) {
            return;
        }
        ChainProposal cp = QuarkusTransaction.requiringNew().call(() -> ChainProposal.<ChainProposal>findById(t.chainProposalId));
        ChainIntents.Call sending = null;
        try {
            Optional<TransactionReceipt> mined = sender.minedReceipt(t);
            if (mined.isPresent()) {
                finish(t, cp, mined.get());
                return;
            }
            if (intents.alreadyDone(t, cp)) {
                doneElsewhere(t, cp);
                return;
            }
            if (cp.state().equals(ChainProposal.State.SUPERSEDED)) {
                // A newer payout of its epoch replaced it: nothing more is sent for it, and what was sent and not
                // mined is cancelled (the DAO may still pass and execute it by hand; ExecutedPayouts follows that).
                sender.cancel(t, superseded(cp));
                return;
            }
            if (t.txHash != null && !sender.unmined(t, cp)) {
                return;
            }
            ChainIntents.Readiness readiness = intents.readiness(t, cp);
            Optional<String> periodTaken = intents.periodTaken(t, cp);
            if (periodTaken.isPresent()) {
                OutboxRows.update(t.id, ChainTx.Status.FAILED, null, periodTaken.get(), 0);
                return;
            }
            if (readiness == ChainIntents.Readiness.NEVER) {
                OutboxRows.update(t.id, ChainTx.Status.FAILED, null, "no longer possible: the proposal is "
                        + ProposalState.ofChain(intents.proposalState(cp).name()) + " on chain", 0);
                return;
            }
            if (readiness == ChainIntents.Readiness.LATER) {
                ChainProposal.State state = intents.proposalState(cp);
                OutboxRows.postpone(t.id, "not due yet: the proposal is " + ProposalState.ofChain(state.name())
                        + " on chain" + (state == ChainProposal.State.QUEUED ? " until the timelock's delay has passed" : ""));
                return;
            }
            sending = intents.call(t, cp);
            TransactionReceipt receipt = sender.awaitReceipt(sender.send(t, sending));
            if (receipt != null) {
                finish(t, cp, receipt);
            }
        } catch (ChainSender.BatchReverts e) {
            // Claimed meanwhile (a contributor's own claim mined between the check and the estimate, or a node that
            // answered the check from behind): what was claimed is recorded, and the rest sent again, rather than a
            // line of a batch of one failed as one the vault cannot pay.
            try {
                if (intents.alreadyDone(t, cp)) {
                    doneElsewhere(t, cp);
                    return;
                }
                // Only a leaf the refused call would have paid, claimed since: then the call made now differs. A
                // leaf claimed before it was made does not count (the same call would fail again, for ever).
                if (sending != null && !sending.leaves().isEmpty() && intents.anyClaimed(cp, sending.leaves())) {
                    OutboxRows.retryLater(t.id, "part of the batch was claimed meanwhile by another transaction; "
                            + "sending the rest");
                    return;
                }
            } catch (IOException io) {
                OutboxRows.retryLater(t.id, "chain unreachable: " + io.getMessage());
                return;
            }
            split(t, cp, e.getMessage());
        } catch (IOException e) {
            OutboxRows.retryLater(t.id, "chain unreachable: " + e.getMessage());
        } catch (RuntimeException e) {
            // An I/O failure, or the node (or a provider or proxy in front of it) answering with an HTTP error (502, 503,
            // 429): an outage, whatever the request did. A transaction sent is followed by its recorded hash next time.
            if (e.getCause() instanceof IOException || e instanceof org.web3j.protocol.exceptions.ClientConnectionException) {
                OutboxRows.retryLater(t.id, "chain unreachable: " + (e.getCause() instanceof IOException io
                        ? io.getMessage() : e.getMessage().strip()));
            } else {
                LOG.warnf(e, "Chain intent %d (%s) failed", t.id, t.dedupeKey);
                OutboxRows.retryLater(t.id, e.getMessage());
            }
        }
    }

    /**
     * What the intent asked for is on chain, by another transaction: a claim the contributor made themselves, one of
     * Merit's own sent before a crash recorded it, or anyone's execute. Claimed lines are marked paid, each by the
     * transaction that claimed it.
     */
    private void doneElsewhere(ChainTx t, ChainProposal cp) throws IOException {
        int depth = chain.confirmations();
        if (depth > 0) {
            // Recorded (a line paid, a step done) only once the other transaction is as deep as Merit waits for its
            // own: a reorg that drops it must not leave "paid" behind, nor a step Merit then never sends.
            BigInteger settled = chain.settled(chain.web3j().ethBlockNumber().send().getBlockNumber());
            if (!intents.alreadyDone(t, cp, org.web3j.protocol.core.DefaultBlockParameter.valueOf(settled))) {
                OutboxRows.postpone(t.id, "done on chain by another transaction; waiting for " + depth
                        + (depth == 1 ? " confirmation" : " confirmations"));
                return;
            }
        }
        if (depth > 0) {
            saved.keep(); // what is recorded next is in the local chain's kept state
        }
        List<String> wallets = t.kind() == ChainTx.Kind.CLAIM ? batchWallets(t, cp) : List.of();
        Map<String, String> claims = t.kind() == ChainTx.Kind.CLAIM ? intents.claimTransactions(cp, wallets) : Map.of();
        if (!claims.keySet().containsAll(wallets)) {
            // Claimed on the vault, but the node has not shown every Claimed event yet: the lines wait for them.
            OutboxRows.retryLater(t.id, "claimed on chain; waiting for the node to show each claim's transaction");
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            ChainTx row = ChainTx.findById(t.id);
            row.status = ChainTx.Status.CONFIRMED.name();
            row.lastError = "already done on chain";
            row.updatedAt = Instant.now();
            if (t.kind() == ChainTx.Kind.CLAIM) {
                markPaid(cp, t, claims, null);
            }
        });
    }

    /**
     * A claim batch the vault reverts as a whole: one leaf's recipient the token refuses (a blacklist, the zero address
     * linked before it was refused) stopped every other line of the batch, retried for ever. It is split in two, each
     * half its own intent, down to single leaves; a single leaf the vault cannot pay fails with the reason, and its
     * line stays claimable (by its contributor, to a wallet that can receive).
     */
    private void split(ChainTx t, ChainProposal cp, String why) {
        try {
            List<Integer> indices = new java.util.ArrayList<>();
            json.readTree(t.payload).get("indices").forEach(i -> indices.add(i.asInt()));
            if (indices.size() <= 1) {
                String account = intents.batchLeaves(t, cp).get(0).account();
                OutboxRows.update(t.id, ChainTx.Status.FAILED, null, "the vault cannot pay " + account + ": " + why
                        + "; its line stays claimable", 0);
                LOG.warnf("Payout proposal %d: the vault cannot pay %s (%s)", cp.payoutProposalId, account, why);
                return;
            }
            int half = indices.size() / 2;
            QuarkusTransaction.requiringNew().run(() -> {
                enqueue(cp.id, ChainTx.Kind.CLAIM, t.dedupeKey + "/1", Map.of("indices", indices.subList(0, half)));
                enqueue(cp.id, ChainTx.Kind.CLAIM, t.dedupeKey + "/2", Map.of("indices",
                        indices.subList(half, indices.size())));
                ChainTx row = ChainTx.findById(t.id);
                row.status = ChainTx.Status.FAILED.name();
                row.lastError = "split in two (" + half + " and " + (indices.size() - half) + " lines): " + why;
                row.updatedAt = Instant.now();
            });
        } catch (IOException e) { // the payload is Merit's own JSON
            throw new IllegalStateException(e);
        }
    }

    private static String superseded(ChainProposal cp) {
        return "payout proposal " + cp.payoutProposalId + " was superseded by payout proposal " + cp.supersededBy;
    }

    private void finish(ChainTx t, ChainProposal cp, TransactionReceipt receipt) throws IOException {
        // Recorded (a line marked paid, a step confirmed) only once the block is merit.chain.confirmations deep, as
        // the governor's state is read: a reorg must not leave Merit saying "paid" of a claim the chain dropped.
        int depth = chain.confirmations();
        if (depth > 0 && receipt.getBlockNumber() != null && chain.web3j().ethBlockNumber().send().getBlockNumber()
                .subtract(receipt.getBlockNumber()).compareTo(BigInteger.valueOf(depth)) < 0) {
            OutboxRows.postpone(t.id, "mined as " + receipt.getTransactionHash() + " in block " + receipt.getBlockNumber()
                    + "; waiting for " + depth + (depth == 1 ? " confirmation" : " confirmations"));
            return;
        }
        if (depth > 0) {
            saved.keep(); // what is recorded next is in the local chain's kept state (anvil saved it by this depth)
        }
        if (sender.isCancel(receipt.getTo())) {
            OutboxRows.update(t.id, ChainTx.Status.FAILED, receipt.getTransactionHash(), "cancelled: " + superseded(cp)
                    + "; its nonce went to a transfer of nothing from the signer to itself", 0);
            LOG.infof("Chain %s for payout proposal %d cancelled by %s", t.kind, cp.payoutProposalId,
                    receipt.getTransactionHash());
            return;
        }
        if (!receipt.isStatusOK() && intents.alreadyDone(t, cp)) {
            doneElsewhere(t, cp); // reverted because another transaction did it first
            return;
        }
        if (!receipt.isStatusOK() && t.kind() == ChainTx.Kind.CLAIM && intents.anyClaimed(cp, intents.sentLeaves(t, cp,
                receipt.getTransactionHash()).orElse(intents.batchIndices(t)))) {
            // Part of what it paid was claimed meanwhile (by its contributor, or by an overlapping batch): the next
            // call claims only the rest, so it is sent again rather than given up. A leaf claimed before the batch
            // was made was not in the call (its input on chain says which were), and does not count: the same call
            // would revert again, and cost gas each time.
            OutboxRows.unsent(t.id, true, "reverted: part of the batch was claimed meanwhile by another transaction ("
                    + receipt.getTransactionHash() + "); sending the rest", true);
            return;
        }
        if (!receipt.isStatusOK()) {
            OutboxRows.update(t.id, ChainTx.Status.FAILED, receipt.getTransactionHash(),
                    "reverted" + (receipt.getRevertReason() == null ? "" : ": " + receipt.getRevertReason()), 0);
            return;
        }
        if (t.kind() == ChainTx.Kind.PROPOSE) {
            List<BigInteger> created = MeritGovernor.getProposalCreatedEvents(receipt).stream()
                    .map(e -> e.proposalId).toList();
            if (!created.contains(new BigInteger(cp.onchainId))) {
                OutboxRows.update(t.id, ChainTx.Status.FAILED, receipt.getTransactionHash(), "the governor created proposal "
                        + created + ", not the locally computed " + cp.onchainId, 0);
                return;
            }
        }
        // Leaves of the batch a contributor claimed themselves meanwhile were paid by their own transaction: the
        // receipt names what this one paid, the vault's events the rest (if the node cannot list them, this one).
        Map<String, String> claims = t.kind() == ChainTx.Kind.CLAIM ? claimsOf(t, cp, receipt) : Map.of();
        QuarkusTransaction.requiringNew().run(() -> {
            ChainTx row = ChainTx.findById(t.id);
            row.status = ChainTx.Status.CONFIRMED.name();
            row.txHash = receipt.getTransactionHash();
            row.lastError = null;
            row.updatedAt = Instant.now();
            if (t.kind() == ChainTx.Kind.CLAIM) {
                markPaid(cp, t, claims, receipt.getTransactionHash());
            }
        });
        LOG.infof("Chain %s confirmed for payout proposal %d: %s", t.kind, cp.payoutProposalId, receipt.getTransactionHash());
    }

    private Map<String, String> claimsOf(ChainTx t, ChainProposal cp, TransactionReceipt receipt) {
        Map<String, String> claims = new java.util.HashMap<>();
        dev.merit.governance.contracts.PayrollVault.getClaimedEvents(receipt).forEach(e ->
                claims.put(e.account.toLowerCase(Locale.ROOT), receipt.getTransactionHash()));
        try {
            List<String> wallets = batchWallets(t, cp);
            if (!claims.keySet().containsAll(wallets)) {
                intents.claimTransactions(cp, wallets).forEach(claims::putIfAbsent);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Payout proposal %d: the vault's claims could not be listed (%s); the batch's lines are marked "
                    + "paid by %s", cp.payoutProposalId, e.getMessage(), receipt.getTransactionHash());
        }
        return claims;
    }

    /** The wallets a claim batch pays, lower case. */
    private List<String> batchWallets(ChainTx t, ChainProposal cp) throws IOException {
        return intents.batchLeaves(t, cp).stream().map(l -> l.account().toLowerCase(Locale.ROOT)).toList();
    }

    /**
     * Marks the batch's lines paid, each by the transaction whose Claimed event paid its wallet ({@code claims}, by
     * lower-case wallet), else by {@code txHash} (this batch's own); a line whose claim cannot be found is left as it
     * is, for the next poll.
     */
    private void markPaid(ChainProposal cp, ChainTx t, Map<String, String> claims, String txHash) {
        try {
            Map<String, Integer> byTx = new LinkedHashMap<>();
            for (MerkleTree.Leaf leaf : intents.batchLeaves(t, cp)) {
                String wallet = leaf.account();
                String paidBy = claims.getOrDefault(wallet.toLowerCase(Locale.ROOT), txHash);
                if (paidBy == null) {
                    LOG.warnf("Payout proposal %d: no Claimed event found for %s yet", cp.payoutProposalId, wallet);
                    continue;
                }
                ledger.markPaid(cp.payoutProposalId, wallet, paidBy);
                byTx.merge(paidBy, 1, Integer::sum);
            }
            byTx.forEach((hash, recipients) -> lifecycle.fire(new Lifecycle("payment.made", "payout-proposal/"
                    + cp.payoutProposalId + "/claim/" + hash, Map.of("proposalId", cp.payoutProposalId, "txHash", hash,
                    "recipients", recipients))));
        } catch (IOException e) { // the payload is Merit's own JSON
            throw new IllegalStateException(e);
        }
    }

}
