package dev.merit.contracts;

import dev.merit.governance.chain.AnvilNode;
import dev.merit.governance.chain.ContractErrors;
import dev.merit.governance.contracts.MeritToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

import java.math.BigInteger;

import static dev.merit.contracts.Chain.GAS;
import static dev.merit.contracts.Chain.ZERO;
import static dev.merit.contracts.Reverts.assertRevertsWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MeritToken, the governance token (ERC-20, ERC-2612 permit, ERC-5805 votes, Ownable), against anvil: each of its
 * functions and each error its functions can revert with. Every test deploys its own token.
 */
class MeritTokenTest {

    private static final Credentials OWNER = Chain.account(0);
    private static final Credentials ALICE = Chain.account(1);
    private static final Credentials BOB = Chain.account(2);
    private static final Credentials CAROL = Chain.account(3);
    private static final Credentials STRANGER = Chain.account(5);
    private static final BigInteger MAX_UINT = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);
    /** secp256k1's group order: a signature's s must be at most half of it (EIP-2). */
    private static final BigInteger SECP256K1_N =
            new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
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

    private static MeritToken deploy() throws Exception {
        return MeritToken.deploy(web3j, chain.tx(OWNER), GAS, "Merit Governance", "MGOV", OWNER.getAddress()).send();
    }

    private static MeritToken as(MeritToken token, Credentials who) {
        return MeritToken.load(token.getContractAddress(), web3j, chain.tx(who), GAS);
    }

    private static Credentials freshKey() throws Exception {
        return Credentials.create(Keys.createEcKeyPair());
    }

    @Test
    void describesItselfAndItsSigningDomain() throws Exception {
        MeritToken token = deploy();
        assertThat(token.name().send()).isEqualTo("Merit Governance");
        assertThat(token.symbol().send()).isEqualTo("MGOV");
        assertThat(token.decimals().send()).isEqualTo(BigInteger.valueOf(18));
        assertThat(token.totalSupply().send()).isZero();
        assertThat(token.owner().send()).isEqualToIgnoringCase(OWNER.getAddress());
        // Votes are counted in blocks.
        assertThat(token.clock().send()).isEqualTo(chain.blockNumber());
        assertThat(token.CLOCK_MODE().send()).isEqualTo("mode=blocknumber&from=default");
        // EIP-712 domain: the token's name, version "1", this chain and this contract.
        var domain = token.eip712Domain().send();
        assertThat(domain.component1()).isEqualTo(new byte[]{0x0f});
        assertThat(domain.component2()).isEqualTo("Merit Governance");
        assertThat(domain.component3()).isEqualTo("1");
        assertThat(domain.component4()).isEqualTo(BigInteger.valueOf(AnvilNode.CHAIN_ID));
        assertThat(domain.component5()).isEqualToIgnoringCase(token.getContractAddress());
        assertThat(domain.component6()).isEqualTo(new byte[32]);
        assertThat(domain.component7()).isEmpty();
        assertThat(token.DOMAIN_SEPARATOR().send()).isEqualTo(domainSeparator(token));
        assertThat(token.nonces(ALICE.getAddress()).send()).isZero();
    }

    @Test
    void theOwnerMintsAndNoOneElse() throws Exception {
        MeritToken token = deploy();
        TransactionReceipt minted = token.mint(ALICE.getAddress(), BigInteger.valueOf(100)).send();
        var transfer = MeritToken.getTransferEvents(minted).get(0);
        assertThat(transfer.from).isEqualTo(ZERO);
        assertThat(transfer.to).isEqualToIgnoringCase(ALICE.getAddress());
        assertThat(transfer.value).isEqualTo(BigInteger.valueOf(100));
        assertThat(token.totalSupply().send()).isEqualTo(BigInteger.valueOf(100));
        assertThat(token.balanceOf(ALICE.getAddress()).send()).isEqualTo(BigInteger.valueOf(100));
        // Tokens are not votes until delegated.
        assertThat(token.getVotes(ALICE.getAddress()).send()).isZero();

        ContractErrors.Decoded notOwner = assertRevertsWith(web3j, STRANGER.getAddress(), token.getContractAddress(),
                token.mint(STRANGER.getAddress(), BigInteger.ONE).encodeFunctionCall(), "OwnableUnauthorizedAccount(address)");
        assertThat((String) notOwner.arguments().get("account")).isEqualToIgnoringCase(STRANGER.getAddress());
        assertThat(notOwner.words()).contains("only the contract's owner may");
        assertRevertsWith(web3j, OWNER.getAddress(), token.getContractAddress(),
                token.mint(ZERO, BigInteger.ONE).encodeFunctionCall(), "ERC20InvalidReceiver(address)");
        // Votes are checkpointed in 208 bits: the supply may not pass 2^208 - 1.
        BigInteger cap = BigInteger.TWO.pow(208).subtract(BigInteger.ONE);
        ContractErrors.Decoded tooMuch = assertRevertsWith(web3j, OWNER.getAddress(), token.getContractAddress(),
                token.mint(BOB.getAddress(), cap.subtract(BigInteger.valueOf(99))).encodeFunctionCall(),
                "ERC20ExceededSafeSupply(uint256,uint256)");
        assertThat(tooMuch.arguments()).containsEntry("increasedSupply", cap.add(BigInteger.ONE)).containsEntry("cap", cap);
        token.mint(BOB.getAddress(), cap.subtract(BigInteger.valueOf(100))).send();
        assertThat(token.totalSupply().send()).isEqualTo(cap);
    }

    @Test
    void transfersMoveBalances() throws Exception {
        MeritToken token = deploy();
        token.mint(ALICE.getAddress(), BigInteger.valueOf(100)).send();
        TransactionReceipt sent = as(token, ALICE).transfer(BOB.getAddress(), BigInteger.valueOf(30)).send();
        var transfer = MeritToken.getTransferEvents(sent).get(0);
        assertThat(transfer.from).isEqualToIgnoringCase(ALICE.getAddress());
        assertThat(transfer.to).isEqualToIgnoringCase(BOB.getAddress());
        assertThat(transfer.value).isEqualTo(BigInteger.valueOf(30));
        assertThat(token.balanceOf(ALICE.getAddress()).send()).isEqualTo(BigInteger.valueOf(70));
        assertThat(token.balanceOf(BOB.getAddress()).send()).isEqualTo(BigInteger.valueOf(30));
        assertThat(token.totalSupply().send()).isEqualTo(BigInteger.valueOf(100));

        ContractErrors.Decoded poor = assertRevertsWith(web3j, ALICE.getAddress(), token.getContractAddress(),
                token.transfer(BOB.getAddress(), BigInteger.valueOf(71)).encodeFunctionCall(),
                "ERC20InsufficientBalance(address,uint256,uint256)");
        assertThat(poor.arguments()).containsEntry("balance", BigInteger.valueOf(70))
                .containsEntry("needed", BigInteger.valueOf(71));
        assertRevertsWith(web3j, ALICE.getAddress(), token.getContractAddress(),
                token.transfer(ZERO, BigInteger.ONE).encodeFunctionCall(), "ERC20InvalidReceiver(address)");
        // No transaction comes from the zero address; a simulation can, and is refused.
        assertRevertsWith(web3j, ZERO, token.getContractAddress(),
                token.transfer(BOB.getAddress(), BigInteger.ZERO).encodeFunctionCall(), "ERC20InvalidSender(address)");
    }

    @Test
    void allowancesLetAnotherAccountSpend() throws Exception {
        MeritToken token = deploy();
        token.mint(ALICE.getAddress(), BigInteger.valueOf(100)).send();
        var approval = MeritToken.getApprovalEvents(
                as(token, ALICE).approve(BOB.getAddress(), BigInteger.valueOf(40)).send()).get(0);
        assertThat(approval.owner).isEqualToIgnoringCase(ALICE.getAddress());
        assertThat(approval.spender).isEqualToIgnoringCase(BOB.getAddress());
        assertThat(approval.value).isEqualTo(BigInteger.valueOf(40));
        assertThat(token.allowance(ALICE.getAddress(), BOB.getAddress()).send()).isEqualTo(BigInteger.valueOf(40));

        var moved = MeritToken.getTransferEvents(as(token, BOB).transferFrom(ALICE.getAddress(), CAROL.getAddress(),
                BigInteger.valueOf(15)).send()).get(0);
        assertThat(moved.from).isEqualToIgnoringCase(ALICE.getAddress());
        assertThat(moved.to).isEqualToIgnoringCase(CAROL.getAddress());
        assertThat(token.balanceOf(CAROL.getAddress()).send()).isEqualTo(BigInteger.valueOf(15));
        assertThat(token.allowance(ALICE.getAddress(), BOB.getAddress()).send()).isEqualTo(BigInteger.valueOf(25));

        ContractErrors.Decoded short_ = assertRevertsWith(web3j, BOB.getAddress(), token.getContractAddress(),
                token.transferFrom(ALICE.getAddress(), CAROL.getAddress(), BigInteger.valueOf(26)).encodeFunctionCall(),
                "ERC20InsufficientAllowance(address,uint256,uint256)");
        assertThat(short_.arguments()).containsEntry("allowance", BigInteger.valueOf(25));
        assertRevertsWith(web3j, ALICE.getAddress(), token.getContractAddress(),
                token.approve(ZERO, BigInteger.ONE).encodeFunctionCall(), "ERC20InvalidSpender(address)");
        // Spending the zero address's (empty) allowance writes an approval for the zero address: refused.
        assertRevertsWith(web3j, BOB.getAddress(), token.getContractAddress(),
                token.transferFrom(ZERO, CAROL.getAddress(), BigInteger.ZERO).encodeFunctionCall(),
                "ERC20InvalidApprover(address)");

        // An unlimited allowance is not spent down.
        as(token, ALICE).approve(BOB.getAddress(), MAX_UINT).send();
        as(token, BOB).transferFrom(ALICE.getAddress(), CAROL.getAddress(), BigInteger.valueOf(5)).send();
        assertThat(token.allowance(ALICE.getAddress(), BOB.getAddress()).send()).isEqualTo(MAX_UINT);
    }

    @Test
    void permitSetsAnAllowanceFromASignatureAnyoneSubmits() throws Exception {
        MeritToken token = deploy();
        Credentials holder = freshKey(); // holds tokens, never sends a transaction
        token.mint(holder.getAddress(), BigInteger.valueOf(100)).send();
        BigInteger deadline = chain.timestamp().add(BigInteger.valueOf(3600));
        Sign.SignatureData sig = permit(token, holder, BOB.getAddress(), BigInteger.valueOf(50), BigInteger.ZERO, deadline);

        TransactionReceipt permitted = as(token, STRANGER).permit(holder.getAddress(), BOB.getAddress(),
                BigInteger.valueOf(50), deadline, v(sig), sig.getR(), sig.getS()).send();
        assertThat(MeritToken.getApprovalEvents(permitted).get(0).value).isEqualTo(BigInteger.valueOf(50));
        assertThat(token.allowance(holder.getAddress(), BOB.getAddress()).send()).isEqualTo(BigInteger.valueOf(50));
        assertThat(token.nonces(holder.getAddress()).send()).isEqualTo(BigInteger.ONE);

        // Replayed: the nonce moved on, so the signature now recovers to someone else.
        assertRevertsWith(web3j, STRANGER.getAddress(), token.getContractAddress(),
                token.permit(holder.getAddress(), BOB.getAddress(), BigInteger.valueOf(50), deadline, v(sig),
                        sig.getR(), sig.getS()).encodeFunctionCall(), "ERC2612InvalidSigner(address,address)");
        // Signed by another key than the holder's.
        Sign.SignatureData forged = permit(token, STRANGER, holder.getAddress(), BOB.getAddress(), BigInteger.TEN,
                BigInteger.ONE, deadline);
        ContractErrors.Decoded wrongSigner = assertRevertsWith(web3j, STRANGER.getAddress(), token.getContractAddress(),
                token.permit(holder.getAddress(), BOB.getAddress(), BigInteger.TEN, deadline, v(forged),
                        forged.getR(), forged.getS()).encodeFunctionCall(), "ERC2612InvalidSigner(address,address)");
        assertThat((String) wrongSigner.arguments().get("signer")).isEqualToIgnoringCase(STRANGER.getAddress());
        assertThat((String) wrongSigner.arguments().get("owner")).isEqualToIgnoringCase(holder.getAddress());
        // Too late.
        BigInteger past = chain.timestamp().subtract(BigInteger.ONE);
        Sign.SignatureData late = permit(token, holder, BOB.getAddress(), BigInteger.TEN, BigInteger.ONE, past);
        assertRevertsWith(web3j, STRANGER.getAddress(), token.getContractAddress(),
                token.permit(holder.getAddress(), BOB.getAddress(), BigInteger.TEN, past, v(late), late.getR(),
                        late.getS()).encodeFunctionCall(), "ERC2612ExpiredSignature(uint256)");
        // Not a signature at all (v must be 27 or 28), and a malleable one (s in the upper half).
        Sign.SignatureData next = permit(token, holder, BOB.getAddress(), BigInteger.TEN, BigInteger.ONE, deadline);
        assertRevertsWith(web3j, STRANGER.getAddress(), token.getContractAddress(),
                token.permit(holder.getAddress(), BOB.getAddress(), BigInteger.TEN, deadline, BigInteger.ZERO,
                        next.getR(), next.getS()).encodeFunctionCall(), "ECDSAInvalidSignature()");
        byte[] highS = Numeric.toBytesPadded(SECP256K1_N.subtract(Numeric.toBigInt(next.getS())), 32);
        assertRevertsWith(web3j, STRANGER.getAddress(), token.getContractAddress(),
                token.permit(holder.getAddress(), BOB.getAddress(), BigInteger.TEN, deadline,
                        BigInteger.valueOf(55).subtract(v(next)), next.getR(), highS).encodeFunctionCall(),
                "ECDSAInvalidSignatureS(bytes32)");
    }

    @Test
    void votesFollowDelegationAndAreCheckpointedPerBlock() throws Exception {
        MeritToken token = deploy();
        token.mint(ALICE.getAddress(), BigInteger.valueOf(100)).send();
        token.mint(BOB.getAddress(), BigInteger.valueOf(50)).send();
        assertThat(token.delegates(ALICE.getAddress()).send()).isEqualTo(ZERO);

        TransactionReceipt delegated = as(token, ALICE).delegate(ALICE.getAddress()).send();
        var changed = MeritToken.getDelegateChangedEvents(delegated).get(0);
        assertThat(changed.delegator).isEqualToIgnoringCase(ALICE.getAddress());
        assertThat(changed.fromDelegate).isEqualTo(ZERO);
        assertThat(changed.toDelegate).isEqualToIgnoringCase(ALICE.getAddress());
        var votesChanged = MeritToken.getDelegateVotesChangedEvents(delegated).get(0);
        assertThat(votesChanged.delegate).isEqualToIgnoringCase(ALICE.getAddress());
        assertThat(votesChanged.previousVotes).isZero();
        assertThat(votesChanged.newVotes).isEqualTo(BigInteger.valueOf(100));
        BigInteger firstBlock = delegated.getBlockNumber();
        assertThat(token.delegates(ALICE.getAddress()).send()).isEqualToIgnoringCase(ALICE.getAddress());
        assertThat(token.getVotes(ALICE.getAddress()).send()).isEqualTo(BigInteger.valueOf(100));
        assertThat(token.numCheckpoints(ALICE.getAddress()).send()).isEqualTo(BigInteger.ONE);
        MeritToken.Checkpoint208 checkpoint = token.checkpoints(ALICE.getAddress(), BigInteger.ZERO).send();
        assertThat(checkpoint._key).isEqualTo(firstBlock);
        assertThat(checkpoint._value).isEqualTo(BigInteger.valueOf(100));

        // Bob lends Alice his votes; then Alice gives Carol 20 tokens (Carol has not delegated: no one gains votes).
        as(token, BOB).delegate(ALICE.getAddress()).send();
        as(token, ALICE).transfer(CAROL.getAddress(), BigInteger.valueOf(20)).send();
        assertThat(token.getVotes(ALICE.getAddress()).send()).isEqualTo(BigInteger.valueOf(130));
        assertThat(token.getVotes(CAROL.getAddress()).send()).isZero();
        assertThat(token.numCheckpoints(ALICE.getAddress()).send()).isEqualTo(BigInteger.valueOf(3));
        chain.anvil.mine(1);
        assertThat(token.getPastVotes(ALICE.getAddress(), firstBlock).send()).isEqualTo(BigInteger.valueOf(100));
        assertThat(token.getPastVotes(ALICE.getAddress(), firstBlock.subtract(BigInteger.ONE)).send()).isZero();
        assertThat(token.getPastTotalSupply(firstBlock).send()).isEqualTo(BigInteger.valueOf(150));

        // Only the past can be looked up.
        BigInteger future = token.clock().send().add(BigInteger.TEN);
        ContractErrors.Decoded lookup = assertRevertsWith(web3j, ALICE.getAddress(), token.getContractAddress(),
                token.getPastVotes(ALICE.getAddress(), future).encodeFunctionCall(), "ERC5805FutureLookup(uint256,uint48)");
        assertThat(lookup.arguments()).containsEntry("timepoint", future);
        assertRevertsWith(web3j, ALICE.getAddress(), token.getContractAddress(),
                token.getPastTotalSupply(future).encodeFunctionCall(), "ERC5805FutureLookup(uint256,uint48)");
    }

    @Test
    void delegateBySigDelegatesForTheSignerOnce() throws Exception {
        MeritToken token = deploy();
        Credentials holder = freshKey();
        token.mint(holder.getAddress(), BigInteger.valueOf(10)).send();
        BigInteger expiry = chain.timestamp().add(BigInteger.valueOf(3600));
        Sign.SignatureData sig = delegation(token, holder, CAROL.getAddress(), BigInteger.ZERO, expiry);

        TransactionReceipt delegated = as(token, STRANGER).delegateBySig(CAROL.getAddress(), BigInteger.ZERO, expiry,
                v(sig), sig.getR(), sig.getS()).send();
        var changed = MeritToken.getDelegateChangedEvents(delegated).get(0);
        assertThat(changed.delegator).isEqualToIgnoringCase(holder.getAddress());
        assertThat(changed.toDelegate).isEqualToIgnoringCase(CAROL.getAddress());
        assertThat(token.getVotes(CAROL.getAddress()).send()).isEqualTo(BigInteger.TEN);
        assertThat(token.nonces(holder.getAddress()).send()).isEqualTo(BigInteger.ONE);

        ContractErrors.Decoded replay = assertRevertsWith(web3j, STRANGER.getAddress(), token.getContractAddress(),
                token.delegateBySig(CAROL.getAddress(), BigInteger.ZERO, expiry, v(sig), sig.getR(), sig.getS())
                        .encodeFunctionCall(), "InvalidAccountNonce(address,uint256)");
        assertThat(replay.arguments()).containsEntry("currentNonce", BigInteger.ONE);
        BigInteger past = chain.timestamp().subtract(BigInteger.ONE);
        Sign.SignatureData late = delegation(token, holder, BOB.getAddress(), BigInteger.ONE, past);
        assertRevertsWith(web3j, STRANGER.getAddress(), token.getContractAddress(),
                token.delegateBySig(BOB.getAddress(), BigInteger.ONE, past, v(late), late.getR(), late.getS())
                        .encodeFunctionCall(), "VotesExpiredSignature(uint256)");
    }

    @Test
    void ownershipMovesOrEnds() throws Exception {
        MeritToken token = deploy();
        var moved = MeritToken.getOwnershipTransferredEvents(token.transferOwnership(ALICE.getAddress()).send()).get(0);
        assertThat(moved.previousOwner).isEqualToIgnoringCase(OWNER.getAddress());
        assertThat(moved.newOwner).isEqualToIgnoringCase(ALICE.getAddress());
        assertThat(token.owner().send()).isEqualToIgnoringCase(ALICE.getAddress());
        assertRevertsWith(web3j, OWNER.getAddress(), token.getContractAddress(),
                token.mint(OWNER.getAddress(), BigInteger.ONE).encodeFunctionCall(), "OwnableUnauthorizedAccount(address)");
        assertRevertsWith(web3j, OWNER.getAddress(), token.getContractAddress(),
                token.transferOwnership(OWNER.getAddress()).encodeFunctionCall(), "OwnableUnauthorizedAccount(address)");
        as(token, ALICE).mint(BOB.getAddress(), BigInteger.ONE).send();
        assertThat(token.balanceOf(BOB.getAddress()).send()).isEqualTo(BigInteger.ONE);
        assertRevertsWith(web3j, ALICE.getAddress(), token.getContractAddress(),
                token.transferOwnership(ZERO).encodeFunctionCall(), "OwnableInvalidOwner(address)");

        var renounced = MeritToken.getOwnershipTransferredEvents(as(token, ALICE).renounceOwnership().send()).get(0);
        assertThat(renounced.newOwner).isEqualTo(ZERO);
        assertThat(token.owner().send()).isEqualTo(ZERO);
        assertRevertsWith(web3j, ALICE.getAddress(), token.getContractAddress(),
                token.mint(ALICE.getAddress(), BigInteger.ONE).encodeFunctionCall(), "OwnableUnauthorizedAccount(address)");
        // A token without an owner cannot be deployed.
        assertRevertsWith(web3j, OWNER.getAddress(), null, Chain.creation(MeritToken.BINARY,
                new Utf8String("Merit Governance"), new Utf8String("MGOV"), new Address(ZERO)), "OwnableInvalidOwner(address)");
    }

    private static byte[] domainSeparator(MeritToken token) {
        return org.web3j.crypto.Hash.sha3(Chain.abiEncode(
                new Bytes32(Chain.keccak("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")),
                new Bytes32(Chain.keccak("Merit Governance")), new Bytes32(Chain.keccak("1")),
                new Uint256(AnvilNode.CHAIN_ID), new Address(token.getContractAddress())));
    }

    private static Sign.SignatureData permit(MeritToken token, Credentials signer, String spender, BigInteger value,
                                             BigInteger nonce, BigInteger deadline) {
        return permit(token, signer, signer.getAddress(), spender, value, nonce, deadline);
    }

    /** A Permit of {@code owner}'s tokens, signed by {@code signer} (the owner, or an impostor). */
    private static Sign.SignatureData permit(MeritToken token, Credentials signer, String owner, String spender,
                                             BigInteger value, BigInteger nonce, BigInteger deadline) {
        byte[] struct = org.web3j.crypto.Hash.sha3(Chain.abiEncode(
                new Bytes32(Chain.keccak("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)")),
                new Address(owner), new Address(spender), new Uint256(value), new Uint256(nonce),
                new Uint256(deadline)));
        return Chain.sign(Chain.typedDataDigest(domainSeparator(token), struct), signer);
    }

    private static Sign.SignatureData delegation(MeritToken token, Credentials signer, String delegatee,
                                                 BigInteger nonce, BigInteger expiry) {
        byte[] struct = org.web3j.crypto.Hash.sha3(Chain.abiEncode(
                new Bytes32(Chain.keccak("Delegation(address delegatee,uint256 nonce,uint256 expiry)")),
                new Address(delegatee), new Uint256(nonce), new Uint256(expiry)));
        return Chain.sign(Chain.typedDataDigest(domainSeparator(token), struct), signer);
    }

    private static BigInteger v(Sign.SignatureData sig) {
        return BigInteger.valueOf(sig.getV()[0] & 0xff);
    }
}
