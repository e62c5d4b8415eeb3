package dev.merit.governance;

import jakarta.enterprise.context.ApplicationScoped;
import org.web3j.protocol.core.DefaultBlockParameterName;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;

/** Block numbers as clock times: when a block was mined, or is expected to be, from the chain's pace. */
@ApplicationScoped
public class ChainClock {

    private final ChainService chain;

    public ChainClock(ChainService chain) {
        this.chain = chain;
    }

    /**
     * Whether the chain answers now, as a page says it: while it does not (a node stalled, stopped or cut off), what
     * Merit shows of a vote is as it last read it. {@code silentSince}: since when its node has not answered, when a
     * call timed out (null when it refuses connections, or answers).
     */
    public record Answering(boolean answering, Instant silentSince) {
    }

    /**
     * {@link Answering} now, with {@code clock} as a page read it (null: it could not be read) or, when the page read
     * none ({@code clockRead} false), a quick call to the node (at once while it is silent).
     */
    public Answering answering(BlockClock clock, boolean clockRead) {
        Instant silent = chain.silentSince().orElse(null);
        return new Answering(silent == null && (clockRead ? clock != null : chain.answers()), silent);
    }

    /** The latest block and the chain's pace, to turn block numbers into clock times. */
    public record BlockClock(long number, long timestamp, double secondsPerBlock) {

        /** When block {@code block} was (or, ahead, is expected to be) mined, estimated; null for no block. */
        public Instant at(Long block) {
            return block == null ? null : Instant.ofEpochSecond(timestamp + Math.round((block - number) * secondsPerBlock));
        }
    }

    private final java.util.Map<Long, Instant> minedAt = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * When block {@code block} was mined, read from the block once it is (and kept once it is {@code confirmations}
     * deep: a mined block's time does not move, while an estimate from the chain's pace moved between page loads);
     * estimated from {@code clock} while it is ahead, or when the node cannot say. Null for no block.
     */
    public Instant when(BlockClock clock, Long block) {
        if (block == null) {
            return null;
        }
        if (clock == null) { // the chain cannot be read now: a mined block's time is known still, if it was read
            return minedAt.get(block);
        }
        if (block > clock.number() + 5) {
            return clock.at(block); // well ahead of the (at most 5 s old) head: not mined, no call to the node
        }
        Instant known = minedAt.get(block);
        if (known != null) {
            return known;
        }
        try {
            var b = chain.web3j().ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameter.valueOf(
                    BigInteger.valueOf(block)), false).send().getBlock();
            if (b == null) {
                return clock.at(block); // not mined yet
            }
            Instant at = Instant.ofEpochSecond(b.getTimestamp().longValueExact());
            if (block <= clock.number() - Math.max(0, chain.confirmations())) { // final enough not to be reorganised away
                if (minedAt.size() > 10_000) {
                    minedAt.clear();
                }
                minedAt.put(block, at);
            }
            return at;
        } catch (IOException | RuntimeException unreachable) {
            return clock.at(block);
        }
    }

    /** {@link #clock()}, or empty while the chain cannot be read (pages then show block numbers only). */
    public Optional<BlockClock> clockIfReachable() {
        try {
            return Optional.of(clock());
        } catch (IOException | RuntimeException unreachable) {
            return Optional.empty();
        }
    }

    private volatile BlockClock clock;
    private volatile long clockReadAt;

    /**
     * The latest block with the average time per block over the last 64 blocks (at most one read every 5 s). A chain
     * that mines only on demand (blocks seconds or days apart) says nothing useful: then the embedded chain's block
     * time or {@code merit.chain.seconds-per-block} is used.
     */
    public BlockClock clock() throws IOException {
        long now = System.currentTimeMillis();
        BlockClock c = clock;
        if (c != null && now - clockReadAt < 5_000) {
            return c;
        }
        var latest = chain.web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock();
        long number = latest.getNumber().longValueExact();
        long timestamp = latest.getTimestamp().longValueExact();
        double fallback = chain.config().rpcUrl().isEmpty() && chain.config().embedded().blockTime() > 0 ? chain.config().embedded().blockTime()
                : chain.config().secondsPerBlock();
        double pace = fallback;
        if (number > 0 && (chain.config().rpcUrl().isPresent() || chain.config().embedded().blockTime() > 0)) {
            long back = Math.max(0, number - 64);
            var old = chain.web3j().ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameter.valueOf(
                    BigInteger.valueOf(back)), false).send().getBlock();
            double measured = (double) (timestamp - old.getTimestamp().longValueExact()) / (number - back);
            pace = BlockPace.of(measured, fallback, chain.config().rpcUrl().isEmpty());
        }
        clock = new BlockClock(number, timestamp, pace);
        clockReadAt = now;
        return clock;
    }
}
