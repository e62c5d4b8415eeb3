package dev.merit.governance.chain;

import com.sun.net.httpserver.HttpServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A node that stops answering (its process stalled: it takes connections and never replies) holds up one call for the
 * client's timeout; every call after it fails at once, saying since when, until the node answers again, which a
 * probe of its own finds out without any caller waiting.
 */
class WatchedHttpServiceTest {

    private HttpServer node;
    private volatile CountDownLatch stalled; // non-null: the node holds every call until it is counted down
    private final AtomicInteger calls = new AtomicInteger();
    private WatchedHttpService service;
    private Web3j web3j;

    @BeforeEach
    void start() throws IOException {
        node = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        node.setExecutor(Executors.newCachedThreadPool());
        node.createContext("/", exchange -> {
            calls.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            CountDownLatch hold = stalled;
            if (hold != null) {
                try {
                    hold.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = "{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":\"0x7a69\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        node.start();
        OkHttpClient client = new OkHttpClient.Builder().readTimeout(Duration.ofMillis(400)).build();
        service = new WatchedHttpService("http://127.0.0.1:" + node.getAddress().getPort(), client,
                new WatchedHttpService.Watch(), 300);
        web3j = Web3j.build(service);
    }

    @AfterEach
    void stop() {
        CountDownLatch hold = stalled;
        if (hold != null) {
            hold.countDown();
        }
        web3j.shutdown();
        node.stop(0);
    }

    @Test
    void aSilentNodeHoldsUpOneCallAndTheRestFailAtOnceUntilItAnswersAgain() throws Exception {
        assertThat(web3j.ethChainId().send().getChainId().longValue()).isEqualTo(31337);
        assertThat(service.watch().silentSince()).isNull();

        stalled = new CountDownLatch(1);
        long started = System.nanoTime();
        assertThatThrownBy(() -> web3j.ethChainId().send()).isInstanceOf(InterruptedIOException.class)
                .isNotInstanceOf(WatchedHttpService.NotAnswering.class);
        assertThat(millisSince(started)).isGreaterThanOrEqualTo(350); // the one call that found out waited
        assertThat(service.watch().silentSince()).isNotNull();

        int before = calls.get();
        started = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> web3j.ethBlockNumber().send())
                    .isInstanceOf(WatchedHttpService.NotAnswering.class)
                    .hasMessageMatching("The chain node has not answered since \\d\\d:\\d\\d:\\d\\d UTC\\.");
        }
        assertThat(millisSince(started)).isLessThan(300); // twenty calls, none of them sent
        assertThat(WatchedHttpService.inWords(new WatchedHttpService.NotAnswering(java.time.Instant.EPOCH)))
                .isEqualTo("The chain node has not answered since 00:00:00 UTC.");

        // Still silent: the probe times out too, and callers keep failing at once.
        Thread.sleep(1_000);
        assertThat(calls.get() - before).isBetween(1, 3); // the probe's calls only
        assertThat(service.watch().silentSince()).isNotNull();

        stalled.countDown();
        stalled = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (service.watch().silentSince() != null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(service.watch().silentSince()).isNull();
        assertThat(web3j.ethChainId().send().getChainId().longValue()).isEqualTo(31337);
    }

    @Test
    void aServiceClosedWhileItsNodeIsSilentLeavesTheNextOneOnTheSameWatchToFindItBack() throws Exception {
        stalled = new CountDownLatch(1);
        assertThatThrownBy(() -> web3j.ethChainId().send()).isInstanceOf(java.net.SocketTimeoutException.class);
        web3j.shutdown(); // its prober stops with it
        Thread.sleep(500);
        WatchedHttpService next = new WatchedHttpService("http://127.0.0.1:" + node.getAddress().getPort(),
                new OkHttpClient.Builder().readTimeout(Duration.ofMillis(400)).build(), service.watch(), 300);
        Web3j again = Web3j.build(next);
        try {
            assertThatThrownBy(() -> again.ethChainId().send()).isInstanceOf(WatchedHttpService.NotAnswering.class);
            stalled.countDown();
            stalled = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (service.watch().silentSince() != null && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(service.watch().silentSince()).as("found back by the next service's prober").isNull();
            assertThat(again.ethChainId().send().getChainId().longValue()).isEqualTo(31337);
        } finally {
            again.shutdown();
        }
    }

    @Test
    void aNodeThatRefusesConnectionsIsNotHeldOff() {
        node.stop(0);
        assertThatThrownBy(() -> web3j.ethChainId().send()).isInstanceOf(java.net.ConnectException.class)
                .satisfies(e -> assertThat(WatchedHttpService.inWords((IOException) e))
                        .startsWith("The chain node refuses connections"));
        assertThat(service.watch().silentSince()).isNull();
    }

    private static long millisSince(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }
}
