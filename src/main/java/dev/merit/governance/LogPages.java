package dev.merit.governance;

import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.exceptions.ClientConnectionException;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * An event search (eth_getLogs) over a block range, page by page in ranges a hosted node accepts: at most
 * {@code merit.chain.log-block-range} blocks, halved while the node refuses one ("block range too large", "query
 * returned more than 10000 results", or an HTTP 413/400), and widened again after a page it answers. A single block
 * the node still refuses is an {@link IOException}.
 */
final class LogPages {

    /** The node refuses the search of a single block: no narrower page can be asked. */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    /** One page: its blocks (both included) and its logs, in the node's order. */
    record Page(BigInteger from, BigInteger to, List<Log> logs) {
    }

    /** Told of each page read and each refused, for the {@code merit.chain.log.pages} counters. */
    record Counts(Runnable read, Runnable refused) {
        static final Counts NONE = new Counts(() -> { }, () -> { });
    }

    private final Web3j web3j;
    private final BiFunction<DefaultBlockParameter, DefaultBlockParameter, EthFilter> filter;
    private final long widest;
    private final BigInteger last;
    private final Counts counts;
    private BigInteger next;
    private long range;

    /**
     * The pages of {@code from} to {@code last} (both included); {@code filter} makes the search of one page's
     * blocks (address and topics).
     */
    LogPages(Web3j web3j, long widest, BigInteger from, BigInteger last,
             BiFunction<DefaultBlockParameter, DefaultBlockParameter, EthFilter> filter, Counts counts) {
        this.web3j = web3j;
        this.widest = Math.max(1, widest);
        this.range = this.widest;
        this.next = from;
        this.last = last;
        this.filter = filter;
        this.counts = counts;
    }

    boolean hasNext() {
        return next.compareTo(last) <= 0;
    }

    /** The next page the node answers. */
    Page next() throws IOException {
        while (true) {
            BigInteger to = next.add(BigInteger.valueOf(range - 1)).min(last);
            EthLog logs;
            String refused;
            try {
                logs = web3j.ethGetLogs(filter.apply(DefaultBlockParameter.valueOf(next), DefaultBlockParameter.valueOf(to)))
                        .send();
                refused = logs.hasError() ? logs.getError().getMessage() : null;
            } catch (ClientConnectionException e) {
                logs = null; // a provider that refuses a range with an HTTP error (413, 400) rather than a JSON-RPC one
                refused = e.getMessage();
            }
            if (refused != null) {
                counts.refused().run();
                if (range == 1) {
                    throw new Refused("searching the chain's events of block " + next + ": "
                            + refused);
                }
                range = Math.max(1, range / 2);
                continue;
            }
            counts.read().run();
            range = Math.min(widest, range * 2); // a range refused once may pass further on (fewer logs): widen again
            List<Log> found = new ArrayList<>();
            for (EthLog.LogResult<?> result : logs.getLogs()) {
                if (result.get() instanceof Log log) {
                    found.add(log);
                }
            }
            Page page = new Page(next, to, found);
            next = to.add(BigInteger.ONE);
            return page;
        }
    }
}
