package dev.merit.governance.chain;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.jboss.logging.Logger;
import org.web3j.protocol.Web3j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A real local EVM node: the anvil binary that the npm package {@code @foundry-rs/anvil} ships for this platform
 * (installed under contracts/node_modules by the build; nothing is downloaded). Listens on loopback only.
 */
public final class AnvilNode implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AnvilNode.class);
    public static final long CHAIN_ID = 31337;

    private final Process process;
    private final int port;
    private final WatchedHttpService service;
    private final Web3j web3j;

    private AnvilNode(Process process, int port) {
        this.process = process;
        this.port = port;
        this.service = new WatchedHttpService(rpcUrl(), new WatchedHttpService.Watch());
        this.web3j = Web3j.build(service);
    }

    /** Starts anvil on a free loopback port with {@code extraArgs}, and waits until it answers. */
    public static AnvilNode start(Path contractsDir, String... extraArgs) {
        Path binary = binary(contractsDir);
        int port = freePort();
        List<String> command = new ArrayList<>(watchdog());
        command.addAll(List.of(binary.toString(), "--host", "127.0.0.1", "--port",
                String.valueOf(port), "--chain-id", String.valueOf(CHAIN_ID), "--hardfork", "cancun", "--silent"));
        command.addAll(List.of(extraArgs));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            AnvilNode node = new AnvilNode(process, port);
            node.awaitReady(Duration.ofSeconds(20));
            LOG.infof("anvil %s listening on %s", binary, node.rpcUrl());
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start anvil at " + binary, e);
        }
    }

    /**
     * A node Merit starts never outlives it, even when Merit is killed with kill -9 (no shutdown hook runs): a small
     * shell stays beside anvil and stops it (SIGTERM: anvil saves its state) once this JVM is gone, or when it is
     * itself told to stop. Where there is no POSIX shell, anvil runs directly and the next start reuses it.
     */
    private static List<String> watchdog() {
        if (!Files.isExecutable(Path.of("/bin/sh"))) {
            return List.of();
        }
        String script = "\"$@\" & node=$!; trap 'kill $node 2>/dev/null; wait $node; exit 0' TERM INT HUP; "
                + "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null && kill -0 $node 2>/dev/null; "
                + "do sleep 1; done; kill $node 2>/dev/null; wait $node";
        return List.of("/bin/sh", "-c", script, "anvil-watchdog");
    }

    /** The platform binary inside {@code contractsDir/node_modules/@foundry-rs/anvil-<os>-<arch>/bin}. */
    public static Path binary(Path contractsDir) {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String platform = (os.contains("mac") ? "darwin" : os.contains("win") ? "win32" : "linux") + "-"
                + (arch.contains("aarch64") || arch.contains("arm64") ? "arm64" : "amd64");
        Path binary = contractsDir.resolve("node_modules/@foundry-rs/anvil-" + platform + "/bin/"
                + (platform.startsWith("win32") ? "anvil.exe" : "anvil"));
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("No anvil binary at " + binary.toAbsolutePath()
                    + ". Build once (./mvnw package) or run 'npm install --ignore-scripts' in " + contractsDir
                    + (contractsDir.isAbsolute() ? "." : " (merit.chain.contracts-dir=" + contractsDir
                            + " is resolved from the working directory: start Merit in its repository root, or set "
                            + "MERIT_CHAIN_CONTRACTS_DIR)."));
        }
        return binary;
    }

    public String rpcUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Web3j web3j() {
        return web3j;
    }

    /** Whether (since when) this node has stopped answering. */
    public WatchedHttpService.Watch watch() {
        return service.watch();
    }

    /** Mines {@code blocks} blocks at once (voting delays and periods are counted in blocks). */
    public void mine(long blocks) throws IOException {
        rpc("anvil_mine", "0x" + Long.toHexString(blocks));
    }

    /** Moves the chain's clock forward (the timelock delay is in seconds), then mines a block to apply it. */
    public void advanceTime(long seconds) throws IOException {
        rpc("evm_increaseTime", seconds);
        rpc("evm_mine");
    }

    /** Any JSON-RPC method of the node ({@code evm_setAutomine}, {@code anvil_dropTransaction}, ...), its result ignored. */
    public void rpc(String method, Object... params) throws IOException {
        Response<?> response = new Request<>(method, List.of(params),
                service, VoidResponse.class).send();
        if (response.hasError()) {
            throw new IOException(method + " failed: " + response.getError().getMessage());
        }
    }

    /** Any JSON-RPC method of the node, its result as text ({@code evm_snapshot} gives the snapshot's id). */
    public String call(String method, Object... params) throws IOException {
        Response<?> response = new Request<>(method, List.of(params),
                service, EthSendTransaction.class).send();
        if (response.hasError()) {
            throw new IOException(method + " failed: " + response.getError().getMessage());
        }
        return String.valueOf(response.getResult());
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("anvil exited with code " + process.exitValue());
            }
            try {
                web3j.ethChainId().send();
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        close();
        throw new IllegalStateException("anvil did not answer on " + rpcUrl() + " within " + timeout);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the node process abruptly while clients keep their connections: what an RPC outage looks like. */
    public void killProcess() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        web3j.shutdown();
        process.descendants().forEach(ProcessHandle::destroy); // anvil itself (SIGTERM: it saves its state)
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
