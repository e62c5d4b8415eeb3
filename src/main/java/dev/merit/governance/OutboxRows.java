package dev.merit.governance;

import io.quarkus.narayana.jta.QuarkusTransaction;
import org.jboss.logging.Logger;

import java.math.BigInteger;
import java.time.Instant;

/** The outbox's row updates, each in its own committed transaction: what happened to an intent survives a crash. */
final class OutboxRows {

    private static final Logger LOG = Logger.getLogger(OutboxRows.class);

    private OutboxRows() {
    }

    /** Claims the intent to send it (compare-and-set on its attempt count and status): of two processes, only one does. */
    static boolean claim(ChainTx t, ChainTx.Status status) {
        int attempt = t.attempts;
        return QuarkusTransaction.requiringNew().call(() -> ChainTx.update(
                "attempts = attempts + 1, updatedAt = ?1 where id = ?2 and attempts = ?3 and status = ?4",
                Instant.now(), t.id, attempt, status.name())) == 1;
    }

    /** The hash is stored (committed) before anything waits for it: a crash after sending loses nothing. */
    static void recordSent(long id, String hash, BigInteger nonce, GasPricing.Fees fees, BigInteger gasLimit,
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
    static void resend(long id, String reason) {
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

    static void update(long id, ChainTx.Status status, String txHash, String error, int attemptsDelta) {
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

    /**
     * A transaction recorded as sent that the node refused: it was never in the pool, so its hash and nonce are
     * forgotten; the intent goes back to PENDING after a backoff ({@code retry}) or ends FAILED.
     */
    static void unsent(long id, boolean retry, String reason) {
        unsent(id, retry, reason, false);
    }

    /**
     * As {@link #unsent(long, boolean, String)}; with {@code forgetReplaced}, also the hashes it replaced: their nonce
     * was spent by a transaction that reverted, so none of them can be mined any more.
     */
    static void unsent(long id, boolean retry, String reason, boolean forgetReplaced) {
        QuarkusTransaction.requiringNew().run(() -> {
            ChainTx row = ChainTx.findById(id);
            if (forgetReplaced) {
                row.replacedHashes = null;
            }
            row.txHash = null;
            row.nonce = null;
            row.sentAt = null;
            row.status = (retry ? ChainTx.Status.PENDING : ChainTx.Status.FAILED).name();
            row.lastError = reason;
            row.attempts++;
            row.nextAttemptAt = Instant.now().plusSeconds(backoffSeconds(row.attempts));
            row.updatedAt = Instant.now();
        });
        if (retry) {
            LOG.warnf("Chain intent %d will be retried: %s", id, reason);
        }
    }

    /** Backoff after the n-th attempt: 1, 2, 4 ... seconds, at most a minute. */
    private static long backoffSeconds(int attempts) {
        return Math.min(60, 1L << Math.min(6, attempts - 1));
    }

    /** Not an error: try again at the next poll. */
    static void postpone(long id, String reason) {
        QuarkusTransaction.requiringNew().run(() -> {
            ChainTx row = ChainTx.findById(id);
            row.lastError = reason;
            row.updatedAt = Instant.now();
        });
    }

    static void retryLater(long id, String reason) {
        QuarkusTransaction.requiringNew().run(() -> {
            ChainTx row = ChainTx.findById(id);
            row.attempts++;
            row.lastError = reason;
            row.nextAttemptAt = Instant.now().plusSeconds(backoffSeconds(row.attempts));
            row.updatedAt = Instant.now();
        });
        LOG.warnf("Chain intent %d will be retried: %s", id, reason);
    }
}
