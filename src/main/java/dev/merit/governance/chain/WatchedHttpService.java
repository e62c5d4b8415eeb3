package dev.merit.governance.chain;

import org.jboss.logging.Logger;
import org.web3j.protocol.http.HttpService;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The HTTP connection to a chain node, which notices a node that stopped answering (a call timed out: the node
 * stalled, swapping, or cut off by the network) and then keeps every caller from waiting for it. Until it answers
 * again, calls fail at once with {@link NotAnswering}, so a page, a vote or a readiness probe says "unavailable" in
 * milliseconds rather than each after the client's timeout (10 s), one after another; a thread of its own asks the
 * node every 5 s whether it is back. A node that refuses connections fails fast by itself and is not held off.
 */
public class WatchedHttpService extends HttpService {

    private static final Logger LOG = Logger.getLogger(WatchedHttpService.class);
    /** Time between two calls that find out whether a silent node answers again. */
    private static final long PROBE_EVERY_MILLIS = 5_000;
    private static final String PROBE = "{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\",\"params\":[],\"id\":0}";

    private final Watch watch;
    private final String node;
    private final long probeEveryMillis;
    private volatile boolean closed;

    public WatchedHttpService(String url, Watch watch) {
        this(url, HttpService.getOkHttpClientBuilder().build(), watch, PROBE_EVERY_MILLIS);
    }

    /** With the client's timeouts and the time between probes given (tests). */
    WatchedHttpService(String url, okhttp3.OkHttpClient client, Watch watch, long probeEveryMillis) {
        super(url, client);
        this.watch = watch;
        this.node = dev.merit.problem.Redaction.endpoint(url);
        this.probeEveryMillis = probeEveryMillis;
    }

    public Watch watch() {
        return watch;
    }

    @Override
    protected InputStream performIO(String request) throws IOException {
        watch.check(this);
        try {
            return super.performIO(request);
        } catch (java.net.SocketTimeoutException timedOut) {
            if (!Thread.currentThread().isInterrupted() && watch.silent(this)) { // not a caller that was interrupted
                LOG.warnf("The chain node at %s does not answer (a call timed out): until it does, calls to it fail "
                        + "at once, and it is asked every %d s whether it is back", node, probeEveryMillis / 1000);
            }
            throw timedOut;
        }
    }

    /** Starts the thread that asks the silent node until it answers (one per watch: the watch says when). */
    private void startProber() {
        Thread prober = new Thread(this::probeUntilBack, "chain-node-prober");
        prober.setDaemon(true);
        prober.start();
    }

    /** Asks the silent node every 5 s until it answers (with anything, a refusal included) or this is closed. */
    private void probeUntilBack() {
        try {
            probe();
        } finally {
            watch.proberEnded(); // a closed service's prober: the next call through another service starts one
        }
    }

    private void probe() {
        while (!closed) {
            try {
                Thread.sleep(probeEveryMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (closed) {
                return;
            }
            try (InputStream answer = super.performIO(PROBE)) {
                answer.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (InterruptedIOException stillSilent) {
                continue;
            } catch (IOException | RuntimeException refusedOrError) {
                // not silent: it refuses connections (calls then fail by themselves, fast) or answers with an error
            }
            Instant since = watch.answered();
            LOG.infof("The chain node at %s answers again (silent since %s)", node, since);
            return;
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        super.close();
    }

    /** Whether the node answers, as its callers share it: since when it has not (null while it does). */
    public static final class Watch {

        private Instant silentSince;
        private boolean probing; // a thread asks the silent node whether it is back

        /** Fails at once while the node is silent; the caller's service asks it again if no thread does now. */
        synchronized void check(WatchedHttpService caller) throws NotAnswering {
            if (silentSince != null) {
                probeFrom(caller);
                throw new NotAnswering(silentSince);
            }
        }

        /** Records that a call timed out; true when the node was answering until then. */
        synchronized boolean silent(WatchedHttpService caller) {
            if (silentSince != null) {
                return false;
            }
            silentSince = Instant.now();
            probeFrom(caller);
            return true;
        }

        private void probeFrom(WatchedHttpService caller) {
            if (!probing && !caller.closed) {
                probing = true;
                caller.startProber();
            }
        }

        synchronized void proberEnded() {
            probing = false;
        }

        /** Records that the node answers again; returns since when it had not. */
        synchronized Instant answered() {
            Instant since = silentSince;
            silentSince = null;
            return since;
        }

        /** Since when the node has not answered (a call timed out, and none has answered since); null if it answers. */
        public synchronized Instant silentSince() {
            return silentSince;
        }
    }

    /** A call not sent: the node has not answered since a call to it timed out. */
    public static final class NotAnswering extends InterruptedIOException {

        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'")
                .withZone(ZoneOffset.UTC);

        private final transient Instant since;

        NotAnswering(Instant since) {
            super(silentSince("The chain node", since));
            this.since = since;
        }

        private static String silentSince(String node, Instant since) {
            return node + " has not answered since " + TIME.format(since) + ".";
        }
    }

    /** Why a call to the node failed, in words: it did not answer in time, refused the connection, or else. */
    public static String inWords(IOException e) {
        return inWords(e, "The chain node");
    }

    /** {@link #inWords(IOException)}, saying {@code node} for the node ("The chain node at URL"). */
    public static String inWords(IOException e, String node) {
        if (e instanceof NotAnswering silent) {
            return NotAnswering.silentSince(node, silent.since);
        }
        if (e instanceof InterruptedIOException) {
            return node + " did not answer in time.";
        }
        if (e instanceof java.net.ConnectException) {
            return node + " refuses connections (it is not running, or not at that address).";
        }
        return node + " does not answer (" + (e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getMessage()) + ").";
    }
}
