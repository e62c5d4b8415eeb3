package dev.merit.support;

import dev.merit.governance.chain.AnvilNode;
import dev.merit.governance.chain.DaoContracts;
import dev.merit.governance.chain.Deployment;
import dev.merit.governance.chain.DevAccounts;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An "existing deployment": a separate anvil with the DAO deployed before Merit starts, handed to Merit only
 * through configuration (RPC URL, chain id, addresses, a signer key file), as production would.
 */
public class ExternalChainResource implements QuarkusTestResourceLifecycleManager {

    private AnvilNode node;

    @Override
    public Map<String, String> start() {
        try {
            node = AnvilNode.start(Path.of("contracts"));
            List<Credentials> members = List.of(DevAccounts.account(1), DevAccounts.account(2), DevAccounts.account(3));
            DaoContracts dao = Deployment.deploy(node.web3j(), AnvilNode.CHAIN_ID, DevAccounts.account(0), members,
                    Deployment.Settings.local());
            Path key = TempPaths.file("merit-signer", ".key");
            Files.writeString(key, Numeric.toHexStringWithPrefixZeroPadded(
                    DevAccounts.account(0).getEcKeyPair().getPrivateKey(), 64));
            return Map.of("merit.chain.rpc-url", node.rpcUrl(),
                    "merit.chain.chain-id", String.valueOf(AnvilNode.CHAIN_ID),
                    "merit.chain.governor", dao.governor(),
                    "merit.chain.timelock", dao.timelock(),
                    "merit.chain.vault", dao.vault(),
                    "merit.chain.payout-token", dao.payoutToken(),
                    "merit.chain.governance-token", dao.governanceToken(),
                    "merit.chain.signer-key-env", "MERIT_TEST_NO_SUCH_VARIABLE",
                    "merit.chain.signer-key-file", key.toString(),
                    "merit.chain.confirmations", "1");
        } catch (Exception e) {
            throw new IllegalStateException("cannot prepare the external chain", e);
        }
    }

    @Override
    public void stop() {
        if (node != null) {
            node.close();
        }
    }
}
