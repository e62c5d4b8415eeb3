package dev.merit.it;

import dev.merit.support.TempPaths;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The local chain Merit starts never outlives it: not even a kill -9 of Merit leaves anvil behind. */
class ChainLifetimeIT {

    @Test
    void theEmbeddedNodeStopsWhenMeritIsKilled() throws Exception {
        Path data = TempPaths.directory("merit-chain-life").resolve("data");
        Files.createDirectories(data.getParent());
        int port = PackagedApp.freePort();
        Map<String, String> env = Map.of("PORT", String.valueOf(port), "MERIT_CHAIN_CONTRACTS_DIR",
                Path.of("contracts").toAbsolutePath().toString());
        try (PackagedApp serve = PackagedApp.start(data, env, "serve")) {
            assertThat(serve.awaitOutput(o -> o.contains("Chain:"), Duration.ofMinutes(3))).as(serve.output()).isTrue();
            List<ProcessHandle> nodes = serve.process().descendants()
                    .filter(p -> p.info().command().orElse("").endsWith("anvil")).toList();
            assertThat(nodes).as("anvil runs under Merit").hasSize(1);
            ProcessHandle node = nodes.get(0);
            serve.kill9();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (node.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(node.isAlive()).as("anvil %d after Merit was killed", node.pid()).isFalse();
        }
    }
}
