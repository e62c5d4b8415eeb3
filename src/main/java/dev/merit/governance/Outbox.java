package dev.merit.governance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.governance.chain.Deployment;
import dev.merit.governance.contracts.MeritGovernor;
import dev.merit.governance.contracts.PayrollVault;
import dev.merit.payroll.PayoutLine;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The transaction outbox. An intent is stored (PENDING) in the caller's transaction; sending it first asks the chain
 * whether its effect is already there (then it is CONFIRMED without a transaction), else sends it, records the hash
 * (SENT) in its own committed transaction before waiting, and ends CONFIRMED or FAILED by the receipt. A node that
 * does not answer leaves the intent PENDING, retried with backoff; a restart resumes from the stored state.
 */
@ApplicationScoped
public class Outbox {

    private static final Logger LOG = Logger.getLogger(Outbox.class);
    private static final Duration RECEIPT_WAIT = Duration.ofSeconds(30);

    private final ChainService chain;
    private final ObjectMapper json;

    @jakarta.inject.Inject
    jakarta.enterprise.event.Event<dev.merit.events.Lifecycle> lifecycle;

    public Outbox(ChainService chain, ObjectMapper json) {
        this.chain = chain;
        this.json = json;
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

    /** Whether an executed proposal still has claims to push (or none enqueued yet). */
    @Transactional
    public boolean claimsOutstanding(long chainProposalId) {
        long claims = ChainTx.count("chainProposalId = ?1 and kind = 'CLAIM'", chainProposalId);
        long open = ChainTx.count("chainProposalId = ?1 and kind = 'CLAIM' and status in ('PENDING', 'SENT')",
                chainProposalId);
        return claims == 0 || open > 0;
    }

    public List<ChainTx> of(long chainProposalId) {
        return ChainTx.list("chainProposalId = ?1 order by id", chainProposalId);
    }

    /** Sends every due intent, oldest first. */
    public void processDue() {
        List<Long> due = QuarkusTransaction.requiringNew().call(() -> ChainTx.<ChainTx>list(
                        "status in ('PENDING', 'SENT') and nextAttemptAt <= ?1 order by id", Instant.now())
                .stream().map(t -> t.id).toList());
        for (Long id : due) {
            process(id);
        }
    }

    /** Drives one intent as far as it can go now. */
    public void process(long id) {
        ChainTx t = QuarkusTransaction.requiringNew().call(() -> ChainTx.<ChainTx>findById(id));
        if (t.status.equals(ChainTx.Status.CONFIRMED.name()) || t.status.equals(ChainTx.Status.FAILED.name())) {
            return;
        }
        ChainProposal cp = QuarkusTransaction.requiringNew().call(() -> ChainProposal.<ChainProposal>findById(t.chainProposalId));
        try {
            if (t.txHash != null) {
                Optional<TransactionReceipt> receipt = chain.web3j().ethGetTransactionReceipt(t.txHash).send()
                        .getTransactionReceipt();
                if (receipt.isPresent()) {
                    finish(t, cp, receipt.get());
                    return;
                }
                // Sent but not mined and perhaps lost (node restarted): re-check the chain, then send again below.
            }
            if (alreadyDone(t, cp)) {
                update(t.id, ChainTx.Status.CONFIRMED, null, "already done on chain", 0);
                return;
            }
            Readiness readiness = readiness(t, cp);
            if (readiness == Readiness.NEVER) {
                update(t.id, ChainTx.Status.FAILED, null, "no longer possible: the proposal is "
                        + proposalState(cp) + " on chain", 0);
                return;
            }
            if (readiness == Readiness.LATER) {
                postpone(t.id, "not due yet on chain (proposal " + proposalState(cp) + ")");
                return;
            }
            Call call = call(t, cp);
            // Claim the intent (compare-and-set on its attempt count): of two processes, only one sends it.
            int attempt = t.attempts;
            int claimed = QuarkusTransaction.requiringNew().call(() -> ChainTx.update(
                    "attempts = attempts + 1, updatedAt = ?1 where id = ?2 and attempts = ?3 and status = 'PENDING'",
                    Instant.now(), t.id, attempt));
            if (claimed == 0) {
                return;
            }
            RawTransactionManager sender = (RawTransactionManager) Deployment.transactions(chain.web3j(), chain.signer(),
                    chain.chainId());
            EthSendTransaction sent = sender.sendTransaction(Deployment.GAS.getGasPrice(), Deployment.GAS.getGasLimit(),
                    call.to(), call.data(), BigInteger.ZERO);
            if (sent.hasError()) {
                update(t.id, ChainTx.Status.FAILED, null, "rejected by the node: " + sent.getError().getMessage(), 0);
                return;
            }
            update(t.id, ChainTx.Status.SENT, sent.getTransactionHash(), null, 0);
            TransactionReceipt receipt = awaitReceipt(sent.getTransactionHash());
            if (receipt == null) {
                retryLater(t.id, "no receipt within " + RECEIPT_WAIT.toSeconds() + " s");
                return;
            }
            finish(t, cp, receipt);
        } catch (IOException e) {
            retryLater(t.id, "chain unreachable: " + e.getMessage());
        } catch (RuntimeException e) {
            if (e.getCause() instanceof IOException) {
                retryLater(t.id, "chain unreachable: " + e.getCause().getMessage());
            } else {
                LOG.warnf(e, "Chain intent %d (%s) failed", t.id, t.dedupeKey);
                retryLater(t.id, e.getMessage());
            }
        }
    }

    private record Call(String to, String data) {
    }

    private Call call(ChainTx t, ChainProposal cp) throws IOException {
        MeritGovernor governor = governor(cp);
        BigInteger id = new BigInteger(cp.onchainId);
        List<String> targets = List.of(cp.vault);
        List<BigInteger> values = List.of(BigInteger.ZERO);
        List<byte[]> calldatas = List.of(Numeric.hexStringToByteArray(cp.calldata));
        byte[] descriptionHash = Hash.sha3(cp.description.getBytes(StandardCharsets.UTF_8));
        JsonNode payload = json.readTree(t.payload);
        return switch (t.kind()) {
            case PROPOSE -> new Call(cp.governor, governor.propose(targets, values, calldatas, cp.description)
                    .encodeFunctionCall());
            case VOTE -> new Call(cp.governor, governor.castVoteBySig(id,
                    BigInteger.valueOf(payload.get("support").asInt()), payload.get("voter").asText(),
                    Numeric.hexStringToByteArray(payload.get("signature").asText())).encodeFunctionCall());
            case QUEUE -> new Call(cp.governor, governor.queue(targets, values, calldatas, descriptionHash)
                    .encodeFunctionCall());
            case EXECUTE -> new Call(cp.governor, governor.execute(targets, values, calldatas, descriptionHash,
                    BigInteger.ZERO).encodeFunctionCall());
            case CLAIM -> claimCall(cp, payload);
        };
    }

    /** A batch claim of the batch's leaves not yet claimed, proven by one multiproof. */
    private Call claimCall(ChainProposal cp, JsonNode payload) throws IOException {
        List<MerkleTree.Leaf> leaves = treeLeaves(cp);
        MerkleTree tree = MerkleTree.of(leaves);
        List<Integer> unclaimed = new ArrayList<>();
        for (JsonNode index : payload.get("indices")) {
            if (!claimed(cp, leaves.get(index.asInt()))) {
                unclaimed.add(index.asInt());
            }
        }
        MerkleTree.MultiProof mp = tree.multiProof(unclaimed);
        return new Call(cp.vault, vault(cp).claimBatch(new BigInteger(cp.vaultEpoch),
                mp.leaves().stream().map(MerkleTree.Leaf::account).toList(),
                mp.leaves().stream().map(MerkleTree.Leaf::amount).toList(), mp.proof(), mp.proofFlags())
                .encodeFunctionCall());
    }

    /** The chain already has this intent's effect: never propose, vote, queue, execute or pay twice. */
    private boolean alreadyDone(ChainTx t, ChainProposal cp) throws IOException {
        MeritGovernor governor = governor(cp);
        BigInteger id = new BigInteger(cp.onchainId);
        return switch (t.kind()) {
            case PROPOSE -> GovernanceService.call(() -> governor.proposalSnapshot(id).send()).signum() > 0;
            case VOTE -> GovernanceService.call(() -> governor.hasVoted(id, json.readTree(t.payload).get("voter").asText()).send());
            case QUEUE -> {
                ChainProposal.State state = proposalState(cp);
                yield state == ChainProposal.State.QUEUED || state == ChainProposal.State.EXECUTED;
            }
            case EXECUTE -> proposalState(cp) == ChainProposal.State.EXECUTED;
            case CLAIM -> {
                List<MerkleTree.Leaf> leaves = treeLeaves(cp);
                boolean all = true;
                for (JsonNode index : json.readTree(t.payload).get("indices")) {
                    all &= claimed(cp, leaves.get(index.asInt()));
                }
                yield all;
            }
        };
    }

    private enum Readiness { NOW, LATER, NEVER }

    /** Whether the chain would accept this write now: what would revert is not sent. */
    private Readiness readiness(ChainTx t, ChainProposal cp) throws IOException {
        if (t.kind() == ChainTx.Kind.PROPOSE) {
            return Readiness.NOW;
        }
        ChainProposal.State state = proposalState(cp);
        if (state.terminal()) {
            return Readiness.NEVER;
        }
        return switch (t.kind()) {
            case VOTE -> state == ChainProposal.State.ACTIVE ? Readiness.NOW
                    : state == ChainProposal.State.PENDING ? Readiness.LATER : Readiness.NEVER;
            case QUEUE -> state == ChainProposal.State.SUCCEEDED ? Readiness.NOW : Readiness.LATER;
            case EXECUTE -> {
                if (state != ChainProposal.State.QUEUED) {
                    yield Readiness.LATER;
                }
                BigInteger eta = GovernanceService.call(() -> governor(cp).proposalEta(new BigInteger(cp.onchainId)).send());
                BigInteger now = chain.web3j().ethGetBlockByNumber(
                        org.web3j.protocol.core.DefaultBlockParameterName.LATEST, false).send().getBlock().getTimestamp();
                // The next block is at least one second later than the latest.
                yield now.add(BigInteger.ONE).compareTo(eta) >= 0 ? Readiness.NOW : Readiness.LATER;
            }
            case CLAIM -> state == ChainProposal.State.EXECUTED ? Readiness.NOW : Readiness.LATER;
            case PROPOSE -> Readiness.NOW;
        };
    }

    private ChainProposal.State proposalState(ChainProposal cp) throws IOException {
        return ChainProposal.State.ofChain(
                GovernanceService.call(() -> governor(cp).state(new BigInteger(cp.onchainId)).send()).intValue());
    }

    private boolean claimed(ChainProposal cp, MerkleTree.Leaf leaf) throws IOException {
        return GovernanceService.call(() -> vault(cp).claimed(new BigInteger(cp.vaultEpoch), MerkleTree.leafHash(leaf)).send());
    }

    private void finish(ChainTx t, ChainProposal cp, TransactionReceipt receipt) {
        if (!receipt.isStatusOK()) {
            update(t.id, ChainTx.Status.FAILED, receipt.getTransactionHash(),
                    "reverted" + (receipt.getRevertReason() == null ? "" : ": " + receipt.getRevertReason()), 0);
            return;
        }
        if (t.kind() == ChainTx.Kind.PROPOSE) {
            List<BigInteger> created = MeritGovernor.getProposalCreatedEvents(receipt).stream()
                    .map(e -> e.proposalId).toList();
            if (!created.contains(new BigInteger(cp.onchainId))) {
                update(t.id, ChainTx.Status.FAILED, receipt.getTransactionHash(), "the governor created proposal "
                        + created + ", not the locally computed " + cp.onchainId, 0);
                return;
            }
        }
        QuarkusTransaction.requiringNew().run(() -> {
            ChainTx row = ChainTx.findById(t.id);
            row.status = ChainTx.Status.CONFIRMED.name();
            row.txHash = receipt.getTransactionHash();
            row.lastError = null;
            row.updatedAt = Instant.now();
            if (t.kind() == ChainTx.Kind.CLAIM) {
                markPaid(cp, t, receipt.getTransactionHash());
            }
        });
        LOG.infof("Chain %s confirmed for payout proposal %d: %s", t.kind, cp.payoutProposalId, receipt.getTransactionHash());
    }

    private void markPaid(ChainProposal cp, ChainTx t, String txHash) {
        List<MerkleTree.Leaf> leaves = treeLeaves(cp);
        try {
            for (JsonNode index : json.readTree(t.payload).get("indices")) {
                String wallet = leaves.get(index.asInt()).account();
                PayoutLine.update("paidTxHash = ?1 where proposalId = ?2 and lower(wallet) = ?3 and paidTxHash is null",
                        txHash, cp.payoutProposalId, wallet.toLowerCase());
            }
            lifecycle.fire(new dev.merit.events.Lifecycle("payment.made", "payout-proposal/" + cp.payoutProposalId
                    + "/claim/" + txHash, Map.of("proposalId", cp.payoutProposalId, "txHash", txHash,
                    "recipients", json.readTree(t.payload).get("indices").size())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private TransactionReceipt awaitReceipt(String hash) throws IOException {
        long deadline = System.nanoTime() + RECEIPT_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<TransactionReceipt> receipt = chain.web3j().ethGetTransactionReceipt(hash).send().getTransactionReceipt();
            if (receipt.isPresent()) {
                return receipt.get();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private void update(long id, ChainTx.Status status, String txHash, String error, int attemptsDelta) {
        QuarkusTransaction.requiringNew().run(() -> {
            ChainTx row = ChainTx.findById(id);
            row.status = status.name();
            if (txHash != null) {
                row.txHash = txHash;
            }
            row.lastError = error;
            row.attempts += attemptsDelta;
            row.updatedAt = Instant.now();
        });
    }

    /** Not an error: try again at the next poll. */
    private void postpone(long id, String reason) {
        QuarkusTransaction.requiringNew().run(() -> {
            ChainTx row = ChainTx.findById(id);
            row.lastError = reason;
            row.updatedAt = Instant.now();
        });
    }

    private void retryLater(long id, String reason) {
        QuarkusTransaction.requiringNew().run(() -> {
            ChainTx row = ChainTx.findById(id);
            row.attempts++;
            row.lastError = reason;
            // Backoff: 1, 2, 4 ... seconds, at most a minute.
            row.nextAttemptAt = Instant.now().plusSeconds(Math.min(60, 1L << Math.min(6, row.attempts - 1)));
            row.updatedAt = Instant.now();
        });
        LOG.warnf("Chain intent %d will be retried: %s", id, reason);
    }

    private List<MerkleTree.Leaf> treeLeaves(ChainProposal cp) {
        try {
            List<MerkleTree.Leaf> leaves = new ArrayList<>();
            for (JsonNode leaf : json.readTree(cp.leaves)) {
                leaves.add(new MerkleTree.Leaf(leaf.get("account").asText(), new BigInteger(leaf.get("amount").asText())));
            }
            return leaves;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private MeritGovernor governor(ChainProposal cp) {
        return chain.readGovernor(cp.governor);
    }

    private PayrollVault vault(ChainProposal cp) {
        return chain.readVault(cp.vault);
    }
}
