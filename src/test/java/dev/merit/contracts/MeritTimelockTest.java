package dev.merit.contracts;

import dev.merit.governance.chain.ContractErrors;
import dev.merit.governance.contracts.MeritTimelock;
import dev.merit.governance.contracts.PayoutToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static dev.merit.contracts.Chain.GAS;
import static dev.merit.contracts.Chain.ZERO;
import static dev.merit.contracts.Reverts.assertRevertsWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MeritTimelock (OpenZeppelin's TimelockController) against anvil, with plain accounts in the governor's place: a
 * proposer (who is also canceller), an executor and an admin. Each function and each error its functions can revert
 * with; the operations mint a PayoutToken the timelock owns, as the DAO's timelock mints governance tokens.
 */
class MeritTimelockTest {

    private static final Credentials ADMIN = Chain.account(0);
    private static final Credentials PROPOSER = Chain.account(1);
    private static final Credentials EXECUTOR = Chain.account(2);
    private static final Credentials CAROL = Chain.account(3);
    private static final Credentials STRANGER = Chain.account(5);
    private static final long MIN_DELAY = 60;
    private static final byte[] NONE = new byte[32];
    private static final BigInteger WAITING = BigInteger.ONE;
    private static final BigInteger READY = BigInteger.TWO;
    private static final BigInteger DONE = BigInteger.valueOf(3);
    private static final AtomicLong SALTS = new AtomicLong(1);
    private static Chain chain;
    private static Web3j web3j;
    private static MeritTimelock timelock;
    private static TransactionReceipt deployment;
    private static PayoutToken payout;
    private static byte[] proposerRole;
    private static byte[] executorRole;
    private static byte[] cancellerRole;

    @BeforeAll
    static void deploy() throws Exception {
        chain = Chain.start();
        web3j = chain.web3j;
        timelock = MeritTimelock.deploy(web3j, chain.tx(ADMIN), GAS, BigInteger.valueOf(MIN_DELAY),
                List.of(PROPOSER.getAddress()), List.of(EXECUTOR.getAddress()), ADMIN.getAddress()).send();
        deployment = timelock.getTransactionReceipt().orElseThrow();
        payout = PayoutToken.deploy(web3j, chain.tx(ADMIN), GAS, "Merit Payout", "MPAY", BigInteger.valueOf(18),
                timelock.getContractAddress()).send();
        proposerRole = timelock.PROPOSER_ROLE().send();
        executorRole = timelock.EXECUTOR_ROLE().send();
        cancellerRole = timelock.CANCELLER_ROLE().send();
    }

    @AfterAll
    static void stop() {
        chain.close();
    }

    private static MeritTimelock as(Credentials who) {
        return as(timelock, who);
    }

    private static MeritTimelock as(MeritTimelock t, Credentials who) {
        return MeritTimelock.load(t.getContractAddress(), web3j, chain.tx(who), GAS);
    }

    private static byte[] salt() {
        return Chain.bytes32(SALTS.getAndIncrement());
    }

    private static byte[] mint(String to, long amount) {
        return Numeric.hexStringToByteArray(payout.mint(to, BigInteger.valueOf(amount)).encodeFunctionCall());
    }

    private static String hex(byte[] bytes) {
        return Numeric.toHexString(bytes);
    }

    @Test
    void rolesAndDelayAreAsDeployed() throws Exception {
        assertThat(proposerRole).isEqualTo(Chain.keccak("PROPOSER_ROLE"));
        assertThat(executorRole).isEqualTo(Chain.keccak("EXECUTOR_ROLE"));
        assertThat(cancellerRole).isEqualTo(Chain.keccak("CANCELLER_ROLE"));
        byte[] admin = timelock.DEFAULT_ADMIN_ROLE().send();
        assertThat(admin).isEqualTo(NONE);
        // Proposers also cancel; the timelock administers itself, beside the optional admin.
        assertThat(timelock.hasRole(proposerRole, PROPOSER.getAddress()).send()).isTrue();
        assertThat(timelock.hasRole(cancellerRole, PROPOSER.getAddress()).send()).isTrue();
        assertThat(timelock.hasRole(executorRole, EXECUTOR.getAddress()).send()).isTrue();
        assertThat(timelock.hasRole(admin, ADMIN.getAddress()).send()).isTrue();
        assertThat(timelock.hasRole(admin, timelock.getContractAddress()).send()).isTrue();
        for (byte[] role : List.of(admin, proposerRole, executorRole, cancellerRole)) {
            assertThat(timelock.hasRole(role, STRANGER.getAddress()).send()).isFalse();
            assertThat(timelock.getRoleAdmin(role).send()).isEqualTo(admin);
        }
        assertThat(timelock.getMinDelay().send()).isEqualTo(BigInteger.valueOf(MIN_DELAY));
        assertThat(MeritTimelock.getRoleGrantedEvents(deployment)).hasSize(5);
        var delaySet = MeritTimelock.getMinDelayChangeEvents(deployment).get(0);
        assertThat(delaySet.oldDuration).isZero();
        assertThat(delaySet.newDuration).isEqualTo(BigInteger.valueOf(MIN_DELAY));
        // ERC-165: itself, AccessControl and ERC-1155 receiving.
        for (String id : List.of("0x01ffc9a7", "0x7965db0b", "0x4e2312e0")) {
            assertThat(timelock.supportsInterface(Numeric.hexStringToByteArray(id)).send()).as(id).isTrue();
        }
        assertThat(timelock.supportsInterface(Numeric.hexStringToByteArray("0xffffffff")).send()).isFalse();
    }

    @Test
    void aCallIsScheduledWaitedForAndExecutedOnce() throws Exception {
        byte[] data = mint(CAROL.getAddress(), 5);
        byte[] salt = salt();
        String target = payout.getContractAddress();
        byte[] id = timelock.hashOperation(target, BigInteger.ZERO, data, NONE, salt).send();
        assertThat(timelock.isOperation(id).send()).isFalse();
        assertThat(timelock.getOperationState(id).send()).isZero();
        assertThat(timelock.getTimestamp(id).send()).isZero();

        assertRevertsWith(web3j, STRANGER.getAddress(), timelock.getContractAddress(), timelock.schedule(target,
                        BigInteger.ZERO, data, NONE, salt, BigInteger.valueOf(MIN_DELAY)).encodeFunctionCall(),
                "AccessControlUnauthorizedAccount(address,bytes32)");
        TransactionReceipt scheduled = as(PROPOSER).schedule(target, BigInteger.ZERO, data, NONE, salt,
                BigInteger.valueOf(MIN_DELAY)).send();
        var event = MeritTimelock.getCallScheduledEvents(scheduled).get(0);
        assertThat(event.id).isEqualTo(id);
        assertThat(event.index).isZero();
        assertThat(event.target).isEqualToIgnoringCase(target);
        assertThat(event.data).isEqualTo(data);
        assertThat(event.predecessor).isEqualTo(NONE);
        assertThat(event.delay).isEqualTo(BigInteger.valueOf(MIN_DELAY));
        assertThat(MeritTimelock.getCallSaltEvents(scheduled).get(0).salt).isEqualTo(salt);
        assertThat(timelock.isOperation(id).send()).isTrue();
        assertThat(timelock.isOperationPending(id).send()).isTrue();
        assertThat(timelock.isOperationReady(id).send()).isFalse();
        assertThat(timelock.getOperationState(id).send()).isEqualTo(WAITING);
        BigInteger at = web3j.ethGetBlockByHash(scheduled.getBlockHash(), false).send().getBlock().getTimestamp();
        assertThat(timelock.getTimestamp(id).send()).isEqualTo(at.add(BigInteger.valueOf(MIN_DELAY)));

        String execute = timelock.execute(target, BigInteger.ZERO, data, NONE, salt, BigInteger.ZERO).encodeFunctionCall();
        ContractErrors.Decoded early = assertRevertsWith(web3j, EXECUTOR.getAddress(), timelock.getContractAddress(),
                execute, "TimelockUnexpectedOperationState(bytes32,bytes32)");
        assertThat(early.arguments()).containsEntry("operationId", hex(id))
                .containsEntry("expectedStates", hex(Chain.bytes32(1L << 2)));
        assertRevertsWith(web3j, PROPOSER.getAddress(), timelock.getContractAddress(), timelock.schedule(target,
                        BigInteger.ZERO, data, NONE, salt, BigInteger.valueOf(MIN_DELAY)).encodeFunctionCall(),
                "TimelockUnexpectedOperationState(bytes32,bytes32)");

        chain.anvil.advanceTime(MIN_DELAY + 1);
        assertThat(timelock.isOperationReady(id).send()).isTrue();
        assertThat(timelock.getOperationState(id).send()).isEqualTo(READY);
        ContractErrors.Decoded notExecutor = assertRevertsWith(web3j, STRANGER.getAddress(),
                timelock.getContractAddress(), execute, "AccessControlUnauthorizedAccount(address,bytes32)");
        assertThat(notExecutor.arguments()).containsEntry("neededRole", hex(executorRole));

        TransactionReceipt executed = as(EXECUTOR).execute(target, BigInteger.ZERO, data, NONE, salt, BigInteger.ZERO).send();
        var call = MeritTimelock.getCallExecutedEvents(executed).get(0);
        assertThat(call.id).isEqualTo(id);
        assertThat(call.target).isEqualToIgnoringCase(target);
        assertThat(call.data).isEqualTo(data);
        assertThat(payout.balanceOf(CAROL.getAddress()).send()).isEqualTo(BigInteger.valueOf(5));
        assertThat(timelock.isOperationDone(id).send()).isTrue();
        assertThat(timelock.isOperationPending(id).send()).isFalse();
        assertThat(timelock.getOperationState(id).send()).isEqualTo(DONE);
        assertThat(timelock.getTimestamp(id).send()).isEqualTo(BigInteger.ONE); // "done"
        assertRevertsWith(web3j, EXECUTOR.getAddress(), timelock.getContractAddress(), execute,
                "TimelockUnexpectedOperationState(bytes32,bytes32)");
    }

    @Test
    void aBatchRunsAllItsCallsInOrder() throws Exception {
        List<String> targets = List.of(payout.getContractAddress(), payout.getContractAddress());
        List<BigInteger> values = List.of(BigInteger.ZERO, BigInteger.ZERO);
        String first = "0x00000000000000000000000000000000000b1a01";
        String second = "0x00000000000000000000000000000000000b1a02";
        List<byte[]> payloads = List.of(mint(first, 1), mint(second, 2));
        byte[] salt = salt();
        byte[] id = timelock.hashOperationBatch(targets, values, payloads, NONE, salt).send();

        ContractErrors.Decoded mismatch = assertRevertsWith(web3j, PROPOSER.getAddress(), timelock.getContractAddress(),
                timelock.scheduleBatch(targets, List.of(BigInteger.ZERO), payloads, NONE, salt,
                        BigInteger.valueOf(MIN_DELAY)).encodeFunctionCall(),
                "TimelockInvalidOperationLength(uint256,uint256,uint256)");
        assertThat(mismatch.arguments()).containsEntry("values", BigInteger.ONE);
        TransactionReceipt scheduled = as(PROPOSER).scheduleBatch(targets, values, payloads, NONE, salt,
                BigInteger.valueOf(MIN_DELAY)).send();
        var events = MeritTimelock.getCallScheduledEvents(scheduled);
        assertThat(events).extracting(e -> e.index).containsExactly(BigInteger.ZERO, BigInteger.ONE);
        assertThat(events).allSatisfy(e -> assertThat(e.id).isEqualTo(id));
        chain.anvil.advanceTime(MIN_DELAY + 1);

        assertRevertsWith(web3j, EXECUTOR.getAddress(), timelock.getContractAddress(),
                timelock.executeBatch(targets, values, List.of(payloads.get(0)), NONE, salt, BigInteger.ZERO)
                        .encodeFunctionCall(), "TimelockInvalidOperationLength(uint256,uint256,uint256)");
        TransactionReceipt executed = as(EXECUTOR).executeBatch(targets, values, payloads, NONE, salt, BigInteger.ZERO).send();
        assertThat(MeritTimelock.getCallExecutedEvents(executed)).extracting(e -> e.index)
                .containsExactly(BigInteger.ZERO, BigInteger.ONE);
        assertThat(payout.balanceOf(first).send()).isEqualTo(BigInteger.ONE);
        assertThat(payout.balanceOf(second).send()).isEqualTo(BigInteger.TWO);
        assertThat(timelock.isOperationDone(id).send()).isTrue();
    }

    @Test
    void theDelayIsAMinimumThatOnlyTheTimelockItselfChanges() throws Exception {
        byte[] data = mint(CAROL.getAddress(), 1);
        ContractErrors.Decoded tooSoon = assertRevertsWith(web3j, PROPOSER.getAddress(), timelock.getContractAddress(),
                timelock.schedule(payout.getContractAddress(), BigInteger.ZERO, data, NONE, salt(),
                        BigInteger.valueOf(MIN_DELAY - 1)).encodeFunctionCall(), "TimelockInsufficientDelay(uint256,uint256)");
        assertThat(tooSoon.arguments()).containsEntry("delay", BigInteger.valueOf(MIN_DELAY - 1))
                .containsEntry("minDelay", BigInteger.valueOf(MIN_DELAY));
        // Not even the admin may change the delay directly.
        assertRevertsWith(web3j, ADMIN.getAddress(), timelock.getContractAddress(),
                timelock.updateDelay(BigInteger.valueOf(120)).encodeFunctionCall(), "TimelockUnauthorizedCaller(address)");

        // Merit's wiring: no admin, anyone executes. The timelock changes its own delay through an operation.
        MeritTimelock open = MeritTimelock.deploy(web3j, chain.tx(ADMIN), GAS, BigInteger.valueOf(MIN_DELAY),
                List.of(PROPOSER.getAddress()), List.of(ZERO), ZERO).send();
        assertThat(open.hasRole(open.DEFAULT_ADMIN_ROLE().send(), ADMIN.getAddress()).send()).isFalse();
        byte[] update = Numeric.hexStringToByteArray(open.updateDelay(BigInteger.valueOf(120)).encodeFunctionCall());
        byte[] salt = salt();
        as(open, PROPOSER).schedule(open.getContractAddress(), BigInteger.ZERO, update, NONE, salt,
                BigInteger.valueOf(MIN_DELAY)).send();
        chain.anvil.advanceTime(MIN_DELAY + 1);
        TransactionReceipt executed = as(open, STRANGER).execute(open.getContractAddress(), BigInteger.ZERO, update, NONE,
                salt, BigInteger.ZERO).send();
        var changed = MeritTimelock.getMinDelayChangeEvents(executed).get(0);
        assertThat(changed.oldDuration).isEqualTo(BigInteger.valueOf(MIN_DELAY));
        assertThat(changed.newDuration).isEqualTo(BigInteger.valueOf(120));
        assertThat(open.getMinDelay().send()).isEqualTo(BigInteger.valueOf(120));
    }

    @Test
    void anOperationWaitsForItsPredecessor() throws Exception {
        String target = payout.getContractAddress();
        byte[] first = mint("0x00000000000000000000000000000000000fe001", 1);
        byte[] then = mint("0x00000000000000000000000000000000000fe002", 1);
        byte[] firstSalt = salt();
        byte[] thenSalt = salt();
        byte[] firstId = timelock.hashOperation(target, BigInteger.ZERO, first, NONE, firstSalt).send();
        as(PROPOSER).schedule(target, BigInteger.ZERO, first, NONE, firstSalt, BigInteger.valueOf(MIN_DELAY)).send();
        as(PROPOSER).schedule(target, BigInteger.ZERO, then, firstId, thenSalt, BigInteger.valueOf(MIN_DELAY)).send();
        chain.anvil.advanceTime(MIN_DELAY + 1);

        ContractErrors.Decoded waiting = assertRevertsWith(web3j, EXECUTOR.getAddress(), timelock.getContractAddress(),
                timelock.execute(target, BigInteger.ZERO, then, firstId, thenSalt, BigInteger.ZERO).encodeFunctionCall(),
                "TimelockUnexecutedPredecessor(bytes32)");
        assertThat(waiting.arguments()).containsEntry("predecessorId", hex(firstId));
        as(EXECUTOR).execute(target, BigInteger.ZERO, first, NONE, firstSalt, BigInteger.ZERO).send();
        as(EXECUTOR).execute(target, BigInteger.ZERO, then, firstId, thenSalt, BigInteger.ZERO).send();
        assertThat(payout.balanceOf("0x00000000000000000000000000000000000fe002").send()).isEqualTo(BigInteger.ONE);
    }

    @Test
    void cancellersCancelPendingOperations() throws Exception {
        String target = payout.getContractAddress();
        byte[] data = mint(CAROL.getAddress(), 1);
        byte[] salt = salt();
        byte[] id = timelock.hashOperation(target, BigInteger.ZERO, data, NONE, salt).send();
        as(PROPOSER).schedule(target, BigInteger.ZERO, data, NONE, salt, BigInteger.valueOf(MIN_DELAY)).send();

        ContractErrors.Decoded notCanceller = assertRevertsWith(web3j, STRANGER.getAddress(),
                timelock.getContractAddress(), timelock.cancel(id).encodeFunctionCall(),
                "AccessControlUnauthorizedAccount(address,bytes32)");
        assertThat(notCanceller.arguments()).containsEntry("neededRole", hex(cancellerRole));
        TransactionReceipt cancelled = as(PROPOSER).cancel(id).send();
        assertThat(MeritTimelock.getCancelledEvents(cancelled).get(0).id).isEqualTo(id);
        assertThat(timelock.isOperation(id).send()).isFalse();
        ContractErrors.Decoded gone = assertRevertsWith(web3j, PROPOSER.getAddress(), timelock.getContractAddress(),
                timelock.cancel(id).encodeFunctionCall(), "TimelockUnexpectedOperationState(bytes32,bytes32)");
        assertThat(gone.arguments()).containsEntry("expectedStates", hex(Chain.bytes32((1L << 1) | (1L << 2))));
    }

    @Test
    void aCallThatFailsFailsTheExecution() throws Exception {
        String target = payout.getContractAddress();
        // No such function on the token: a revert without data.
        byte[] nonsense = Numeric.hexStringToByteArray("0xdeadbeef");
        // A function that reverts with its own error, which is passed on.
        byte[] toNobody = mint(ZERO, 1);
        byte[] salt = salt();
        as(PROPOSER).schedule(target, BigInteger.ZERO, nonsense, NONE, salt, BigInteger.valueOf(MIN_DELAY)).send();
        as(PROPOSER).schedule(target, BigInteger.ZERO, toNobody, NONE, salt, BigInteger.valueOf(MIN_DELAY)).send();
        chain.anvil.advanceTime(MIN_DELAY + 1);
        assertRevertsWith(web3j, EXECUTOR.getAddress(), timelock.getContractAddress(),
                timelock.execute(target, BigInteger.ZERO, nonsense, NONE, salt, BigInteger.ZERO).encodeFunctionCall(),
                "FailedCall()");
        assertRevertsWith(web3j, EXECUTOR.getAddress(), timelock.getContractAddress(),
                timelock.execute(target, BigInteger.ZERO, toNobody, NONE, salt, BigInteger.ZERO).encodeFunctionCall(),
                "ERC20InvalidReceiver(address)");
    }

    @Test
    void rolesAreGrantedRevokedAndRenounced() throws Exception {
        var granted = MeritTimelock.getRoleGrantedEvents(timelock.grantRole(proposerRole, CAROL.getAddress()).send()).get(0);
        assertThat(granted.role).isEqualTo(proposerRole);
        assertThat(granted.account).isEqualToIgnoringCase(CAROL.getAddress());
        assertThat(granted.sender).isEqualToIgnoringCase(ADMIN.getAddress());
        assertThat(timelock.hasRole(proposerRole, CAROL.getAddress()).send()).isTrue();
        var revoked = MeritTimelock.getRoleRevokedEvents(timelock.revokeRole(proposerRole, CAROL.getAddress()).send()).get(0);
        assertThat(revoked.account).isEqualToIgnoringCase(CAROL.getAddress());
        assertThat(revoked.sender).isEqualToIgnoringCase(ADMIN.getAddress());
        assertThat(timelock.hasRole(proposerRole, CAROL.getAddress()).send()).isFalse();

        ContractErrors.Decoded notAdmin = assertRevertsWith(web3j, STRANGER.getAddress(), timelock.getContractAddress(),
                timelock.grantRole(proposerRole, STRANGER.getAddress()).encodeFunctionCall(),
                "AccessControlUnauthorizedAccount(address,bytes32)");
        assertThat(notAdmin.arguments()).containsEntry("neededRole", hex(NONE));
        assertRevertsWith(web3j, STRANGER.getAddress(), timelock.getContractAddress(),
                timelock.revokeRole(proposerRole, PROPOSER.getAddress()).encodeFunctionCall(),
                "AccessControlUnauthorizedAccount(address,bytes32)");
        // One renounces only one's own role.
        timelock.grantRole(cancellerRole, CAROL.getAddress()).send();
        assertRevertsWith(web3j, ADMIN.getAddress(), timelock.getContractAddress(),
                timelock.renounceRole(cancellerRole, CAROL.getAddress()).encodeFunctionCall(), "AccessControlBadConfirmation()");
        var renounced = MeritTimelock.getRoleRevokedEvents(
                as(CAROL).renounceRole(cancellerRole, CAROL.getAddress()).send()).get(0);
        assertThat(renounced.sender).isEqualToIgnoringCase(CAROL.getAddress());
        assertThat(timelock.hasRole(cancellerRole, CAROL.getAddress()).send()).isFalse();
    }

    @Test
    void itHoldsAndPaysEtherAndAcceptsTokenCallbacks() throws Exception {
        BigInteger oneEther = BigInteger.TEN.pow(18);
        chain.send(CAROL, timelock.getContractAddress(), oneEther, "0x"); // its receive()
        assertThat(chain.balance(timelock.getContractAddress())).isEqualTo(oneEther);
        String payee = "0x00000000000000000000000000000000000e7e01";
        byte[] salt = salt();
        BigInteger half = oneEther.divide(BigInteger.TWO);
        as(PROPOSER).schedule(payee, half, new byte[0], NONE, salt, BigInteger.valueOf(MIN_DELAY)).send();
        chain.anvil.advanceTime(MIN_DELAY + 1);
        as(EXECUTOR).execute(payee, half, new byte[0], NONE, salt, BigInteger.ZERO).send();
        assertThat(chain.balance(payee)).isEqualTo(half);

        String from = CAROL.getAddress();
        assertThat(chain.call(from, timelock.getContractAddress(), timelock.onERC721Received(from, from,
                BigInteger.ONE, new byte[0]).encodeFunctionCall())).startsWith(Chain.selector(
                "onERC721Received(address,address,uint256,bytes)"));
        assertThat(chain.call(from, timelock.getContractAddress(), timelock.onERC1155Received(from, from,
                BigInteger.ONE, BigInteger.TEN, new byte[0]).encodeFunctionCall())).startsWith(Chain.selector(
                "onERC1155Received(address,address,uint256,uint256,bytes)"));
        assertThat(chain.call(from, timelock.getContractAddress(), timelock.onERC1155BatchReceived(from, from,
                List.of(BigInteger.ONE), List.of(BigInteger.TEN), new byte[0]).encodeFunctionCall())).startsWith(
                Chain.selector("onERC1155BatchReceived(address,address,uint256[],uint256[],bytes)"));
    }
}
