package dev.merit.governance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.governance.chain.Deployment;
import dev.merit.governance.contracts.MeritGovernor;
import dev.merit.governance.contracts.PayrollVault;
import dev.merit.payroll.PayrollService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.RawTransactionManager;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
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

    private final ChainService chain;
    private final ObjectMapper json;
    private final PayrollService payroll;

    @jakarta.inject.Inject
    jakarta.enterprise.event.Event<dev.merit.events.Lifecycle> lifecycle;

    public Outbox(ChainService chain, ObjectMapper json, PayrollService payroll) {
        this.chain = chain;
        this.json = json;
        this.payroll = payroll;
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
            // Any of the transactions sent for it (a replacement or the one it replaced) may be the one mined.
            for (String hash : t.hashes()) {
                Optional<TransactionReceipt> receipt = chain.web3j().ethGetTransactionReceipt(hash).send()
                        .getTransactionReceipt();
                if (receipt.isPresent()) {
                    finish(t, cp, receipt.get());
                    return;
                }
            }
            if (alreadyDone(t, cp)) {
                update(t.id, ChainTx.Status.CONFIRMED, null, "already done on chain", 0);
                return;
            }
            if (t.txHash != null && !unmined(t, cp)) {
                return;
            }
            Readiness readiness = readiness(t, cp);
            Optional<String> periodTaken = periodTaken(t, cp);
            if (periodTaken.isPresent()) {
                update(t.id, ChainTx.Status.FAILED, null, periodTaken.get(), 0);
                return;
            }
            if (readiness == Readiness.NEVER) {
                update(t.id, ChainTx.Status.FAILED, null, "no longer possible: the proposal is "
                        + proposalState(cp) + " on chain", 0);
                return;
            }
            if (readiness == Readiness.LATER) {
                postpone(t.id, "not due yet on chain (proposal " + proposalState(cp) + ")");
                return;
            }
            TransactionReceipt receipt = awaitReceipt(send(t, call(t, cp)));
            if (receipt != null) {
                finish(t, cp, receipt);
            }
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

    /**
     * A sent transaction without a receipt. Waits while it is young; once it has waited
     * {@code merit.chain.replace-after}, sends it again with the same nonce and fees raised 12.5% (or what the market
     * asks, if more), which replaces it in the node's pool or re-sends it if the pool dropped it. If its nonce was
     * taken by another transaction of the signer's, it can never be mined: it goes back to PENDING, and true is
     * returned so it is sent anew now. An intent sent before nonces were recorded takes them from the node.
     */
    private boolean unmined(ChainTx t, ChainProposal cp) throws IOException {
        Web3j web3j = chain.web3j();
        Credentials signer = chain.signer();
        if (t.nonce == null) {
            Optional<org.web3j.protocol.core.methods.response.Transaction> known =
                    web3j.ethGetTransactionByHash(t.txHash).send().getTransaction();
            if (known.isEmpty()) {
                resend(t.id, "transaction " + t.txHash + " is unknown to the node (dropped); sending it again");
                return true;
            }
            adopt(t, known.get());
        }
        BigInteger used = web3j.ethGetTransactionCount(signer.getAddress(), DefaultBlockParameterName.LATEST).send()
                .getTransactionCount();
        if (used.compareTo(t.nonce) > 0) {
            resend(t.id, "nonce " + t.nonce + " was used by another transaction of the signer; sending it again");
            return true;
        }
        Instant sentAt = t.sentAt != null ? t.sentAt : t.updatedAt;
        if (sentAt.plus(chain.config().replaceAfter()).isAfter(Instant.now())) {
            postpone(t.id, "sent as " + t.txHash + ", waiting to be mined");
            return false;
        }
        GasPricing.Fees previous = new GasPricing.Fees(t.maxFeePerGas, t.maxPriorityFeePerGas);
        GasPricing.Fees fees = previous.bumped().atLeast(GasPricing.market(web3j));
        Optional<String> tooDear = aboveCeiling(fees);
        if (tooDear.isPresent()) {
            postpone(t.id, "sent as " + t.txHash + " and not mined; replacing it needs " + tooDear.get() + "; waiting");
            return false;
        }
        if (!claim(t, ChainTx.Status.SENT)) {
            return false;
        }
        // The same call as before (a claim batch leaves out what was claimed meanwhile), under the same nonce.
        EthSendTransaction sent = sign(t.nonce, fees, t.gasLimit, call(t, cp));
        if (sent.hasError()) {
            retryLater(t.id, "replacing " + t.txHash + " was refused by the node: " + sent.getError().getMessage());
            return false;
        }
        recordSent(t.id, sent.getTransactionHash(), t.nonce, fees, t.gasLimit, t.txHash);
        LOG.infof("Chain intent %d: %s not mined after %s, replaced by %s (nonce %s, %s)", t.id, t.txHash,
                chain.config().replaceAfter(), sent.getTransactionHash(), t.nonce, fees);
        return false;
    }

    /** Takes nonce, fees and gas limit of a transaction sent before they were recorded. */
    private void adopt(ChainTx t, org.web3j.protocol.core.methods.response.Transaction known) {
        t.nonce = known.getNonce();
        boolean legacy = known.getMaxPriorityFeePerGasRaw() == null;
        t.maxFeePerGas = legacy ? known.getGasPrice() : known.getMaxFeePerGas();
        t.maxPriorityFeePerGas = legacy ? null : known.getMaxPriorityFeePerGas();
        t.gasLimit = known.getGas();
        QuarkusTransaction.requiringNew().run(() -> {
            ChainTx row = ChainTx.findById(t.id);
            row.nonce = t.nonce;
            row.maxFeePerGas = t.maxFeePerGas;
            row.maxPriorityFeePerGas = t.maxPriorityFeePerGas;
            row.gasLimit = t.gasLimit;
        });
    }

    /**
     * Sends a new transaction for a PENDING intent: priced by the chain now (within the DAO's ceiling), its gas
     * estimated by the node (a write that would revert is not sent), the signer's next nonce. Records it SENT and
     * returns its hash, or says why not and returns null.
     */
    private String send(ChainTx t, Call call) throws IOException {
        Web3j web3j = chain.web3j();
        ChainConfig config = chain.config();
        GasPricing.Fees fees = GasPricing.market(web3j);
        Optional<String> tooDear = aboveCeiling(fees);
        if (tooDear.isPresent()) {
            postpone(t.id, "the chain asks " + tooDear.get() + "; waiting for cheaper blocks");
            return null;
        }
        String from = chain.signer().getAddress();
        org.web3j.protocol.core.methods.response.EthEstimateGas estimate = web3j.ethEstimateGas(
                org.web3j.protocol.core.methods.request.Transaction.createFunctionCallTransaction(from, null, null, null,
                        call.to(), call.data())).send();
        if (estimate.hasError()) {
            retryLater(t.id, "the node would not run it now: " + dev.merit.governance.chain.ContractErrors.explain(
                    estimate.getError().getMessage(), estimate.getError().getData()));
            return null;
        }
        BigInteger cap = BigInteger.valueOf(config.maxGas());
        if (estimate.getAmountUsed().compareTo(cap) > 0) {
            update(t.id, ChainTx.Status.FAILED, null, "needs " + estimate.getAmountUsed() + " gas, more than "
                    + "merit.chain.max-gas=" + cap + " allows one transaction"
                    + (t.kind() == ChainTx.Kind.CLAIM ? "; lower merit.chain.claim-batch-size" : ""), 0);
            return null;
        }
        BigInteger gasLimit = GasPricing.gasLimit(estimate.getAmountUsed()).min(cap);
        if (!claim(t, ChainTx.Status.PENDING)) {
            return null;
        }
        BigInteger nonce = web3j.ethGetTransactionCount(from, DefaultBlockParameterName.PENDING).send()
                .getTransactionCount();
        EthSendTransaction sent = sign(nonce, fees, gasLimit, call);
        if (sent.hasError()) {
            String message = dev.merit.governance.chain.ContractErrors.explain(sent.getError().getMessage(),
                    sent.getError().getData());
            String lower = message.toLowerCase(java.util.Locale.ROOT);
            // Another sender took the nonce, or the signer cannot pay now: worth another try, not the end of the intent.
            if (lower.contains("nonce") || lower.contains("underpriced") || lower.contains("already known")
                    || lower.contains("insufficient funds")) {
                retryLater(t.id, "refused by the node, will retry: " + message);
            } else {
                update(t.id, ChainTx.Status.FAILED, null, "rejected by the node: " + message, 0);
            }
            return null;
        }
        recordSent(t.id, sent.getTransactionHash(), nonce, fees, gasLimit, null);
        return sent.getTransactionHash();
    }

    /** The fees and "above merit.chain.max-fee-gwei=N" when they exceed the DAO's ceiling. */
    private Optional<String> aboveCeiling(GasPricing.Fees fees) {
        java.math.BigDecimal ceiling = chain.config().maxFeeGwei();
        return fees.maxFeePerGas().compareTo(GasPricing.wei(ceiling)) > 0
                ? Optional.of(fees + ", above merit.chain.max-fee-gwei=" + ceiling.toPlainString()) : Optional.empty();
    }

    /** Claims the intent to send it (compare-and-set on its attempt count and status): of two processes, only one does. */
    private static boolean claim(ChainTx t, ChainTx.Status status) {
        int attempt = t.attempts;
        return QuarkusTransaction.requiringNew().call(() -> ChainTx.update(
                "attempts = attempts + 1, updatedAt = ?1 where id = ?2 and attempts = ?3 and status = ?4",
                Instant.now(), t.id, attempt, status.name())) == 1;
    }

    private EthSendTransaction sign(BigInteger nonce, GasPricing.Fees fees, BigInteger gasLimit, Call call)
            throws IOException {
        RawTransaction raw = fees.legacy()
                ? RawTransaction.createTransaction(nonce, fees.maxFeePerGas(), gasLimit, call.to(), BigInteger.ZERO,
                call.data())
                : RawTransaction.createTransaction(chain.chainId(), nonce, gasLimit, call.to(), BigInteger.ZERO,
                call.data(), fees.maxPriorityFeePerGas(), fees.maxFeePerGas());
        RawTransactionManager sender = (RawTransactionManager) Deployment.transactions(chain.web3j(), chain.signer(),
                chain.chainId());
        return sender.signAndSend(raw);
    }

    /** The hash is stored (committed) before anything waits for it: a crash after sending loses nothing. */
    private void recordSent(long id, String hash, BigInteger nonce, GasPricing.Fees fees, BigInteger gasLimit,
                            String replaced) {
        QuarkusTransaction.requiringNew().run(() -> {
            ChainTx row = ChainTx.findById(id);
            row.status = ChainTx.Status.SENT.name();
            row.txHash = hash;
            if (replaced != null) {
                row.addReplaced(replaced);
            }
            row.nonce = nonce;
            row.maxFeePerGas = fees.maxFeePerGas();
            row.maxPriorityFeePerGas = fees.maxPriorityFeePerGas();
            row.gasLimit = gasLimit;
            row.sentAt = Instant.now();
            row.lastError = null;
            row.updatedAt = row.sentAt;
            row.nextAttemptAt = row.sentAt;
        });
    }

    /** Back to PENDING, the hashes kept: any of them is still checked for a receipt first. */
    private void resend(long id, String reason) {
        QuarkusTransaction.requiringNew().run(() -> {
            ChainTx row = ChainTx.findById(id);
            if (row.txHash != null) {
                row.addReplaced(row.txHash);
            }
            row.txHash = null;
            row.nonce = null;
            row.status = ChainTx.Status.PENDING.name();
            row.lastError = reason;
            row.updatedAt = Instant.now();
        });
        LOG.warnf("Chain intent %d: %s", id, reason);
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

    /**
     * An execution the vault would refuse because a payout of an overlapping period was approved meanwhile (a
     * superseded proposal executed by hand, another Merit): never sent, with the reason in words.
     */
    private Optional<String> periodTaken(ChainTx t, ChainProposal cp) throws IOException {
        if (t.kind() != ChainTx.Kind.EXECUTE) {
            return Optional.empty();
        }
        BigInteger start = QuarkusTransaction.requiringNew().call(() -> BigInteger.valueOf(dev.merit.epoch.Epoch
                .<dev.merit.epoch.Epoch>findById(dev.merit.payroll.PayoutProposal
                        .<dev.merit.payroll.PayoutProposal>findById(cp.payoutProposalId).epochId)
                .startsAt.getEpochSecond()));
        BigInteger approvedUntil = GovernanceService.call(() -> vault(cp).approvedUntil().send());
        if (approvedUntil.compareTo(start) <= 0) {
            return Optional.empty();
        }
        return Optional.of("not sent: " + dev.merit.governance.chain.ContractErrors.words("PeriodAlreadyApproved",
                Map.of("periodStart", start, "approvedUntil", approvedUntil)));
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
                payroll.markPaid(cp.payoutProposalId, wallet, txHash);
            }
            lifecycle.fire(new dev.merit.events.Lifecycle("payment.made", "payout-proposal/" + cp.payoutProposalId
                    + "/claim/" + txHash, Map.of("proposalId", cp.payoutProposalId, "txHash", txHash,
                    "recipients", json.readTree(t.payload).get("indices").size())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The receipt, if it comes within {@code merit.chain.receipt-wait}; else null and the next poll takes over. */
    private TransactionReceipt awaitReceipt(String hash) throws IOException {
        if (hash == null) {
            return null;
        }
        long deadline = System.nanoTime() + chain.config().receiptWait().toNanos();
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
