package dev.merit.contracts;

import dev.merit.governance.chain.ContractErrors;
import dev.merit.governance.contracts.PayoutToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

import java.math.BigInteger;

import static dev.merit.contracts.Chain.GAS;
import static dev.merit.contracts.Chain.ZERO;
import static dev.merit.contracts.Reverts.assertRevertsWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PayoutToken, the plain mintable ERC-20 of local chains (Ownable, decimals chosen at deployment), against anvil:
 * each of its functions and each error its functions can revert with. Every test deploys its own token.
 */
class PayoutTokenTest {

    private static final Credentials OWNER = Chain.account(0);
    private static final Credentials ALICE = Chain.account(1);
    private static final Credentials BOB = Chain.account(2);
    private static final Credentials CAROL = Chain.account(3);
    private static final Credentials STRANGER = Chain.account(5);
    private static Chain chain;
    private static Web3j web3j;

    @BeforeAll
    static void start() {
        chain = Chain.start();
        web3j = chain.web3j;
    }

    @AfterAll
    static void stop() {
        chain.close();
    }

    private static PayoutToken deploy(int decimals) throws Exception {
        return PayoutToken.deploy(web3j, chain.tx(OWNER), GAS, "Merit Payout", "MPAY", BigInteger.valueOf(decimals),
                OWNER.getAddress()).send();
    }

    private static PayoutToken as(PayoutToken token, Credentials who) {
        return PayoutToken.load(token.getContractAddress(), web3j, chain.tx(who), GAS);
    }

    @Test
    void describesItselfWithTheDecimalsItWasGiven() throws Exception {
        PayoutToken usdcLike = deploy(6);
        assertThat(usdcLike.name().send()).isEqualTo("Merit Payout");
        assertThat(usdcLike.symbol().send()).isEqualTo("MPAY");
        assertThat(usdcLike.decimals().send()).isEqualTo(BigInteger.valueOf(6));
        assertThat(usdcLike.totalSupply().send()).isZero();
        assertThat(usdcLike.owner().send()).isEqualToIgnoringCase(OWNER.getAddress());
        assertThat(deploy(18).decimals().send()).isEqualTo(BigInteger.valueOf(18));
        assertThat(deploy(0).decimals().send()).isZero();
    }

    @Test
    void theOwnerMintsAndNoOneElse() throws Exception {
        PayoutToken token = deploy(6);
        TransactionReceipt minted = token.mint(ALICE.getAddress(), BigInteger.valueOf(1_000_000)).send();
        var transfer = PayoutToken.getTransferEvents(minted).get(0);
        assertThat(transfer.from).isEqualTo(ZERO);
        assertThat(transfer.to).isEqualToIgnoringCase(ALICE.getAddress());
        assertThat(transfer.value).isEqualTo(BigInteger.valueOf(1_000_000));
        assertThat(token.balanceOf(ALICE.getAddress()).send()).isEqualTo(BigInteger.valueOf(1_000_000));
        assertThat(token.totalSupply().send()).isEqualTo(BigInteger.valueOf(1_000_000));

        ContractErrors.Decoded notOwner = assertRevertsWith(web3j, STRANGER.getAddress(), token.getContractAddress(),
                token.mint(STRANGER.getAddress(), BigInteger.ONE).encodeFunctionCall(), "OwnableUnauthorizedAccount(address)");
        assertThat((String) notOwner.arguments().get("account")).isEqualToIgnoringCase(STRANGER.getAddress());
        assertRevertsWith(web3j, OWNER.getAddress(), token.getContractAddress(),
                token.mint(ZERO, BigInteger.ONE).encodeFunctionCall(), "ERC20InvalidReceiver(address)");
    }

    @Test
    void transfersMoveBalances() throws Exception {
        PayoutToken token = deploy(6);
        token.mint(ALICE.getAddress(), BigInteger.valueOf(100)).send();
        var transfer = PayoutToken.getTransferEvents(
                as(token, ALICE).transfer(BOB.getAddress(), BigInteger.valueOf(30)).send()).get(0);
        assertThat(transfer.from).isEqualToIgnoringCase(ALICE.getAddress());
        assertThat(transfer.to).isEqualToIgnoringCase(BOB.getAddress());
        assertThat(token.balanceOf(ALICE.getAddress()).send()).isEqualTo(BigInteger.valueOf(70));
        assertThat(token.balanceOf(BOB.getAddress()).send()).isEqualTo(BigInteger.valueOf(30));

        ContractErrors.Decoded poor = assertRevertsWith(web3j, ALICE.getAddress(), token.getContractAddress(),
                token.transfer(BOB.getAddress(), BigInteger.valueOf(71)).encodeFunctionCall(),
                "ERC20InsufficientBalance(address,uint256,uint256)");
        assertThat(poor.arguments()).containsEntry("balance", BigInteger.valueOf(70));
        assertRevertsWith(web3j, ALICE.getAddress(), token.getContractAddress(),
                token.transfer(ZERO, BigInteger.ONE).encodeFunctionCall(), "ERC20InvalidReceiver(address)");
        // No transaction comes from the zero address; a simulation can, and is refused.
        assertRevertsWith(web3j, ZERO, token.getContractAddress(),
                token.transfer(BOB.getAddress(), BigInteger.ZERO).encodeFunctionCall(), "ERC20InvalidSender(address)");
    }

    @Test
    void allowancesLetAnotherAccountSpend() throws Exception {
        PayoutToken token = deploy(6);
        token.mint(ALICE.getAddress(), BigInteger.valueOf(100)).send();
        var approval = PayoutToken.getApprovalEvents(
                as(token, ALICE).approve(BOB.getAddress(), BigInteger.valueOf(40)).send()).get(0);
        assertThat(approval.owner).isEqualToIgnoringCase(ALICE.getAddress());
        assertThat(approval.spender).isEqualToIgnoringCase(BOB.getAddress());
        assertThat(approval.value).isEqualTo(BigInteger.valueOf(40));
        assertThat(token.allowance(ALICE.getAddress(), BOB.getAddress()).send()).isEqualTo(BigInteger.valueOf(40));
        as(token, BOB).transferFrom(ALICE.getAddress(), CAROL.getAddress(), BigInteger.valueOf(15)).send();
        assertThat(token.balanceOf(CAROL.getAddress()).send()).isEqualTo(BigInteger.valueOf(15));
        assertThat(token.allowance(ALICE.getAddress(), BOB.getAddress()).send()).isEqualTo(BigInteger.valueOf(25));

        assertRevertsWith(web3j, BOB.getAddress(), token.getContractAddress(),
                token.transferFrom(ALICE.getAddress(), CAROL.getAddress(), BigInteger.valueOf(26)).encodeFunctionCall(),
                "ERC20InsufficientAllowance(address,uint256,uint256)");
        assertRevertsWith(web3j, ALICE.getAddress(), token.getContractAddress(),
                token.approve(ZERO, BigInteger.ONE).encodeFunctionCall(), "ERC20InvalidSpender(address)");
        assertRevertsWith(web3j, BOB.getAddress(), token.getContractAddress(),
                token.transferFrom(ZERO, CAROL.getAddress(), BigInteger.ZERO).encodeFunctionCall(),
                "ERC20InvalidApprover(address)");
    }

    @Test
    void ownershipMovesOrEnds() throws Exception {
        PayoutToken token = deploy(6);
        var moved = PayoutToken.getOwnershipTransferredEvents(token.transferOwnership(ALICE.getAddress()).send()).get(0);
        assertThat(moved.previousOwner).isEqualToIgnoringCase(OWNER.getAddress());
        assertThat(moved.newOwner).isEqualToIgnoringCase(ALICE.getAddress());
        assertRevertsWith(web3j, OWNER.getAddress(), token.getContractAddress(),
                token.mint(OWNER.getAddress(), BigInteger.ONE).encodeFunctionCall(), "OwnableUnauthorizedAccount(address)");
        as(token, ALICE).mint(BOB.getAddress(), BigInteger.ONE).send();
        assertThat(token.balanceOf(BOB.getAddress()).send()).isEqualTo(BigInteger.ONE);
        assertRevertsWith(web3j, ALICE.getAddress(), token.getContractAddress(),
                token.transferOwnership(ZERO).encodeFunctionCall(), "OwnableInvalidOwner(address)");
        as(token, ALICE).renounceOwnership().send();
        assertThat(token.owner().send()).isEqualTo(ZERO);
        assertRevertsWith(web3j, ALICE.getAddress(), token.getContractAddress(),
                token.mint(ALICE.getAddress(), BigInteger.ONE).encodeFunctionCall(), "OwnableUnauthorizedAccount(address)");
        assertRevertsWith(web3j, OWNER.getAddress(), null, Chain.creation(PayoutToken.BINARY, new Utf8String("Merit Payout"),
                new Utf8String("MPAY"), new Uint8(6), new Address(ZERO)), "OwnableInvalidOwner(address)");
    }
}
