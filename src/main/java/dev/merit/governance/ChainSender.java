package dev.merit.governance;

import java.math.BigDecimal;
import java.util.Locale;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.Transaction;
import dev.merit.governance.chain.ContractErrors;
import dev.merit.governance.chain.Deployment;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;

/**
 * Sends chain writes as the DAO's fee rules allow: priced by the chain (within merit.chain.max-fee-gwei), gas
 * estimated by the node (a write that would revert is not sent), the signer's next nonce; a transaction not mined in
 * merit.chain.replace-after is sent again under its nonce with higher fees. Every step is recorded (OutboxRows) before
 * anything waits for it.
 */
@ApplicationScoped
public class ChainSender {

    private static final Logger LOG = Logger.getLogger(ChainSender.class);

    private final ChainService chain;
    private final ChainIntents intents;
    private final dev.merit.cluster.DurableCommits durable;

    public ChainSender(ChainService chain, ChainIntents intents, dev.merit.cluster.DurableCommits durable) {
        this.chain = chain;
        this.intents = intents;
        this.durable = durable;
    }

    /**
     * Whether the hash just recorded is in the database's file, as it must be before its transaction is broadcast: the
     * embedded database stores commits about half a second after them, and a kill -9 in that time lost the hash and
     * nonce of a transaction the node then had. When the store could not be waited for, nothing is broadcast now: a
     * new transaction goes back to PENDING (sent anew by the next poll, under the nonce the node still expects); a
     * replacement stays SENT under its hash, and is sent again under its nonce once found unknown to the node.
     */
    private boolean stored() {
        return durable.flush();
    }

    /**
     * A sent transaction without a receipt. Waits while it is young; once it has waited
     * {@code merit.chain.replace-after}, sends it again with the same nonce and fees raised 12.5% (or what the market
     * asks, if more), which replaces it in the node's pool or re-sends it if the pool dropped it. If its nonce was
     * taken by another transaction of the signer's, it can never be mined: it goes back to PENDING, and true is
     * returned so it is sent anew now. An intent sent before nonces were recorded takes them from the node.
     */
    boolean unmined(ChainTx t, ChainProposal cp) throws IOException {
        Web3j web3j = chain.web3j();
        Credentials signer = chain.signer();
        if (t.nonce == null) {
            Optional<Transaction> known =
                    web3j.ethGetTransactionByHash(t.txHash).send().getTransaction();
            if (known.isEmpty()) {
                OutboxRows.resend(t.id, "transaction " + t.txHash + " is unknown to the node (dropped); sending it again");
                return true;
            }
            adopt(t, known.get());
        }
        BigInteger used = web3j.ethGetTransactionCount(signer.getAddress(), DefaultBlockParameterName.LATEST).send()
                .getTransactionCount();
        if (used.compareTo(t.nonce) > 0) {
            OutboxRows.resend(t.id, "nonce " + t.nonce + " was used by another transaction of the signer; sending it again");
            return true;
        }
        Instant sentAt = t.sentAt != null ? t.sentAt : t.updatedAt;
        boolean young = sentAt.plus(chain.config().replaceAfter()).isAfter(Instant.now());
        // Its hash is recorded before it is broadcast: if the broadcast never arrived (a crash, a timeout) or the node
        // dropped it, the node does not know it, and it is sent anew at today's fees rather than replaced at raised
        // ones (which could pass the fee ceiling and wait for good with nothing in any pool). Asked at once of the
        // local chain, which forgets its pool when it starts again from its saved state; of a configured node (whose
        // pool may be another node's) once it has waited merit.chain.replace-after.
        if ((!young || chain.config().rpcUrl().isEmpty())
                && web3j.ethGetTransactionByHash(t.txHash).send().getTransaction().isEmpty()) {
            OutboxRows.resend(t.id, "transaction " + t.txHash + " is unknown to the node (never arrived, dropped, or "
                    + "lost when the local chain started again from its saved state); sending it again");
            return true;
        }
        if (young) {
            OutboxRows.postpone(t.id, "sent as " + t.txHash + ", waiting to be mined");
            return false;
        }
        GasPricing.Fees fees = raisedFees(t);
        Optional<String> tooDear = aboveCeiling(fees);
        if (tooDear.isPresent()) {
            OutboxRows.postpone(t.id, "sent as " + t.txHash + " and not mined; replacing it needs " + tooDear.get() + "; waiting");
            return false;
        }
        // The same call as before (a claim batch leaves out what was claimed meanwhile), under the same nonce.
        Signed signed = replace(t, fees, t.gasLimit, intents.call(t, cp), "replacing", null);
        if (signed != null) {
            LOG.infof("Chain intent %d: %s not mined after %s, replaced by %s (nonce %s, %s)", t.id, t.txHash,
                    chain.config().replaceAfter(), signed.hash(), t.nonce, fees);
        }
        return false;
    }

    /** The intent's last fees raised 12.5%, or what the chain asks now if more: what a replacement under its nonce pays. */
    private GasPricing.Fees raisedFees(ChainTx t) throws IOException {
        return new GasPricing.Fees(t.maxFeePerGas, t.maxPriorityFeePerGas).bumped().atLeast(GasPricing.market(chain.web3j()));
    }

    /**
     * Sends {@code call} under the intent's nonce in place of what it sent before: claimed first (of two senders, one
     * goes on), its hash recorded before it is broadcast, the hash it replaces kept among those checked for a receipt;
     * {@code note} (if any) is recorded as what the intent waits for. Returns it, or null when another sender claimed
     * the intent or the node refused it ({@code doing} names the attempt in the reason, "replacing ...").
     */
    private Signed replace(ChainTx t, GasPricing.Fees fees, BigInteger gas, ChainIntents.Call call, String doing,
                           java.util.function.Function<String, String> note) throws IOException {
        if (!OutboxRows.claim(t, ChainTx.Status.SENT)) {
            return null;
        }
        Signed signed = sign(t.nonce, fees, gas, call);
        OutboxRows.recordSent(t.id, signed.hash(), t.nonce, fees, gas, t.txHash);
        if (note != null) {
            OutboxRows.postpone(t.id, note.apply(signed.hash()));
        }
        if (!stored()) {
            return null;
        }
        EthSendTransaction sent = chain.web3j().ethSendRawTransaction(signed.hex()).send();
        if (sent.hasError()) {
            OutboxRows.retryLater(t.id, doing + " " + t.txHash + " was refused by the node: " + sent.getError().getMessage());
            return null;
        }
        return signed;
    }

    /** Gas of a plain transfer without data: what a cancelling transaction costs. */
    private static final BigInteger TRANSFER_GAS = BigInteger.valueOf(21_000);

    /**
     * Stops an intent Merit no longer wants on chain ({@code why}: its proposal was superseded). Not sent yet: it never
     * is. Sent and not mined: its nonce is taken by a transfer of nothing from the signer to itself at raised fees, which
     * the node mines instead of it (the intent then fails as cancelled, see {@link #isCancel}); if the chain asks more
     * than the DAO's ceiling for that, it waits, and the old call may still be mined meanwhile (its receipt is followed
     * like any other). Unknown to the node, or its nonce used by another transaction: it can no longer be mined, and is
     * not sent again.
     */
    void cancel(ChainTx t, String why) throws IOException {
        if (t.txHash == null) {
            OutboxRows.update(t.id, ChainTx.Status.FAILED, null, "not sent: " + why, 0);
            return;
        }
        Web3j web3j = chain.web3j();
        // The newest hash may be one the node never took (a cancel whose broadcast was refused or lost): any of the
        // intent's transactions the node knows may still be mined, and keeps the intent followed.
        Optional<Transaction> newest = web3j.ethGetTransactionByHash(t.txHash).send().getTransaction();
        Optional<Transaction> known = newest;
        for (String hash : t.hashes()) {
            if (known.isPresent()) {
                break;
            }
            known = web3j.ethGetTransactionByHash(hash).send().getTransaction();
        }
        if (known.isEmpty()) {
            OutboxRows.update(t.id, ChainTx.Status.FAILED, null, "not mined, and not sent again: " + why, 0);
            return;
        }
        if (t.nonce == null) {
            adopt(t, known.get());
        }
        BigInteger used = web3j.ethGetTransactionCount(chain.signer().getAddress(), DefaultBlockParameterName.LATEST)
                .send().getTransactionCount();
        if (used.compareTo(t.nonce) > 0) {
            if (minedReceipt(t).isPresent()) {
                return; // one of its own was mined after the outbox looked: the next round records what it did
            }
            OutboxRows.update(t.id, ChainTx.Status.FAILED, null, "not mined, and not sent again: " + why, 0);
            return;
        }
        Instant sentAt = t.sentAt != null ? t.sentAt : t.updatedAt;
        if (newest.isPresent() && isCancel(newest.get().getTo())
                && sentAt.plus(chain.config().replaceAfter()).isAfter(Instant.now())) {
            OutboxRows.postpone(t.id, "cancelling (" + why + ") by " + t.txHash + ", waiting for it to be mined");
            return;
        }
        GasPricing.Fees fees = raisedFees(t);
        Optional<String> tooDear = aboveCeiling(fees);
        if (tooDear.isPresent()) {
            OutboxRows.postpone(t.id, "to be cancelled (" + why + "): sent as " + t.txHash + " and not mined; "
                    + "cancelling it needs " + tooDear.get() + "; waiting");
            return;
        }
        String signer = chain.signer().getAddress();
        // 21,000 on Ethereum; more where the chain charges for its own data too (some rollups): as the node estimates.
        EthEstimateGas estimate = web3j.ethEstimateGas(org.web3j.protocol.core.methods.request.Transaction
                .createEthCallTransaction(signer, signer, "")).send();
        BigInteger gas = estimate.hasError() ? TRANSFER_GAS : estimate.getAmountUsed().max(TRANSFER_GAS);
        Signed signed = replace(t, fees, gas, new ChainIntents.Call(signer, ""), "cancelling",
                hash -> "cancelling (" + why + ") by " + hash + ", waiting for it to be mined");
        if (signed != null) {
            LOG.infof("Chain intent %d: %s; %s cancelled by %s (nonce %s, %s)", t.id, why, t.txHash, signed.hash(),
                    t.nonce, fees);
        }
    }

    /** The receipt of whichever of the intent's transactions was mined (a replacement or the one it replaced), if any. */
    Optional<TransactionReceipt> minedReceipt(ChainTx t) throws IOException {
        for (String hash : t.hashes()) {
            Optional<TransactionReceipt> receipt = chain.web3j().ethGetTransactionReceipt(hash).send()
                    .getTransactionReceipt();
            if (receipt.isPresent()) {
                return receipt;
            }
        }
        return Optional.empty();
    }

    /** Whether a transaction to {@code to} is one of {@link #cancel}'s: Merit sends nothing else to its own signer. */
    boolean isCancel(String to) {
        return to != null && to.equalsIgnoreCase(chain.signer().getAddress());
    }

    /** Takes nonce, fees and gas limit of a transaction sent before they were recorded. */
    void adopt(ChainTx t, Transaction known) {
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
    String send(ChainTx t, ChainIntents.Call call) throws IOException {
        Web3j web3j = chain.web3j();
        ChainConfig config = chain.config();
        GasPricing.Fees fees = GasPricing.market(web3j);
        Optional<String> tooDear = aboveCeiling(fees);
        if (tooDear.isPresent()) {
            OutboxRows.postpone(t.id, "the chain asks " + tooDear.get() + "; waiting for cheaper blocks");
            return null;
        }
        String from = chain.signer().getAddress();
        EthEstimateGas estimate = web3j.ethEstimateGas(
                org.web3j.protocol.core.methods.request.Transaction.createFunctionCallTransaction(from, null, null, null,
                        call.to(), call.data())).send();
        if (estimate.hasError()) {
            String why = ContractErrors.explain(estimate.getError().getMessage(), estimate.getError().getData());
            if (t.kind() == ChainTx.Kind.CLAIM && (estimate.getError().getData() != null
                    || String.valueOf(estimate.getError().getMessage()).toLowerCase(Locale.ROOT).contains("revert"))) {
                // One leaf the token will not pay (a recipient it refuses) reverts the whole batch: the outbox splits it.
                throw new BatchReverts(why);
            }
            OutboxRows.retryLater(t.id, "the node would not run it now: " + why);
            return null;
        }
        BigInteger cap = BigInteger.valueOf(config.maxGas());
        if (estimate.getAmountUsed().compareTo(cap) > 0) {
            OutboxRows.update(t.id, ChainTx.Status.FAILED, null, "needs " + estimate.getAmountUsed() + " gas, more than "
                    + "merit.chain.max-gas=" + cap + " allows one transaction"
                    + (t.kind() == ChainTx.Kind.CLAIM ? "; lower merit.chain.claim-batch-size" : ""), 0);
            return null;
        }
        BigInteger gasLimit = GasPricing.gasLimit(estimate.getAmountUsed()).min(cap);
        if (!OutboxRows.claim(t, ChainTx.Status.PENDING)) {
            return null;
        }
        BigInteger nonce = web3j.ethGetTransactionCount(from, DefaultBlockParameterName.PENDING).send()
                .getTransactionCount();
        Signed signed = sign(nonce, fees, gasLimit, call);
        // Recorded before it is broadcast: after a crash (or a timeout) between the two, the next poll looks for this
        // hash's receipt and, if the node never had it, sends it again under the same nonce; it never sends a second
        // transaction for the intent under another nonce.
        OutboxRows.recordSent(t.id, signed.hash(), nonce, fees, gasLimit, null);
        if (!stored()) { // not broadcast: the next poll finds no receipt for the hash, and sends it anew at once
            OutboxRows.resend(t.id, "not sent: the database did not store the transaction's record in time; "
                    + "sending it again");
            return null;
        }
        EthSendTransaction sent = web3j.ethSendRawTransaction(signed.hex()).send();
        if (sent.hasError()) {
            String message = ContractErrors.explain(sent.getError().getMessage(),
                    sent.getError().getData());
            String lower = message.toLowerCase(Locale.ROOT);
            if (lower.contains("already known")) {
                // These very bytes are in the node's pool (sent before an answer was lost): it is sent, and followed
                // by its recorded hash like any other; forgetting it would send the intent again under another nonce.
                OutboxRows.postpone(t.id, "sent as " + signed.hash() + " (the node already had it), waiting to be mined");
                return signed.hash();
            }
            // Another sender took the nonce, or the signer cannot pay now: worth another try, not the end of the intent.
            boolean retry = lower.contains("nonce") || lower.contains("underpriced") || lower.contains("insufficient funds");
            OutboxRows.unsent(t.id, retry, retry ? "refused by the node, will retry: " + message
                    : "rejected by the node: " + message);
            return null;
        }
        return signed.hash();
    }

    /** A claim batch the vault would revert as a whole (its reason in words). */
    static final class BatchReverts extends RuntimeException {
        BatchReverts(String why) {
            super(why);
        }
    }

    /** The fees and "above merit.chain.max-fee-gwei=N" when they exceed the DAO's ceiling. */
    Optional<String> aboveCeiling(GasPricing.Fees fees) {
        BigDecimal ceiling = chain.config().maxFeeGwei();
        return fees.maxFeePerGas().compareTo(GasPricing.wei(ceiling)) > 0
                ? Optional.of(fees + ", above merit.chain.max-fee-gwei=" + ceiling.toPlainString()) : Optional.empty();
    }

    /** A signed transaction, not sent yet, and its hash. */
    record Signed(String hex, String hash) {
    }

    Signed sign(BigInteger nonce, GasPricing.Fees fees, BigInteger gasLimit, ChainIntents.Call call) {
        RawTransaction raw = fees.legacy()
                ? RawTransaction.createTransaction(nonce, fees.maxFeePerGas(), gasLimit, call.to(), BigInteger.ZERO,
                call.data())
                : RawTransaction.createTransaction(chain.chainId(), nonce, gasLimit, call.to(), BigInteger.ZERO,
                call.data(), fees.maxPriorityFeePerGas(), fees.maxFeePerGas());
        RawTransactionManager signer = (RawTransactionManager) Deployment.transactions(chain.web3j(), chain.signer(),
                chain.chainId());
        String hex = signer.sign(raw);
        return new Signed(hex, org.web3j.crypto.Hash.sha3(hex));
    }

    /** The receipt, if it comes within {@code merit.chain.receipt-wait}; else null and the next poll takes over. */
    TransactionReceipt awaitReceipt(String hash) throws IOException {
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
}
