package dev.merit.bench;

import dev.merit.governance.MerkleTree;
import dev.merit.governance.chain.AnvilNode;
import dev.merit.governance.chain.Deployment;
import dev.merit.governance.chain.DevAccounts;
import dev.merit.governance.contracts.PayoutToken;
import dev.merit.governance.contracts.PayrollVault;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Gas per recipient of batch claims from the payroll vault, on a real anvil node: N fresh recipients (never held
 * the token: the costly case), one Merkle tree of N leaves, claimed in batches of up to 250 leaves each proven by
 * one multiproof. Baseline in the same run: the same recipients claimed one by one with single proofs.
 */
public final class ClaimsBench {

    private static final int BATCH = 250;

    public static void main(String[] args) throws Exception {
        Credentials owner = DevAccounts.account(0);
        StringBuilder last = new StringBuilder("claims");
        try (AnvilNode anvil = AnvilNode.start(Path.of("contracts"), "--gas-limit", "100000000")) {
            Web3j web3j = anvil.web3j();
            var tx = Deployment.transactions(web3j, owner, AnvilNode.CHAIN_ID);
            var gas = new StaticGasProvider(BigInteger.valueOf(2_000_000_000L), BigInteger.valueOf(90_000_000L));
            PayoutToken token = PayoutToken.deploy(web3j, tx, gas, "Payout", "PAY", BigInteger.valueOf(18),
                    owner.getAddress()).send();
            PayrollVault vault = PayrollVault.deploy(web3j, tx, gas, token.getContractAddress(), owner.getAddress()).send();
            token.mint(vault.getContractAddress(), BigInteger.TEN.pow(30)).send();
            int epoch = 0;
            int salt = 0;
            int errors = 0;
            for (int n : new int[]{10, 100, 1000}) {
                List<MerkleTree.Leaf> leaves = recipients(n, ++salt);
                MerkleTree tree = MerkleTree.of(leaves);
                vault.approveEpoch(BigInteger.valueOf(++epoch), tree.root(), total(leaves), new byte[32], period(epoch),
                        period(epoch + 1)).send();
                long batchGas = 0;
                int batches = 0;
                for (int from = 0; from < n; from += BATCH) {
                    List<Integer> indices = IntStream.range(from, Math.min(n, from + BATCH)).boxed().toList();
                    MerkleTree.MultiProof mp = tree.multiProof(indices);
                    TransactionReceipt r = vault.claimBatch(BigInteger.valueOf(epoch),
                            mp.leaves().stream().map(MerkleTree.Leaf::account).toList(),
                            mp.leaves().stream().map(MerkleTree.Leaf::amount).toList(), mp.proof(), mp.proofFlags()).send();
                    batchGas += r.getGasUsed().longValue();
                    batches++;
                }
                // Baseline: the same number of fresh recipients, one claim transaction each.
                List<MerkleTree.Leaf> singles = recipients(n, ++salt);
                MerkleTree singleTree = MerkleTree.of(singles);
                vault.approveEpoch(BigInteger.valueOf(++epoch), singleTree.root(), total(singles), new byte[32], period(epoch),
                        period(epoch + 1)).send();
                long singleGas = 0;
                int sampled = Math.min(n, 100);
                for (int i = 0; i < sampled; i++) {
                    singleGas += vault.claim(BigInteger.valueOf(epoch), singles.get(i).account(), singles.get(i).amount(),
                            singleTree.proof(i)).send().getGasUsed().longValue();
                }
                // A claim that went through but paid the wrong amount, or nothing, is an error: every recipient's
                // balance must be its leaf's amount (each recipient is fresh, so it held nothing before).
                int wrong = 0;
                for (MerkleTree.Leaf leaf : leaves) {
                    wrong += token.balanceOf(leaf.account()).send().equals(leaf.amount()) ? 0 : 1;
                }
                for (int i = 0; i < sampled; i++) {
                    wrong += token.balanceOf(singles.get(i).account()).send().equals(singles.get(i).amount()) ? 0 : 1;
                }
                errors += wrong;
                long perRecipient = batchGas / n;
                long perSingle = singleGas / sampled;
                System.out.printf("recipients=%d batches=%d (up to %d leaves, one multiproof each) batch_gas=%d "
                                + "gas_per_recipient=%d single_claim_gas=%d (mean of %d) ratio=%.2f errors=%d%n", n, batches,
                        BATCH, batchGas, perRecipient, perSingle, sampled, (double) perRecipient / perSingle, wrong);
                last.append(" gas_per_recipient_").append(n).append('=').append(perRecipient);
            }
            last.append(" errors=").append(errors);
        }
        // A reverted transaction already ends the run (web3j throws on a failed receipt); a wrong balance fails it here.
        System.out.println(last);
        if (!last.toString().endsWith(" errors=0")) {
            System.exit(1);
        }
    }

    private static List<MerkleTree.Leaf> recipients(int n, int salt) {
        List<MerkleTree.Leaf> leaves = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String account = Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(salt).shiftLeft(100)
                    .add(BigInteger.valueOf(0x1000 + i)), 40);
            leaves.add(new MerkleTree.Leaf(account, BigInteger.TEN.pow(18).add(BigInteger.valueOf(i))));
        }
        return leaves;
    }

    private static BigInteger total(List<MerkleTree.Leaf> leaves) {
        return leaves.stream().map(MerkleTree.Leaf::amount).reduce(BigInteger.ZERO, BigInteger::add);
    }

    /** Payouts are approved for consecutive periods (the vault refuses overlapping ones); a day each here. */
    private static BigInteger period(int epoch) {
        return BigInteger.valueOf(1_700_000_000L + epoch * 86_400L);
    }
}
