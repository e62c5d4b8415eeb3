package dev.merit.contracts;

import dev.merit.governance.MerkleTree;
import dev.merit.governance.chain.AnvilNode;
import dev.merit.governance.chain.DaoContracts;
import dev.merit.governance.chain.Deployment;
import dev.merit.governance.chain.DevAccounts;
import dev.merit.governance.contracts.MeritGovernor;
import dev.merit.governance.contracts.MeritTimelock;
import dev.merit.governance.contracts.MeritToken;
import dev.merit.governance.contracts.PayoutToken;
import dev.merit.governance.contracts.PayrollVault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.datatypes.Address;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static dev.merit.contracts.Chain.ZERO;
import static dev.merit.contracts.Reverts.assertRevertsWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PayrollVault against anvil: approving payouts with their pay periods, single and batch claims, the books it keeps
 * (reserved, claimed, approvedUntil), its events, each error its functions can revert with; and the DAO wiring.
 */
class PayrollVaultTest {

    private static final BigInteger TOKEN = BigInteger.TEN.pow(18);
    private static AnvilNode anvil;
    private static Web3j web3j;
    private static final Credentials OWNER = DevAccounts.account(0);
    private static final Credentials STRANGER = DevAccounts.account(5);
    private static PayoutToken payout;
    private static PayrollVault vault;
    private static long nextEpoch = 1;

    @BeforeAll
    static void chain() throws Exception {
        anvil = AnvilNode.start(Path.of("contracts"));
        web3j = anvil.web3j();
        var tx = Deployment.transactions(web3j, OWNER, AnvilNode.CHAIN_ID);
        payout = PayoutToken.deploy(web3j, tx, Deployment.GAS, "Payout", "PAY", BigInteger.valueOf(18),
                OWNER.getAddress()).send();
        // The owner stands in for the timelock here; theDaoIsWiredWithTheGovernorInControl covers the real ownership.
        vault = PayrollVault.deploy(web3j, tx, Deployment.GAS, payout.getContractAddress(), OWNER.getAddress()).send();
        payout.mint(vault.getContractAddress(), TOKEN.multiply(BigInteger.valueOf(1_000))).send();
    }

    @AfterAll
    static void stop() {
        anvil.close();
    }

    private static List<MerkleTree.Leaf> leaves(int n, int salt) {
        return IntStream.range(0, n).mapToObj(i -> new MerkleTree.Leaf(
                Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(0xbeef0000L + salt * 1000L + i), 40),
                TOKEN.multiply(BigInteger.valueOf(i + 1)))).toList();
    }

    private static BigInteger total(List<MerkleTree.Leaf> leaves) {
        return leaves.stream().map(MerkleTree.Leaf::amount).reduce(BigInteger.ZERO, BigInteger::add);
    }

    /** Each approval pays the next 1,000 seconds: periods are approved in order. */
    private static long approve(MerkleTree tree, BigInteger total) throws Exception {
        long epoch = nextEpoch++;
        vault.approveEpoch(BigInteger.valueOf(epoch), tree.root(), total, new byte[32], start(epoch), start(epoch + 1)).send();
        return epoch;
    }

    private static BigInteger start(long epoch) {
        return BigInteger.valueOf(1_000_000 + epoch * 1000);
    }

    private static List<byte[]> proof(MerkleTree tree, int index) {
        return tree.proof(index);
    }

    @Test
    void claimsPayExactlyTheLeafToItsAccount() throws Exception {
        List<MerkleTree.Leaf> leaves = leaves(5, 1);
        MerkleTree tree = MerkleTree.of(leaves);
        long epoch = approve(tree, total(leaves));
        // Anyone may submit the claim; the money goes to the account.
        PayrollVault asStranger = PayrollVault.load(vault.getContractAddress(), web3j,
                Deployment.transactions(web3j, STRANGER, AnvilNode.CHAIN_ID), Deployment.GAS);
        MerkleTree.Leaf leaf = leaves.get(3);
        byte[] leafHash = MerkleTree.leafHash(leaf);
        assertThat(vault.claimed(BigInteger.valueOf(epoch), leafHash).send()).isFalse();
        BigInteger reserved = vault.reserved().send();
        TransactionReceipt receipt = asStranger.claim(BigInteger.valueOf(epoch), leaf.account(), leaf.amount(),
                proof(tree, 3)).send();
        assertThat(payout.balanceOf(leaf.account()).send()).isEqualTo(leaf.amount());
        assertThat(payout.balanceOf(STRANGER.getAddress()).send()).isZero();
        var claimed = PayrollVault.getClaimedEvents(receipt).get(0);
        assertThat(claimed.epoch).isEqualTo(BigInteger.valueOf(epoch));
        assertThat(claimed.account).isEqualToIgnoringCase(leaf.account());
        assertThat(claimed.amount).isEqualTo(leaf.amount());
        assertThat(vault.claimed(BigInteger.valueOf(epoch), leafHash).send()).isTrue();
        assertThat(vault.epochs(BigInteger.valueOf(epoch)).send().component4()).isEqualTo(leaf.amount());
        assertThat(vault.reserved().send()).isEqualTo(reserved.subtract(leaf.amount()));
    }

    @Test
    void batchClaimWithOneMultiproofPaysEveryone() throws Exception {
        List<MerkleTree.Leaf> leaves = leaves(37, 2);
        MerkleTree tree = MerkleTree.of(leaves);
        BigInteger before = payout.balanceOf(vault.getContractAddress()).send();
        long epoch = approve(tree, total(leaves));
        MerkleTree.MultiProof mp = tree.multiProof(IntStream.range(0, leaves.size()).boxed().toList());
        TransactionReceipt receipt = vault.claimBatch(BigInteger.valueOf(epoch),
                mp.leaves().stream().map(MerkleTree.Leaf::account).toList(),
                mp.leaves().stream().map(MerkleTree.Leaf::amount).toList(), mp.proof(), mp.proofFlags()).send();
        assertThat(PayrollVault.getClaimedEvents(receipt)).hasSize(leaves.size());
        assertThat(vault.epochs(BigInteger.valueOf(epoch)).send().component4()).isEqualTo(total(leaves));
        for (MerkleTree.Leaf leaf : leaves) {
            assertThat(payout.balanceOf(leaf.account()).send()).isEqualTo(leaf.amount());
        }
        assertThat(payout.balanceOf(vault.getContractAddress()).send()).isEqualTo(before.subtract(total(leaves)));
    }

    /**
     * Merit releases at most merit.payroll.releases-per-vote (200) held shares in one vote, so that the vote's
     * execution fits in a block: 200 releases to wallets that never held the token, with one multiproof, measured.
     */
    @Test
    void theReleasesOfOneVoteFitInABlock() throws Exception {
        long epoch = nextEpoch++;
        BigInteger id = BigInteger.valueOf(epoch);
        vault.approveEpoch(id, new byte[32], BigInteger.ZERO, new byte[32], start(epoch), start(epoch + 1)).send();
        List<MerkleTree.Leaf> leaves = IntStream.range(0, 256).mapToObj(i -> new MerkleTree.Leaf(Numeric.toHexString(
                Hash.sha3(("merit:contributor:" + (23_000 + i)).getBytes(StandardCharsets.UTF_8))),
                BigInteger.valueOf(1_000 + i))).toList();
        MerkleTree tree = MerkleTree.of(leaves);
        vault.approveHeld(id, tree.root(), total(leaves)).send();
        MerkleTree.MultiProof mp = tree.multiProof(IntStream.range(0, 200).boxed().toList());
        String[] wallets = IntStream.range(0, 200).mapToObj(i -> Numeric.toHexStringWithPrefixZeroPadded(
                BigInteger.valueOf(0xfee00000L + i), 40)).toArray(String[]::new);
        TransactionReceipt released = vault.releaseHeld(id, releases(mp, wallets), mp.proof(), mp.proofFlags()).send();
        assertThat(PayrollVault.getHeldReleasedEvents(released)).hasSize(200);
        long gas = released.getGasUsed().longValue();
        System.out.printf("releaseHeld of 200 shares to fresh wallets: %d gas, %d a share%n", gas, gas / 200);
        assertThat(gas).as("a third of a 36-million-gas block at most, beside the vote's other calls")
                .isLessThan(12_000_000L);
    }

    private static List<MerkleTree.Leaf> heldLeaves(int n, int salt) {
        return IntStream.range(0, n).mapToObj(i -> new MerkleTree.Leaf(Numeric.toHexString(Hash.sha3(
                ("merit:contributor:" + (salt * 1000 + i)).getBytes(StandardCharsets.UTF_8))),
                TOKEN.multiply(BigInteger.valueOf(i + 1)))).toList();
    }

    private static List<PayrollVault.Release> releases(MerkleTree.MultiProof mp, String... accounts) {
        List<PayrollVault.Release> out = new ArrayList<>();
        for (int i = 0; i < mp.leaves().size(); i++) {
            MerkleTree.Leaf l = mp.leaves().get(i);
            out.add(new PayrollVault.Release(Numeric.hexStringToByteArray(l.account()), l.amount(), accounts[i]));
        }
        return out;
    }

    @Test
    void aPayoutWhoseEveryShareIsHeldPaysNoWalletAndReleasesEachShareOnceThenReturnsTheRest() throws Exception {
        // Zero root and zero total: nobody has a wallet, the period is still approved (and can never be paid again).
        long epoch = nextEpoch++;
        BigInteger id = BigInteger.valueOf(epoch);
        vault.approveEpoch(id, new byte[32], BigInteger.ZERO, new byte[32], start(epoch), start(epoch + 1)).send();
        assertThat(vault.approvedUntil().send()).isEqualTo(start(epoch + 1));

        List<MerkleTree.Leaf> leaves = heldLeaves(4, 21);
        MerkleTree tree = MerkleTree.of(leaves);
        BigInteger reserved = vault.reserved().send();
        TransactionReceipt approved = vault.approveHeld(id, tree.root(), total(leaves)).send();
        var event = PayrollVault.getHeldApprovedEvents(approved).get(0);
        assertThat(event.total).isEqualTo(total(leaves));
        assertThat(event.root).isEqualTo(tree.root());
        assertThat(vault.reserved().send()).isEqualTo(reserved.add(total(leaves)));
        var books = vault.held(id).send();
        assertThat(books.component1()).isEqualTo(tree.root());
        assertThat(books.component2()).isEqualTo(total(leaves));
        assertThat(books.component3()).isZero();
        assertThat(books.component4()).isFalse();
        assertRevertsWith(web3j, OWNER.getAddress(), vault.getContractAddress(),
                vault.approveHeld(id, tree.root(), total(leaves)).encodeFunctionCall(), "HeldAlreadyApproved(uint256)");

        // Two contributors link wallets: one vote releases both shares, to those wallets, once.
        String a = Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(0xcafe0001L), 40);
        String b = Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(0xcafe0002L), 40);
        MerkleTree.MultiProof mp = tree.multiProof(List.of(0, 2));
        List<PayrollVault.Release> two = releases(mp, a, b);
        assertRevertsWith(web3j, STRANGER.getAddress(), vault.getContractAddress(),
                vault.releaseHeld(id, two, mp.proof(), mp.proofFlags()).encodeFunctionCall(),
                "OwnableUnauthorizedAccount(address)");
        List<PayrollVault.Release> forged = List.of(new PayrollVault.Release(two.get(0).key,
                two.get(0).amount.add(BigInteger.ONE), a), two.get(1));
        assertRevertsWith(web3j, OWNER.getAddress(), vault.getContractAddress(),
                vault.releaseHeld(id, forged, mp.proof(), mp.proofFlags()).encodeFunctionCall(), "InvalidProof(uint256)");
        TransactionReceipt released = vault.releaseHeld(id, two, mp.proof(), mp.proofFlags()).send();
        assertThat(PayrollVault.getHeldReleasedEvents(released)).hasSize(2);
        BigInteger paid = mp.leaves().get(0).amount().add(mp.leaves().get(1).amount());
        assertThat(payout.balanceOf(a).send()).isEqualTo(mp.leaves().get(0).amount());
        assertThat(payout.balanceOf(b).send()).isEqualTo(mp.leaves().get(1).amount());
        assertThat(vault.released(id, MerkleTree.leafHash(mp.leaves().get(0))).send()).isTrue();
        assertThat(vault.held(id).send().component3()).isEqualTo(paid);
        MerkleTree.MultiProof first = tree.multiProof(List.of(leaves.indexOf(mp.leaves().get(0))));
        var again = assertRevertsWith(web3j, OWNER.getAddress(), vault.getContractAddress(),
                vault.releaseHeld(id, releases(first, a), first.proof(), first.proofFlags()).encodeFunctionCall(),
                "AlreadyReleased(uint256,bytes32)");
        assertThat(again.arguments()).containsEntry("epoch", id);

        // The rest goes back to the treasury: no longer reserved, and nothing more is released.
        BigInteger before = vault.reserved().send();
        TransactionReceipt returned = vault.returnHeld(id).send();
        BigInteger rest = total(leaves).subtract(paid);
        assertThat(PayrollVault.getHeldReturnedEvents(returned).get(0).amount).isEqualTo(rest);
        assertThat(vault.reserved().send()).isEqualTo(before.subtract(rest));
        assertThat(vault.held(id).send().component4()).isTrue();
        MerkleTree.MultiProof other = tree.multiProof(List.of(1));
        assertRevertsWith(web3j, OWNER.getAddress(), vault.getContractAddress(),
                vault.releaseHeld(id, releases(other, a), other.proof(), other.proofFlags()).encodeFunctionCall(),
                "HeldWasReturned(uint256)");
        assertRevertsWith(web3j, OWNER.getAddress(), vault.getContractAddress(),
                vault.returnHeld(id).encodeFunctionCall(), "HeldWasReturned(uint256)");
    }

    @Test
    void heldSharesNeedAnApprovedPayoutARootAndSomethingHeld() throws Exception {
        List<MerkleTree.Leaf> leaves = heldLeaves(2, 22);
        MerkleTree tree = MerkleTree.of(leaves);
        assertRevertsWith(web3j, OWNER.getAddress(), vault.getContractAddress(),
                vault.approveHeld(BigInteger.valueOf(4242), tree.root(), total(leaves)).encodeFunctionCall(),
                "EpochNotApproved(uint256)");
        long epoch = approve(MerkleTree.of(leaves(2, 23)), TOKEN);
        BigInteger id = BigInteger.valueOf(epoch);
        assertRevertsWith(web3j, OWNER.getAddress(), vault.getContractAddress(),
                vault.approveHeld(id, new byte[32], total(leaves)).encodeFunctionCall(), "EmptyRoot()");
        assertRevertsWith(web3j, STRANGER.getAddress(), vault.getContractAddress(),
                vault.approveHeld(id, tree.root(), total(leaves)).encodeFunctionCall(),
                "OwnableUnauthorizedAccount(address)");
        MerkleTree.MultiProof mp = tree.multiProof(List.of(0));
        assertRevertsWith(web3j, OWNER.getAddress(), vault.getContractAddress(),
                vault.releaseHeld(id, releases(mp, STRANGER.getAddress()), mp.proof(), mp.proofFlags())
                        .encodeFunctionCall(), "NothingHeld(uint256)");
        assertRevertsWith(web3j, OWNER.getAddress(), vault.getContractAddress(),
                vault.returnHeld(id).encodeFunctionCall(), "NothingHeld(uint256)");
        assertRevertsWith(web3j, STRANGER.getAddress(), vault.getContractAddress(),
                vault.returnHeld(id).encodeFunctionCall(), "OwnableUnauthorizedAccount(address)");
    }

    @Test
    void anEpochCannotBeApprovedTwice() throws Exception {
        MerkleTree tree = MerkleTree.of(leaves(2, 3));
        long epoch = approve(tree, BigInteger.ONE);
        assertRevertsWith(web3j, OWNER.getAddress(), vault.getContractAddress(),
                vault.approveEpoch(BigInteger.valueOf(epoch), tree.root(), BigInteger.ONE, new byte[32], start(nextEpoch + 10),
                        start(nextEpoch + 11)).encodeFunctionCall(),
                "EpochAlreadyApproved(uint256)");
    }

    @Test
    void aWrongProofIsRefused() throws Exception {
        List<MerkleTree.Leaf> leaves = leaves(4, 4);
        MerkleTree tree = MerkleTree.of(leaves);
        long epoch = approve(tree, total(leaves));
        // The right proof for another amount, and another leaf's proof: both invalid.
        assertRevertsWith(web3j, STRANGER.getAddress(), vault.getContractAddress(),
                vault.claim(BigInteger.valueOf(epoch), leaves.get(0).account(), leaves.get(0).amount().add(BigInteger.ONE),
                        proof(tree, 0)).encodeFunctionCall(), "InvalidProof(uint256)");
        assertRevertsWith(web3j, STRANGER.getAddress(), vault.getContractAddress(),
                vault.claim(BigInteger.valueOf(epoch), leaves.get(0).account(), leaves.get(0).amount(),
                        proof(tree, 1)).encodeFunctionCall(), "InvalidProof(uint256)");
    }

    @Test
    void aLeafCannotBeClaimedTwice() throws Exception {
        List<MerkleTree.Leaf> leaves = leaves(3, 5);
        MerkleTree tree = MerkleTree.of(leaves);
        long epoch = approve(tree, total(leaves));
        vault.claim(BigInteger.valueOf(epoch), leaves.get(1).account(), leaves.get(1).amount(), proof(tree, 1)).send();
        assertRevertsWith(web3j, STRANGER.getAddress(), vault.getContractAddress(),
                vault.claim(BigInteger.valueOf(epoch), leaves.get(1).account(), leaves.get(1).amount(), proof(tree, 1))
                        .encodeFunctionCall(), "AlreadyClaimed(uint256,address,uint256)");
    }

    @Test
    void onlyTheOwnerApproves() throws Exception {
        MerkleTree tree = MerkleTree.of(leaves(2, 6));
        assertRevertsWith(web3j, STRANGER.getAddress(), vault.getContractAddress(),
                vault.approveEpoch(BigInteger.valueOf(999), tree.root(), BigInteger.ONE, new byte[32], start(nextEpoch + 10),
                        start(nextEpoch + 11)).encodeFunctionCall(),
                "OwnableUnauthorizedAccount(address)");
    }

    @Test
    void approvalsCannotExceedTheUnreservedBalance() throws Exception {
        BigInteger balance = payout.balanceOf(vault.getContractAddress()).send();
        BigInteger reserved = vault.reserved().send();
        MerkleTree tree = MerkleTree.of(leaves(2, 7));
        assertRevertsWith(web3j, OWNER.getAddress(), vault.getContractAddress(),
                vault.approveEpoch(BigInteger.valueOf(998), tree.root(), balance.subtract(reserved).add(BigInteger.ONE),
                        new byte[32], start(nextEpoch + 10), start(nextEpoch + 11)).encodeFunctionCall(),
                "InsufficientUnreservedBalance(uint256,uint256)");
    }

    @Test
    void claimsOfAnUnapprovedEpochAreRefused() throws Exception {
        List<MerkleTree.Leaf> leaves = leaves(2, 8);
        MerkleTree tree = MerkleTree.of(leaves);
        assertRevertsWith(web3j, STRANGER.getAddress(), vault.getContractAddress(),
                vault.claim(BigInteger.valueOf(777), leaves.get(0).account(), leaves.get(0).amount(), proof(tree, 0))
                        .encodeFunctionCall(), "EpochNotApproved(uint256)");
    }

    @Test
    void theDaoIsWiredWithTheGovernorInControl() throws Exception {
        List<Credentials> members = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            members.add(DevAccounts.account(i));
        }
        DaoContracts dao = Deployment.deploy(web3j, AnvilNode.CHAIN_ID, OWNER, members, Deployment.Settings.local());
        var tx = Deployment.transactions(web3j, OWNER, AnvilNode.CHAIN_ID);
        MeritTimelock timelock = MeritTimelock.load(dao.timelock(), web3j, tx, Deployment.GAS);
        assertThat(timelock.hasRole(timelock.PROPOSER_ROLE().send(), dao.governor()).send()).isTrue();
        assertThat(timelock.hasRole(timelock.CANCELLER_ROLE().send(), dao.governor()).send()).isTrue();
        assertThat(timelock.hasRole(timelock.EXECUTOR_ROLE().send(), "0x0000000000000000000000000000000000000000").send()).isTrue();
        assertThat(timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE().send(), OWNER.getAddress()).send()).isFalse();
        assertThat(timelock.hasRole(timelock.PROPOSER_ROLE().send(), OWNER.getAddress()).send()).isFalse();
        assertThat(PayrollVault.load(dao.vault(), web3j, tx, Deployment.GAS).owner().send()).isEqualToIgnoringCase(dao.timelock());
        MeritToken token = MeritToken.load(dao.governanceToken(), web3j, tx, Deployment.GAS);
        assertThat(token.owner().send()).isEqualToIgnoringCase(dao.timelock());
        assertThat(token.getVotes(members.get(0).getAddress()).send()).isEqualTo(Deployment.Settings.local().votesPerMember());
        MeritGovernor governor = MeritGovernor.load(dao.governor(), web3j, tx, Deployment.GAS);
        assertThat(governor.timelock().send()).isEqualToIgnoringCase(dao.timelock());
        assertThat(governor.votingPeriod().send()).isEqualTo(BigInteger.valueOf(20));
        // The deployer cannot approve payouts: only a passed proposal, through the timelock, can.
        assertRevertsWith(web3j, OWNER.getAddress(), dao.vault(),
                PayrollVault.load(dao.vault(), web3j, tx, Deployment.GAS)
                        .approveEpoch(BigInteger.ONE, new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}, BigInteger.ONE, new byte[32],
                                BigInteger.ZERO, BigInteger.ONE)
                        .encodeFunctionCall(), "OwnableUnauthorizedAccount(address)");
    }

    @Test
    void aPeriodIsPaidOnceWhateverTheProposal() throws Exception {
        MerkleTree tree = MerkleTree.of(leaves(2, 9));
        long epoch = approve(tree, BigInteger.TWO);
        assertThat(vault.approvedUntil().send()).isEqualTo(start(epoch + 1));
        var approved = vault.epochs(BigInteger.valueOf(epoch)).send();
        assertThat(approved.component5()).isEqualTo(start(epoch));
        assertThat(approved.component6()).isEqualTo(start(epoch + 1));
        // Another payout (another content hash, another policy) of the same period, of a period overlapping its end,
        // and of an earlier period: all refused, whoever proposes them.
        MerkleTree other = MerkleTree.of(leaves(2, 10));
        for (BigInteger[] period : new BigInteger[][]{{start(epoch), start(epoch + 1)},
                {start(epoch + 1).subtract(BigInteger.ONE), start(epoch + 2)}, {start(epoch - 1), start(epoch)}}) {
            String call = vault.approveEpoch(BigInteger.valueOf(5000 + epoch), other.root(), BigInteger.ONE,
                    new byte[32], period[0], period[1]).encodeFunctionCall();
            assertRevertsWith(web3j, OWNER.getAddress(), vault.getContractAddress(), call,
                    "PeriodAlreadyApproved(uint64,uint64)");
        }
        // The next period, starting exactly where the last one ended, is fine.
        approve(other, BigInteger.ONE);
    }

    @Test
    void anEmptyOrBackwardsPeriodIsRefused() throws Exception {
        MerkleTree tree = MerkleTree.of(leaves(2, 11));
        assertRevertsWith(web3j, OWNER.getAddress(), vault.getContractAddress(),
                vault.approveEpoch(BigInteger.valueOf(996), tree.root(), BigInteger.ONE, new byte[32],
                        start(nextEpoch + 20), start(nextEpoch + 20)).encodeFunctionCall(), "EmptyPeriod(uint64,uint64)");
    }

    @Test
    void theVaultsRefusalsReadAsWords() throws Exception {
        MerkleTree tree = MerkleTree.of(leaves(2, 12));
        long epoch = approve(tree, BigInteger.ONE);
        String call = vault.approveEpoch(BigInteger.valueOf(6000 + epoch), tree.root(), BigInteger.ONE, new byte[32],
                start(epoch), start(epoch + 1)).encodeFunctionCall();
        var result = web3j.ethCall(org.web3j.protocol.core.methods.request.Transaction.createEthCallTransaction(
                OWNER.getAddress(), vault.getContractAddress(), call), org.web3j.protocol.core.DefaultBlockParameterName.LATEST).send();
        String words = dev.merit.governance.chain.ContractErrors.explain(result.getError().getMessage(),
                result.getError().getData());
        assertThat(words).isEqualTo("The vault has already approved pay up to "
                + java.time.Instant.ofEpochSecond(start(epoch + 1).longValue()) + "; a payout for a period starting "
                + java.time.Instant.ofEpochSecond(start(epoch).longValue())
                + " would pay part of that time twice (PeriodAlreadyApproved).");
    }

    @Test
    void describesItsTokenAndOwner() throws Exception {
        assertThat(vault.token().send()).isEqualToIgnoringCase(payout.getContractAddress());
        assertThat(vault.owner().send()).isEqualToIgnoringCase(OWNER.getAddress());
    }

    @Test
    void anApprovalRecordsThePayoutItsPeriodAndReservesItsTotal() throws Exception {
        List<MerkleTree.Leaf> leaves = leaves(3, 13);
        MerkleTree tree = MerkleTree.of(leaves);
        byte[] contentHash = Hash.sha3("canonical inputs of a payout".getBytes(StandardCharsets.UTF_8));
        BigInteger reserved = vault.reserved().send();
        long epoch = nextEpoch++;
        TransactionReceipt receipt = vault.approveEpoch(BigInteger.valueOf(epoch), tree.root(), total(leaves), contentHash,
                start(epoch), start(epoch + 1)).send();
        var approved = PayrollVault.getEpochApprovedEvents(receipt).get(0);
        assertThat(approved.epoch).isEqualTo(BigInteger.valueOf(epoch));
        assertThat(approved.root).isEqualTo(tree.root());
        assertThat(approved.total).isEqualTo(total(leaves));
        assertThat(approved.contentHash).isEqualTo(contentHash);
        assertThat(approved.periodStart).isEqualTo(start(epoch));
        assertThat(approved.periodEnd).isEqualTo(start(epoch + 1));
        var books = vault.epochs(BigInteger.valueOf(epoch)).send();
        assertThat(books.component1()).isEqualTo(tree.root());
        assertThat(books.component2()).isEqualTo(contentHash);
        assertThat(books.component3()).isEqualTo(total(leaves));
        assertThat(books.component4()).isZero();
        assertThat(books.component5()).isEqualTo(start(epoch));
        assertThat(books.component6()).isEqualTo(start(epoch + 1));
        assertThat(vault.reserved().send()).isEqualTo(reserved.add(total(leaves)));
        assertThat(vault.approvedUntil().send()).isEqualTo(start(epoch + 1));
        // An epoch never approved reads as zeros.
        assertThat(vault.epochs(BigInteger.valueOf(424242)).send().component1()).isEqualTo(new byte[32]);
    }

    @Test
    void anEmptyRootOrATotalOver128BitsIsRefused() throws Exception {
        MerkleTree tree = MerkleTree.of(leaves(2, 14));
        assertRevertsWith(web3j, OWNER.getAddress(), vault.getContractAddress(),
                vault.approveEpoch(BigInteger.valueOf(995), new byte[32], BigInteger.ONE, new byte[32],
                        start(nextEpoch + 20), start(nextEpoch + 21)).encodeFunctionCall(), "EmptyRoot()");
        BigInteger tooLarge = BigInteger.TWO.pow(128);
        var decoded = assertRevertsWith(web3j, OWNER.getAddress(), vault.getContractAddress(),
                vault.approveEpoch(BigInteger.valueOf(995), tree.root(), tooLarge, new byte[32],
                        start(nextEpoch + 20), start(nextEpoch + 21)).encodeFunctionCall(), "TotalTooLarge(uint256)");
        assertThat(decoded.arguments()).containsEntry("total", tooLarge);
    }

    @Test
    void claimsCannotPayMoreThanTheApprovedTotal() throws Exception {
        // A tree of 1 and 2 tokens approved for 2 tokens in all: the first claim of 2 uses up the total.
        List<MerkleTree.Leaf> leaves = leaves(2, 15);
        MerkleTree tree = MerkleTree.of(leaves);
        long epoch = approve(tree, leaves.get(1).amount());
        vault.claim(BigInteger.valueOf(epoch), leaves.get(1).account(), leaves.get(1).amount(), proof(tree, 1)).send();
        assertRevertsWith(web3j, STRANGER.getAddress(), vault.getContractAddress(),
                vault.claim(BigInteger.valueOf(epoch), leaves.get(0).account(), leaves.get(0).amount(), proof(tree, 0))
                        .encodeFunctionCall(), "ClaimsExceedTotal(uint256)");
    }

    @Test
    void aBatchNeedsOneAmountPerAccountAndAWellFormedMultiproof() throws Exception {
        List<MerkleTree.Leaf> leaves = leaves(4, 16);
        MerkleTree tree = MerkleTree.of(leaves);
        long epoch = approve(tree, total(leaves));
        MerkleTree.MultiProof mp = tree.multiProof(List.of(0, 2));
        List<String> accounts = mp.leaves().stream().map(MerkleTree.Leaf::account).toList();
        List<BigInteger> amounts = mp.leaves().stream().map(MerkleTree.Leaf::amount).toList();
        var mismatch = assertRevertsWith(web3j, STRANGER.getAddress(), vault.getContractAddress(),
                vault.claimBatch(BigInteger.valueOf(epoch), accounts, amounts.subList(0, 1), mp.proof(), mp.proofFlags())
                        .encodeFunctionCall(), "LengthMismatch(uint256,uint256)");
        assertThat(mismatch.arguments()).containsEntry("accounts", BigInteger.TWO).containsEntry("amounts", BigInteger.ONE);
        List<Boolean> oneFlagShort = mp.proofFlags().subList(0, mp.proofFlags().size() - 1);
        assertRevertsWith(web3j, STRANGER.getAddress(), vault.getContractAddress(),
                vault.claimBatch(BigInteger.valueOf(epoch), accounts, amounts, mp.proof(), oneFlagShort)
                        .encodeFunctionCall(), "MerkleProofInvalidMultiproof()");
        List<BigInteger> inflated = List.of(amounts.get(0), amounts.get(1).add(BigInteger.ONE));
        assertRevertsWith(web3j, STRANGER.getAddress(), vault.getContractAddress(),
                vault.claimBatch(BigInteger.valueOf(epoch), accounts, inflated, mp.proof(), mp.proofFlags())
                        .encodeFunctionCall(), "InvalidProof(uint256)");
        assertRevertsWith(web3j, STRANGER.getAddress(), vault.getContractAddress(),
                vault.claimBatch(BigInteger.valueOf(424243), accounts, amounts, mp.proof(), mp.proofFlags())
                        .encodeFunctionCall(), "EpochNotApproved(uint256)");
        // A leaf paid alone cannot be paid again in a batch.
        vault.claim(BigInteger.valueOf(epoch), leaves.get(2).account(), leaves.get(2).amount(), proof(tree, 2)).send();
        assertRevertsWith(web3j, STRANGER.getAddress(), vault.getContractAddress(),
                vault.claimBatch(BigInteger.valueOf(epoch), accounts, amounts, mp.proof(), mp.proofFlags())
                        .encodeFunctionCall(), "AlreadyClaimed(uint256,address,uint256)");
    }

    @Test
    void ownershipMovesOrEnds() throws Exception {
        var tx = Deployment.transactions(web3j, OWNER, AnvilNode.CHAIN_ID);
        PayrollVault own = PayrollVault.deploy(web3j, tx, Deployment.GAS, payout.getContractAddress(),
                OWNER.getAddress()).send();
        var moved = PayrollVault.getOwnershipTransferredEvents(own.transferOwnership(STRANGER.getAddress()).send()).get(0);
        assertThat(moved.previousOwner).isEqualToIgnoringCase(OWNER.getAddress());
        assertThat(moved.newOwner).isEqualToIgnoringCase(STRANGER.getAddress());
        assertThat(own.owner().send()).isEqualToIgnoringCase(STRANGER.getAddress());
        MerkleTree tree = MerkleTree.of(leaves(2, 17));
        assertRevertsWith(web3j, OWNER.getAddress(), own.getContractAddress(), own.approveEpoch(BigInteger.ONE,
                        tree.root(), BigInteger.ZERO, new byte[32], BigInteger.ZERO, BigInteger.ONE).encodeFunctionCall(),
                "OwnableUnauthorizedAccount(address)");
        PayrollVault asStranger = PayrollVault.load(own.getContractAddress(), web3j,
                Deployment.transactions(web3j, STRANGER, AnvilNode.CHAIN_ID), Deployment.GAS);
        assertRevertsWith(web3j, STRANGER.getAddress(), own.getContractAddress(),
                own.transferOwnership(ZERO).encodeFunctionCall(), "OwnableInvalidOwner(address)");
        asStranger.renounceOwnership().send();
        assertThat(own.owner().send()).isEqualTo(ZERO);
        assertRevertsWith(web3j, STRANGER.getAddress(), own.getContractAddress(), own.approveEpoch(BigInteger.ONE,
                        tree.root(), BigInteger.ZERO, new byte[32], BigInteger.ZERO, BigInteger.ONE).encodeFunctionCall(),
                "OwnableUnauthorizedAccount(address)");
        assertRevertsWith(web3j, OWNER.getAddress(), null, Chain.creation(PayrollVault.BINARY,
                new Address(payout.getContractAddress()), new Address(ZERO)), "OwnableInvalidOwner(address)");
    }
}
