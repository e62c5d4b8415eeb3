package dev.merit.governance;

import dev.merit.governance.chain.AnvilNode;
import dev.merit.governance.chain.DaoContracts;
import dev.merit.governance.chain.Deployment;
import dev.merit.governance.chain.DevAccounts;
import dev.merit.governance.contracts.MeritGovernor;
import dev.merit.governance.contracts.PayoutToken;
import dev.merit.governance.contracts.PayrollVault;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.tx.TransactionManager;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static dev.merit.contracts.Reverts.assertRevertsWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole on-chain cycle a payout proposal goes through, against a real anvil node: propose the vault's
 * approveEpoch, three members vote (one by an EIP-712 Ballot signature relayed by someone else), queue, wait out
 * the timelock, execute, batch-claim; every recipient ends with exactly its amount.
 */
class GovernanceCycleTest {

    private static final BigInteger PENDING = BigInteger.ZERO;
    private static final BigInteger ACTIVE = BigInteger.ONE;
    private static final BigInteger SUCCEEDED = BigInteger.valueOf(4);
    private static final BigInteger QUEUED = BigInteger.valueOf(5);
    private static final BigInteger EXECUTED = BigInteger.valueOf(7);

    @Test
    void aPayoutProposalIsVotedQueuedExecutedAndPaid() throws Exception {
        try (AnvilNode anvil = AnvilNode.start(Path.of("contracts"))) {
            Web3j web3j = anvil.web3j();
            Credentials relayer = DevAccounts.account(0);
            List<Credentials> members = List.of(DevAccounts.account(1), DevAccounts.account(2), DevAccounts.account(3));
            Deployment.Settings settings = Deployment.Settings.local();
            DaoContracts dao = Deployment.deploy(web3j, AnvilNode.CHAIN_ID, relayer, members, settings);

            List<MerkleTree.Leaf> lines = List.of(
                    new MerkleTree.Leaf("0x00000000000000000000000000000000000a11ce", new BigInteger("600000000000000000000")),
                    new MerkleTree.Leaf("0x0000000000000000000000000000000000000b0b", new BigInteger("333333333333333333333")),
                    new MerkleTree.Leaf("0x000000000000000000000000000000000000ca01", new BigInteger("66666666666666666667")));
            BigInteger total = lines.stream().map(MerkleTree.Leaf::amount).reduce(BigInteger.ZERO, BigInteger::add);
            MerkleTree tree = MerkleTree.of(lines);
            byte[] contentHash = Hash.sha3("canonical inputs".getBytes(StandardCharsets.UTF_8));

            MeritGovernor asMember1 = governor(web3j, dao, members.get(0));
            PayrollVault vaultView = PayrollVault.load(dao.vault(), web3j, tx(web3j, relayer), Deployment.GAS);
            List<String> targets = List.of(dao.vault());
            List<BigInteger> values = List.of(BigInteger.ZERO);
            List<byte[]> calldatas = List.of(Numeric.hexStringToByteArray(
                    vaultView.approveEpoch(BigInteger.valueOf(42), tree.root(), total, contentHash,
                            BigInteger.valueOf(1_700_000_000L), BigInteger.valueOf(1_702_592_000L)).encodeFunctionCall()));
            String description = "Merit payout, epoch 42, inputs sha256:" + Numeric.toHexStringNoPrefix(contentHash);
            byte[] descriptionHash = Hash.sha3(description.getBytes(StandardCharsets.UTF_8));

            asMember1.propose(targets, values, calldatas, description).send();
            BigInteger proposalId = asMember1.hashProposal(targets, values, calldatas, descriptionHash).send();
            assertThat(proposalId).isEqualTo(GovernanceService.proposalId(dao.vault(),
                    Numeric.toHexString(calldatas.get(0)), description));
            assertThat(asMember1.state(proposalId).send()).isEqualTo(PENDING);

            anvil.mine(settings.votingDelayBlocks() + 1);
            assertThat(asMember1.state(proposalId).send()).isEqualTo(ACTIVE);

            asMember1.castVote(proposalId, BigInteger.valueOf(Ballot.FOR)).send();
            governor(web3j, dao, members.get(2)).castVote(proposalId, BigInteger.valueOf(Ballot.AGAINST)).send();

            // Member 2 signs a Ballot; the relayer submits it.
            MeritGovernor asRelayer = governor(web3j, dao, relayer);
            Credentials voter = members.get(1);
            Ballot ballot = new Ballot("MeritGovernor", "1", AnvilNode.CHAIN_ID, dao.governor(), proposalId, Ballot.FOR,
                    voter.getAddress(), asRelayer.nonces(voter.getAddress()).send());
            byte[] signature = ballot.sign(voter.getEcKeyPair());
            assertThat(ballot.signer(signature)).isEqualToIgnoringCase(voter.getAddress());
            asRelayer.castVoteBySig(proposalId, BigInteger.valueOf(Ballot.FOR), voter.getAddress(), signature).send();
            assertThat(asRelayer.hasVoted(proposalId, voter.getAddress()).send()).isTrue();
            // A replayed signature is refused (the nonce moved on).
            assertRevertsWith(web3j, relayer.getAddress(), dao.governor(),
                    asRelayer.castVoteBySig(proposalId, BigInteger.valueOf(Ballot.FOR), voter.getAddress(), signature)
                            .encodeFunctionCall(), "GovernorInvalidSignature(address)");

            var votes = asRelayer.proposalVotes(proposalId).send();
            assertThat(votes.component1()).isEqualTo(settings.votesPerMember()); // against
            assertThat(votes.component2()).isEqualTo(settings.votesPerMember().multiply(BigInteger.TWO)); // for

            anvil.mine(settings.votingPeriodBlocks() + 1);
            assertThat(asRelayer.state(proposalId).send()).isEqualTo(SUCCEEDED);
            asRelayer.queue(targets, values, calldatas, descriptionHash).send();
            assertThat(asRelayer.state(proposalId).send()).isEqualTo(QUEUED);
            // Too early: the timelock refuses.
            assertRevertsWith(web3j, relayer.getAddress(), dao.governor(),
                    asRelayer.execute(targets, values, calldatas, descriptionHash, BigInteger.ZERO).encodeFunctionCall(),
                    "TimelockUnexpectedOperationState(bytes32,bytes32)");
            anvil.advanceTime(settings.timelockDelaySeconds() + 1);
            asRelayer.execute(targets, values, calldatas, descriptionHash, BigInteger.ZERO).send();
            assertThat(asRelayer.state(proposalId).send()).isEqualTo(EXECUTED);

            var approved = vaultView.epochs(BigInteger.valueOf(42)).send();
            assertThat(approved.component1()).isEqualTo(tree.root());
            assertThat(approved.component2()).isEqualTo(contentHash);

            MerkleTree.MultiProof mp = tree.multiProof(List.of(0, 1, 2));
            vaultView.claimBatch(BigInteger.valueOf(42), mp.leaves().stream().map(MerkleTree.Leaf::account).toList(),
                    mp.leaves().stream().map(MerkleTree.Leaf::amount).toList(), mp.proof(), mp.proofFlags()).send();
            PayoutToken payout = PayoutToken.load(dao.payoutToken(), web3j, tx(web3j, relayer), Deployment.GAS);
            for (MerkleTree.Leaf line : lines) {
                assertThat(payout.balanceOf(line.account()).send()).isEqualTo(line.amount());
            }
            assertThat(payout.balanceOf(dao.vault()).send()).isEqualTo(settings.vaultFunding().subtract(total));
            assertThat(vaultView.reserved().send()).isZero();
        }
    }

    private static MeritGovernor governor(Web3j web3j, DaoContracts dao, Credentials who) {
        return MeritGovernor.load(dao.governor(), web3j, tx(web3j, who), Deployment.GAS);
    }

    private static TransactionManager tx(Web3j web3j, Credentials who) {
        return Deployment.transactions(web3j, who, AnvilNode.CHAIN_ID);
    }
}
