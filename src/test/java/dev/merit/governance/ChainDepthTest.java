package dev.merit.governance;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How deep a transaction must be before Merit records it. The local chain saves its state every second: a node killed
 * and started again from it had lost up to five seconds of blocks, while Merit had recorded steps from them at once
 * (executed, lines paid) and never looked again. Unset, the depth on the local chain spans the saves.
 */
class ChainDepthTest {

    @Test
    void theLocalChainWaitsForItsStateToBeSavedAConfiguredNodeAsConfigured() {
        // Blocks every 2 s: 3 blocks (6 s) against a save every second; every second, 4; every 12 s, 2.
        assertThat(depth(Optional.empty(), Optional.empty(), 2)).isEqualTo(3);
        assertThat(depth(Optional.empty(), Optional.empty(), 1)).isEqualTo(4);
        assertThat(depth(Optional.empty(), Optional.empty(), 12)).isEqualTo(2);
        // Mining only when a transaction arrives (tests mine by hand), a depth is no age: what is mined is recorded.
        assertThat(depth(Optional.empty(), Optional.empty(), 0)).isZero();
        // A configured node: 0 unless set; set, as set, on either.
        assertThat(depth(Optional.empty(), Optional.of("https://rpc.example.org"), 2)).isZero();
        assertThat(depth(Optional.of(12), Optional.of("https://rpc.example.org"), 2)).isEqualTo(12);
        assertThat(depth(Optional.of(0), Optional.empty(), 2)).isZero();
    }

    private static int depth(Optional<Integer> confirmations, Optional<String> rpcUrl, int blockTime) {
        ChainConfig.Embedded embedded = (ChainConfig.Embedded) Proxy.newProxyInstance(
                ChainDepthTest.class.getClassLoader(), new Class<?>[] {ChainConfig.Embedded.class},
                (proxy, method, args) -> method.getName().equals("blockTime") ? blockTime : null);
        ChainConfig config = (ChainConfig) Proxy.newProxyInstance(ChainDepthTest.class.getClassLoader(),
                new Class<?>[] {ChainConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "confirmations" -> confirmations;
                    case "rpcUrl" -> rpcUrl;
                    case "embedded" -> embedded;
                    default -> null;
                });
        return new ChainService(config, new ObjectMapper(), "target/chain-depth", null, null).confirmations();
    }
}
