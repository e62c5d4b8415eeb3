package dev.merit.governance;

import dev.merit.payroll.VaultPeriods;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;

/**
 * The vault's {@code approvedUntil}, for the payroll layer's views of drafts: read at most once every 5 seconds, and
 * only from a chain already running (a page view does not start the embedded chain; the follower does).
 */
@ApplicationScoped
public class VaultPaidUntil implements VaultPeriods {

    private static final long FRESH_MILLIS = 5_000;

    private final ChainService chain;
    private volatile Read last;
    /** One read at a time: meanwhile other page views take the last value rather than wait on a slow node. */
    private final java.util.concurrent.atomic.AtomicBoolean reading = new java.util.concurrent.atomic.AtomicBoolean();

    private record Read(long atMillis, Optional<Instant> until) {
    }

    public VaultPaidUntil(ChainService chain) {
        this.chain = chain;
    }

    /** The next read goes to the vault (a test that moves the chain back). */
    void forget() {
        last = null;
    }

    @Override
    public Optional<Instant> paidUntil() {
        Read r = last;
        long now = System.currentTimeMillis();
        if (r != null && now - r.atMillis() < FRESH_MILLIS) {
            return r.until();
        }
        if (!reading.compareAndSet(false, true)) {
            return r == null ? Optional.empty() : r.until();
        }
        try {
            return read(now);
        } finally {
            reading.set(false);
        }
    }

    private Optional<Instant> read(long now) {
        Optional<Instant> until = Optional.empty();
        if (chain.isStarted()) {
            try {
                BigInteger seconds = GovernanceService.call(() -> chain.readVault(chain.dao().vault()).approvedUntil()
                        .send());
                until = seconds.signum() == 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(seconds.longValueExact()));
            } catch (java.io.IOException | RuntimeException unreachable) {
                // Unknown: a draft then reads as it would without the vault, and the chain's own check still refuses it.
            }
        }
        last = new Read(now, until);
        return until;
    }
}
