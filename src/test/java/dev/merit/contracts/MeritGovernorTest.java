package dev.merit.contracts;

import dev.merit.governance.Ballot;
import dev.merit.governance.chain.AnvilNode;
import dev.merit.governance.chain.ContractErrors;
import dev.merit.governance.chain.DaoContracts;
import dev.merit.governance.chain.Deployment;
import dev.merit.governance.contracts.MeritGovernor;
import dev.merit.governance.contracts.MeritTimelock;
import dev.merit.governance.contracts.MeritToken;
import dev.merit.governance.contracts.PayoutToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint48;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.merit.contracts.Chain.GAS;
import static dev.merit.contracts.Chain.ZERO;
import static dev.merit.contracts.Reverts.assertRevertsWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MeritGovernor against anvil, in the DAO as {@link Deployment} wires it (three members with 100 votes each, voting
 * delay 1 block, voting period 20 blocks, quorum 4%, a 60-second timelock that owns the governance token): each of
 * its functions, the events of a proposal's life, and each error its functions can revert with.
 */
class MeritGovernorTest {

    private static final Credentials OWNER = Chain.account(0);
    private static final List<Credentials> MEMBERS = List.of(Chain.account(1), Chain.account(2), Chain.account(3));
    private static final Credentials STRANGER = Chain.account(5);
    private static final Deployment.Settings SETTINGS = Deployment.Settings.local();
    private static final BigInteger VOTES = SETTINGS.votesPerMember();
    private static final BigInteger PENDING = BigInteger.ZERO;
    private static final BigInteger ACTIVE = BigInteger.ONE;
    private static final BigInteger CANCELED = BigInteger.TWO;
    private static final BigInteger DEFEATED = BigInteger.valueOf(3);
    private static final BigInteger SUCCEEDED = BigInteger.valueOf(4);
    private static final BigInteger QUEUED = BigInteger.valueOf(5);
    private static final BigInteger EXECUTED = BigInteger.valueOf(7);
    private static final AtomicInteger PROPOSALS = new AtomicInteger();
    private static Chain chain;
    private static Web3j web3j;
    private static DaoContracts dao;
    private static MeritGovernor governor;
    private static MeritToken token;

    /** A governor proposal: calls for the timelock to make, and the description that names it. */
    private record Proposal(List<String> targets, List<BigInteger> values, List<byte[]> calldatas, String description) {
        static Proposal of(String target, String calldata, String what) {
            return of(List.of(target), List.of(calldata), what);
        }

        static Proposal of(List<String> targets, List<String> calldatas, String what) {
            return new Proposal(targets, targets.stream().map(t -> BigInteger.ZERO).toList(),
                    calldatas.stream().map(Numeric::hexStringToByteArray).toList(),
                    "Proposal " + PROPOSALS.incrementAndGet() + ": " + what);
        }

        byte[] descriptionHash() {
            return Hash.sha3(description.getBytes(StandardCharsets.UTF_8));
        }
    }

    @BeforeAll
    static void deploy() throws Exception {
        chain = Chain.start();
        web3j = chain.web3j;
        dao = Deployment.deploy(web3j, AnvilNode.CHAIN_ID, OWNER, MEMBERS, SETTINGS);
        governor = as(dao, OWNER);
        token = MeritToken.load(dao.governanceToken(), web3j, chain.tx(OWNER), GAS);
    }

    @AfterAll
    static void stop() {
        chain.close();
    }

    private static MeritGovernor as(DaoContracts d, Credentials who) {
        return MeritGovernor.load(d.governor(), web3j, chain.tx(who), GAS);
    }

    /** A proposal that has the timelock mint governance tokens (the timelock owns the token). */
    private static Proposal grant(String to, long tokens, String why) {
        return Proposal.of(dao.governanceToken(),
                token.mint(to, BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(tokens))).encodeFunctionCall(), why);
    }

    private static BigInteger propose(DaoContracts d, Proposal p, Credentials who) throws Exception {
        TransactionReceipt receipt = as(d, who).propose(p.targets(), p.values(), p.calldatas(), p.description()).send();
        return MeritGovernor.getProposalCreatedEvents(receipt).get(0).proposalId;
    }

    private static void startVoting(DaoContracts d) throws Exception {
        chain.anvil.mine(as(d, OWNER).votingDelay().send().longValueExact() + 1);
    }

    private static void endVoting(DaoContracts d) throws Exception {
        chain.anvil.mine(as(d, OWNER).votingPeriod().send().longValueExact() + 1);
    }

    /** Proposes each by the first member, two members vote for, queues them and waits out the timelock. */
    private static List<BigInteger> passAndQueue(DaoContracts d, List<Proposal> proposals) throws Exception {
        List<BigInteger> ids = new ArrayList<>();
        for (Proposal p : proposals) {
            ids.add(propose(d, p, MEMBERS.get(0)));
        }
        startVoting(d);
        for (BigInteger id : ids) {
            as(d, MEMBERS.get(0)).castVote(id, BigInteger.valueOf(Ballot.FOR)).send();
            as(d, MEMBERS.get(1)).castVote(id, BigInteger.valueOf(Ballot.FOR)).send();
        }
        endVoting(d);
        for (Proposal p : proposals) {
            as(d, OWNER).queue(p.targets(), p.values(), p.calldatas(), p.descriptionHash()).send();
        }
        chain.anvil.advanceTime(SETTINGS.timelockDelaySeconds() + 1);
        return ids;
    }

    private static String execute(Proposal p) {
        return governor.execute(p.targets(), p.values(), p.calldatas(), p.descriptionHash(), BigInteger.ZERO)
                .encodeFunctionCall();
    }

    private static String hex(long stateBitmap) {
        return Numeric.toHexString(Chain.bytes32(stateBitmap));
    }

    private static byte[] domainSeparator(String governorAddress) {
        return Hash.sha3(Chain.abiEncode(
                new Bytes32(Chain.keccak("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")),
                new Bytes32(Chain.keccak("MeritGovernor")), new Bytes32(Chain.keccak("1")),
                new Uint256(AnvilNode.CHAIN_ID), new Address(governorAddress)));
    }

    @Test
    void describesItsRulesAndWiring() throws Exception {
        assertThat(governor.name().send()).isEqualTo("MeritGovernor");
        assertThat(governor.version().send()).isEqualTo("1");
        assertThat(governor.COUNTING_MODE().send()).isEqualTo("support=bravo&quorum=for,abstain");
        assertThat(governor.BALLOT_TYPEHASH().send())
                .isEqualTo(Chain.keccak("Ballot(uint256 proposalId,uint8 support,address voter,uint256 nonce)"));
        assertThat(governor.EXTENDED_BALLOT_TYPEHASH().send()).isEqualTo(Chain.keccak(
                "ExtendedBallot(uint256 proposalId,uint8 support,address voter,uint256 nonce,string reason,bytes params)"));
        assertThat(governor.token().send()).isEqualToIgnoringCase(dao.governanceToken());
        assertThat(governor.timelock().send()).isEqualToIgnoringCase(dao.timelock());
        assertThat(governor.clock().send()).isEqualTo(chain.blockNumber());
        assertThat(governor.CLOCK_MODE().send()).isEqualTo("mode=blocknumber&from=default");
        assertThat(governor.votingDelay().send()).isEqualTo(BigInteger.valueOf(SETTINGS.votingDelayBlocks()));
        assertThat(governor.votingPeriod().send()).isEqualTo(BigInteger.valueOf(SETTINGS.votingPeriodBlocks()));
        assertThat(governor.proposalThreshold().send()).isZero();
        assertThat(governor.proposalNeedsQueuing(BigInteger.ONE).send()).isTrue();

        chain.anvil.mine(1);
        BigInteger past = governor.clock().send().subtract(BigInteger.ONE);
        assertThat(governor.quorumNumerator().send()).isEqualTo(BigInteger.valueOf(SETTINGS.quorumPercent()));
        assertThat(governor.quorumNumerator(past).send()).isEqualTo(BigInteger.valueOf(SETTINGS.quorumPercent()));
        assertThat(governor.quorumDenominator().send()).isEqualTo(BigInteger.valueOf(100));
        assertThat(governor.quorum(past).send()).isEqualTo(token.getPastTotalSupply(past).send()
                .multiply(BigInteger.valueOf(SETTINGS.quorumPercent())).divide(BigInteger.valueOf(100)));
        String member = MEMBERS.get(0).getAddress();
        assertThat(governor.getVotes(member, past).send()).isEqualTo(token.getPastVotes(member, past).send());
        assertThat(governor.getVotesWithParams(member, past, new byte[0]).send())
                .isEqualTo(governor.getVotes(member, past).send());
        assertThat(governor.getVotes(STRANGER.getAddress(), past).send()).isZero();
        // Votes are looked up in the token's past only.
        assertRevertsWith(web3j, OWNER.getAddress(), dao.governor(),
                governor.getVotes(member, past.add(BigInteger.TEN)).encodeFunctionCall(),
                "ERC5805FutureLookup(uint256,uint48)");

        var domain = governor.eip712Domain().send();
        assertThat(domain.component2()).isEqualTo("MeritGovernor");
        assertThat(domain.component3()).isEqualTo("1");
        assertThat(domain.component4()).isEqualTo(BigInteger.valueOf(AnvilNode.CHAIN_ID));
        assertThat(domain.component5()).isEqualToIgnoringCase(dao.governor());
        assertThat(governor.nonces(STRANGER.getAddress()).send()).isZero();
        // ERC-165: itself and ERC-1155 receiving (which it then refuses: the timelock holds the DAO's assets).
        for (String id : List.of("0x01ffc9a7", "0x4e2312e0")) {
            assertThat(governor.supportsInterface(Numeric.hexStringToByteArray(id)).send()).as(id).isTrue();
        }
        assertThat(governor.supportsInterface(Numeric.hexStringToByteArray("0xffffffff")).send()).isFalse();
    }

    @Test
    void aProposalRunsFromProposalThroughVoteQueueAndTimelockToExecution() throws Exception {
        String newcomer = "0x00000000000000000000000000000000000c0de1";
        Proposal p = grant(newcomer, 5, "Welcome a newcomer with 5 votes");
        MeritGovernor asMember = as(dao, MEMBERS.get(0));
        TransactionReceipt proposed = asMember.propose(p.targets(), p.values(), p.calldatas(), p.description()).send();
        var created = MeritGovernor.getProposalCreatedEvents(proposed).get(0);
        BigInteger id = created.proposalId;
        assertThat(governor.hashProposal(p.targets(), p.values(), p.calldatas(), p.descriptionHash()).send()).isEqualTo(id);
        assertThat(governor.getProposalId(p.targets(), p.values(), p.calldatas(), p.descriptionHash()).send()).isEqualTo(id);
        assertThat(created.proposer).isEqualToIgnoringCase(MEMBERS.get(0).getAddress());
        assertThat(created.targets).containsExactly(dao.governanceToken().toLowerCase());
        assertThat(created.calldatas).containsExactly(p.calldatas().get(0));
        assertThat(created.description).isEqualTo(p.description());
        BigInteger voteStart = proposed.getBlockNumber().add(BigInteger.valueOf(SETTINGS.votingDelayBlocks()));
        assertThat(created.voteStart).isEqualTo(voteStart);
        assertThat(created.voteEnd).isEqualTo(voteStart.add(BigInteger.valueOf(SETTINGS.votingPeriodBlocks())));
        assertThat(governor.proposalSnapshot(id).send()).isEqualTo(created.voteStart);
        assertThat(governor.proposalDeadline(id).send()).isEqualTo(created.voteEnd);
        assertThat(governor.proposalProposer(id).send()).isEqualToIgnoringCase(MEMBERS.get(0).getAddress());
        assertThat(governor.proposalEta(id).send()).isZero();
        assertThat(governor.state(id).send()).isEqualTo(PENDING);

        ContractErrors.Decoded tooEarly = assertRevertsWith(web3j, MEMBERS.get(0).getAddress(), dao.governor(),
                governor.castVote(id, BigInteger.ONE).encodeFunctionCall(),
                "GovernorUnexpectedProposalState(uint256,uint8,bytes32)");
        assertThat(tooEarly.arguments()).containsEntry("current", PENDING).containsEntry("expectedStates", hex(1 << 1));
        assertThat(tooEarly.words()).startsWith("The proposal is pending");

        startVoting(dao);
        assertThat(governor.state(id).send()).isEqualTo(ACTIVE);
        var vote = MeritGovernor.getVoteCastEvents(asMember.castVote(id, BigInteger.valueOf(Ballot.FOR)).send()).get(0);
        assertThat(vote.voter).isEqualToIgnoringCase(MEMBERS.get(0).getAddress());
        assertThat(vote.proposalId).isEqualTo(id);
        assertThat(vote.support).isEqualTo(BigInteger.valueOf(Ballot.FOR));
        assertThat(vote.weight).isEqualTo(VOTES);
        assertThat(vote.reason).isEmpty();
        var reasoned = MeritGovernor.getVoteCastEvents(as(dao, MEMBERS.get(1)).castVoteWithReason(id,
                BigInteger.valueOf(Ballot.FOR), "fair share").send()).get(0);
        assertThat(reasoned.reason).isEqualTo("fair share");
        var withParams = MeritGovernor.getVoteCastWithParamsEvents(as(dao, MEMBERS.get(2)).castVoteWithReasonAndParams(
                id, BigInteger.valueOf(Ballot.ABSTAIN), "not my area", new byte[]{0x12, 0x34}).send()).get(0);
        assertThat(withParams.reason).isEqualTo("not my area");
        assertThat(withParams.params).isEqualTo(new byte[]{0x12, 0x34});
        assertThat(withParams.weight).isEqualTo(VOTES);
        assertThat(governor.hasVoted(id, MEMBERS.get(0).getAddress()).send()).isTrue();
        assertThat(governor.hasVoted(id, STRANGER.getAddress()).send()).isFalse();
        var tally = governor.proposalVotes(id).send();
        assertThat(tally.component1()).isZero(); // against
        assertThat(tally.component2()).isEqualTo(VOTES.multiply(BigInteger.TWO)); // for
        assertThat(tally.component3()).isEqualTo(VOTES); // abstain

        ContractErrors.Decoded twice = assertRevertsWith(web3j, MEMBERS.get(0).getAddress(), dao.governor(),
                governor.castVote(id, BigInteger.valueOf(Ballot.AGAINST)).encodeFunctionCall(),
                "GovernorAlreadyCastVote(address)");
        assertThat((String) twice.arguments().get("voter")).isEqualToIgnoringCase(MEMBERS.get(0).getAddress());
        assertRevertsWith(web3j, STRANGER.getAddress(), dao.governor(),
                governor.castVote(id, BigInteger.valueOf(3)).encodeFunctionCall(), "GovernorInvalidVoteType()");
        ContractErrors.Decoded stillVoting = assertRevertsWith(web3j, OWNER.getAddress(), dao.governor(),
                governor.queue(p.targets(), p.values(), p.calldatas(), p.descriptionHash()).encodeFunctionCall(),
                "GovernorUnexpectedProposalState(uint256,uint8,bytes32)");
        assertThat(stillVoting.arguments()).containsEntry("current", ACTIVE).containsEntry("expectedStates", hex(1 << 4));

        endVoting(dao);
        assertThat(governor.state(id).send()).isEqualTo(SUCCEEDED);
        ContractErrors.Decoded notQueued = assertRevertsWith(web3j, OWNER.getAddress(), dao.governor(), execute(p),
                "GovernorUnexpectedProposalState(uint256,uint8,bytes32)");
        assertThat(notQueued.arguments()).containsEntry("current", SUCCEEDED).containsEntry("expectedStates", hex(1 << 5));
        TransactionReceipt queued = governor.queue(p.targets(), p.values(), p.calldatas(), p.descriptionHash()).send();
        var queuedEvent = MeritGovernor.getProposalQueuedEvents(queued).get(0);
        BigInteger queuedAt = web3j.ethGetBlockByHash(queued.getBlockHash(), false).send().getBlock().getTimestamp();
        assertThat(queuedEvent.proposalId).isEqualTo(id);
        assertThat(queuedEvent.etaSeconds).isEqualTo(queuedAt.add(BigInteger.valueOf(SETTINGS.timelockDelaySeconds())));
        assertThat(governor.proposalEta(id).send()).isEqualTo(queuedEvent.etaSeconds);
        assertThat(governor.state(id).send()).isEqualTo(QUEUED);
        assertRevertsWith(web3j, OWNER.getAddress(), dao.governor(),
                governor.queue(p.targets(), p.values(), p.calldatas(), p.descriptionHash()).encodeFunctionCall(),
                "GovernorUnexpectedProposalState(uint256,uint8,bytes32)");
        // Queued, but the timelock's delay has not passed.
        assertRevertsWith(web3j, OWNER.getAddress(), dao.governor(), execute(p),
                "TimelockUnexpectedOperationState(bytes32,bytes32)");

        chain.anvil.advanceTime(SETTINGS.timelockDelaySeconds() + 1);
        TransactionReceipt executed = as(dao, STRANGER).execute(p.targets(), p.values(), p.calldatas(),
                p.descriptionHash(), BigInteger.ZERO).send(); // anyone may execute
        assertThat(MeritGovernor.getProposalExecutedEvents(executed).get(0).proposalId).isEqualTo(id);
        assertThat(governor.state(id).send()).isEqualTo(EXECUTED);
        assertThat(token.balanceOf(newcomer).send()).isEqualTo(BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(5)));
        ContractErrors.Decoded done = assertRevertsWith(web3j, OWNER.getAddress(), dao.governor(), execute(p),
                "GovernorUnexpectedProposalState(uint256,uint8,bytes32)");
        assertThat(done.arguments()).containsEntry("current", EXECUTED);
    }

    @Test
    void aProposalWithoutQuorumOrMajorityIsDefeated() throws Exception {
        Proposal unpopular = grant(STRANGER.getAddress(), 1000, "Give a stranger 1000 votes");
        Proposal tied = grant(STRANGER.getAddress(), 1, "Give a stranger 1 vote");
        BigInteger unpopularId = propose(dao, unpopular, STRANGER); // the threshold is 0: anyone may propose
        BigInteger tiedId = propose(dao, tied, MEMBERS.get(0));
        startVoting(dao);
        // Only votes against: no quorum (for and abstain count towards it), no majority.
        as(dao, MEMBERS.get(0)).castVote(unpopularId, BigInteger.valueOf(Ballot.AGAINST)).send();
        // Quorum, but as many against as for.
        as(dao, MEMBERS.get(0)).castVote(tiedId, BigInteger.valueOf(Ballot.FOR)).send();
        as(dao, MEMBERS.get(1)).castVote(tiedId, BigInteger.valueOf(Ballot.AGAINST)).send();
        endVoting(dao);
        assertThat(governor.state(unpopularId).send()).isEqualTo(DEFEATED);
        assertThat(governor.state(tiedId).send()).isEqualTo(DEFEATED);
        ContractErrors.Decoded defeated = assertRevertsWith(web3j, OWNER.getAddress(), dao.governor(),
                governor.queue(tied.targets(), tied.values(), tied.calldatas(), tied.descriptionHash())
                        .encodeFunctionCall(), "GovernorUnexpectedProposalState(uint256,uint8,bytes32)");
        assertThat(defeated.words()).startsWith("The proposal is defeated");
    }

    @Test
    void votesBySignatureAreRelayedByAnyone() throws Exception {
        Proposal p = grant("0x00000000000000000000000000000000005169a1", 1, "Votes by signature");
        BigInteger id = propose(dao, p, MEMBERS.get(0));
        startVoting(dao);
        MeritGovernor relayer = as(dao, STRANGER);

        Credentials second = MEMBERS.get(1);
        BigInteger nonce = governor.nonces(second.getAddress()).send();
        byte[] ballot = new Ballot("MeritGovernor", "1", AnvilNode.CHAIN_ID, dao.governor(), id, Ballot.FOR,
                second.getAddress(), nonce).sign(second.getEcKeyPair());
        var cast = MeritGovernor.getVoteCastEvents(relayer.castVoteBySig(id, BigInteger.valueOf(Ballot.FOR),
                second.getAddress(), ballot).send()).get(0);
        assertThat(cast.voter).isEqualToIgnoringCase(second.getAddress());
        assertThat(governor.nonces(second.getAddress()).send()).isEqualTo(nonce.add(BigInteger.ONE));

        Credentials third = MEMBERS.get(2);
        byte[] params = {0x01};
        byte[] extended = extendedBallot(id, Ballot.AGAINST, third.getAddress(), third,
                governor.nonces(third.getAddress()).send(), "too early", params);
        var castWithParams = MeritGovernor.getVoteCastWithParamsEvents(relayer.castVoteWithReasonAndParamsBySig(id,
                BigInteger.valueOf(Ballot.AGAINST), third.getAddress(), "too early", params, extended).send()).get(0);
        assertThat(castWithParams.voter).isEqualToIgnoringCase(third.getAddress());
        assertThat(castWithParams.reason).isEqualTo("too early");
        assertThat(governor.proposalVotes(id).send().component1()).isEqualTo(VOTES);

        // The first member's vote, signed by someone else.
        Credentials first = MEMBERS.get(0);
        byte[] forged = new Ballot("MeritGovernor", "1", AnvilNode.CHAIN_ID, dao.governor(), id, Ballot.FOR,
                first.getAddress(), governor.nonces(first.getAddress()).send()).sign(STRANGER.getEcKeyPair());
        ContractErrors.Decoded invalid = assertRevertsWith(web3j, STRANGER.getAddress(), dao.governor(),
                governor.castVoteBySig(id, BigInteger.valueOf(Ballot.FOR), first.getAddress(), forged).encodeFunctionCall(),
                "GovernorInvalidSignature(address)");
        assertThat((String) invalid.arguments().get("voter")).isEqualToIgnoringCase(first.getAddress());
        byte[] forgedExtended = extendedBallot(id, Ballot.FOR, first.getAddress(), STRANGER,
                governor.nonces(first.getAddress()).send(), "", params);
        assertRevertsWith(web3j, STRANGER.getAddress(), dao.governor(),
                governor.castVoteWithReasonAndParamsBySig(id, BigInteger.valueOf(Ballot.FOR), first.getAddress(), "",
                        params, forgedExtended).encodeFunctionCall(), "GovernorInvalidSignature(address)");
        // A replayed ballot: the nonce has moved on.
        assertRevertsWith(web3j, STRANGER.getAddress(), dao.governor(),
                governor.castVoteBySig(id, BigInteger.valueOf(Ballot.FOR), second.getAddress(), ballot).encodeFunctionCall(),
                "GovernorInvalidSignature(address)");
    }

    /** An EIP-712 ExtendedBallot of {@code voter}'s, signed by {@code signer} (the voter, or an impostor). */
    private static byte[] extendedBallot(BigInteger id, int support, String voter, Credentials signer, BigInteger nonce,
                                         String reason, byte[] params) {
        byte[] struct = Hash.sha3(Chain.abiEncode(new Bytes32(governorTypehash()), new Uint256(id),
                new Uint8(support), new Address(voter), new Uint256(nonce), new Bytes32(Chain.keccak(reason)),
                new Bytes32(Hash.sha3(params))));
        return Chain.packed(Chain.sign(Chain.typedDataDigest(domainSeparator(dao.governor()), struct), signer));
    }

    private static byte[] governorTypehash() {
        return Chain.keccak("ExtendedBallot(uint256 proposalId,uint8 support,address voter,uint256 nonce,string reason,bytes params)");
    }

    @Test
    void proposalsAreCheckedWhenProposed() throws Exception {
        String member = MEMBERS.get(0).getAddress();
        ContractErrors.Decoded empty = assertRevertsWith(web3j, member, dao.governor(),
                governor.propose(List.of(), List.of(), List.of(), "nothing").encodeFunctionCall(),
                "GovernorInvalidProposalLength(uint256,uint256,uint256)");
        assertThat(empty.arguments()).containsEntry("targets", BigInteger.ZERO);
        Proposal p = grant(member, 1, "Lengths");
        assertRevertsWith(web3j, member, dao.governor(), governor.propose(p.targets(),
                        List.of(BigInteger.ZERO, BigInteger.ZERO), p.calldatas(), p.description()).encodeFunctionCall(),
                "GovernorInvalidProposalLength(uint256,uint256,uint256)");

        // A description ending in #proposer=<address> may be proposed by that address only (front-running guard).
        String second = MEMBERS.get(1).getAddress();
        Proposal reserved = grant(second, 1, "Reserved for the second member #proposer=" + second);
        String reservedCall = governor.propose(reserved.targets(), reserved.values(), reserved.calldatas(),
                reserved.description()).encodeFunctionCall();
        ContractErrors.Decoded restricted = assertRevertsWith(web3j, member, dao.governor(), reservedCall,
                "GovernorRestrictedProposer(address)");
        assertThat((String) restricted.arguments().get("proposer")).isEqualToIgnoringCase(member);
        BigInteger id = propose(dao, reserved, MEMBERS.get(1));
        assertThat(governor.proposalProposer(id).send()).isEqualToIgnoringCase(second);

        // The same proposal again.
        ContractErrors.Decoded again = assertRevertsWith(web3j, second, dao.governor(), reservedCall,
                "GovernorUnexpectedProposalState(uint256,uint8,bytes32)");
        assertThat(again.arguments()).containsEntry("proposalId", id).containsEntry("expectedStates", hex(0));
        ContractErrors.Decoded unknown = assertRevertsWith(web3j, member, dao.governor(),
                governor.state(BigInteger.valueOf(12345)).encodeFunctionCall(), "GovernorNonexistentProposal(uint256)");
        assertThat(unknown.arguments()).containsEntry("proposalId", BigInteger.valueOf(12345));
    }

    @Test
    void onlyItsProposerCancelsAProposalAndOnlyWhilePending() throws Exception {
        Proposal p = grant(STRANGER.getAddress(), 1, "Cancelled while pending");
        BigInteger id = propose(dao, p, MEMBERS.get(0));
        String cancel = governor.cancel(p.targets(), p.values(), p.calldatas(), p.descriptionHash()).encodeFunctionCall();
        ContractErrors.Decoded notYours = assertRevertsWith(web3j, STRANGER.getAddress(), dao.governor(), cancel,
                "GovernorUnableToCancel(uint256,address)");
        assertThat(notYours.arguments()).containsEntry("proposalId", id);
        TransactionReceipt cancelled = as(dao, MEMBERS.get(0)).cancel(p.targets(), p.values(), p.calldatas(),
                p.descriptionHash()).send();
        assertThat(MeritGovernor.getProposalCanceledEvents(cancelled).get(0).proposalId).isEqualTo(id);
        assertThat(governor.state(id).send()).isEqualTo(CANCELED);
        startVoting(dao);
        ContractErrors.Decoded noVote = assertRevertsWith(web3j, MEMBERS.get(0).getAddress(), dao.governor(),
                governor.castVote(id, BigInteger.ONE).encodeFunctionCall(),
                "GovernorUnexpectedProposalState(uint256,uint8,bytes32)");
        assertThat(noVote.arguments()).containsEntry("current", CANCELED);

        Proposal active = grant(STRANGER.getAddress(), 2, "Too late to cancel");
        propose(dao, active, MEMBERS.get(0));
        startVoting(dao);
        assertRevertsWith(web3j, MEMBERS.get(0).getAddress(), dao.governor(), governor.cancel(active.targets(),
                        active.values(), active.calldatas(), active.descriptionHash()).encodeFunctionCall(),
                "GovernorUnableToCancel(uint256,address)");
    }

    @Test
    void itsSettingsChangeOnlyThroughAProposal() throws Exception {
        String owner = OWNER.getAddress();
        for (String call : List.of(governor.setVotingDelay(BigInteger.TWO).encodeFunctionCall(),
                governor.setVotingPeriod(BigInteger.TEN).encodeFunctionCall(),
                governor.setProposalThreshold(BigInteger.ONE).encodeFunctionCall(),
                governor.updateQuorumNumerator(BigInteger.TEN).encodeFunctionCall(),
                governor.updateTimelock(owner).encodeFunctionCall(),
                governor.relay(owner, BigInteger.ZERO, new byte[0], BigInteger.ZERO).encodeFunctionCall())) {
            ContractErrors.Decoded refused = assertRevertsWith(web3j, owner, dao.governor(), call,
                    "GovernorOnlyExecutor(address)");
            assertThat((String) refused.arguments().get("account")).isEqualToIgnoringCase(owner);
        }
    }

    @Test
    void itRefusesDepositsSinceTheTimelockHoldsTheDaosAssets() throws Exception {
        String from = OWNER.getAddress();
        // Plain ether (its receive()) and the token-receiver callbacks.
        assertRevertsWith(web3j, from, dao.governor(), BigInteger.ONE, "0x", "GovernorDisabledDeposit()");
        assertRevertsWith(web3j, from, dao.governor(), governor.onERC721Received(from, from, BigInteger.ONE,
                new byte[0]).encodeFunctionCall(), "GovernorDisabledDeposit()");
        assertRevertsWith(web3j, from, dao.governor(), governor.onERC1155Received(from, from, BigInteger.ONE,
                BigInteger.ONE, new byte[0]).encodeFunctionCall(), "GovernorDisabledDeposit()");
        assertRevertsWith(web3j, from, dao.governor(), governor.onERC1155BatchReceived(from, from,
                List.of(BigInteger.ONE), List.of(BigInteger.ONE), new byte[0]).encodeFunctionCall(),
                "GovernorDisabledDeposit()");
    }

    /** A DAO of its own: its settings change here. */
    @Test
    void governanceChangesItsOwnSettingsAndRelaysCalls() throws Exception {
        DaoContracts own = Deployment.deploy(web3j, AnvilNode.CHAIN_ID, OWNER, MEMBERS, SETTINGS);
        MeritGovernor g = as(own, OWNER);
        String self = own.governor();
        PayoutToken payout = PayoutToken.load(own.payoutToken(), web3j, chain.tx(OWNER), GAS);
        payout.mint(self, BigInteger.valueOf(7)).send(); // sent to the governor by mistake
        String carol = "0x00000000000000000000000000000000000ca201";
        BigInteger threshold = BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(50));

        Proposal settings = Proposal.of(List.of(self, self, self, self, self), List.of(
                g.setVotingDelay(BigInteger.TWO).encodeFunctionCall(),
                g.setVotingPeriod(BigInteger.valueOf(25)).encodeFunctionCall(),
                g.setProposalThreshold(threshold).encodeFunctionCall(),
                g.updateQuorumNumerator(BigInteger.TEN).encodeFunctionCall(),
                g.relay(own.payoutToken(), BigInteger.ZERO, Numeric.hexStringToByteArray(
                        payout.transfer(carol, BigInteger.valueOf(7)).encodeFunctionCall()), BigInteger.ZERO)
                        .encodeFunctionCall()), "New settings; recover the tokens sent to the governor");
        Proposal noPeriod = Proposal.of(self, g.setVotingPeriod(BigInteger.ZERO).encodeFunctionCall(), "No voting");
        Proposal overQuorum = Proposal.of(self, g.updateQuorumNumerator(BigInteger.valueOf(101)).encodeFunctionCall(),
                "Quorum over 100%");
        Proposal badRelay = Proposal.of(self, g.relay(own.payoutToken(), BigInteger.ZERO,
                Numeric.hexStringToByteArray("0xdeadbeef"), BigInteger.ZERO).encodeFunctionCall(), "Relay nonsense");
        passAndQueue(own, List.of(settings, noPeriod, overQuorum, badRelay));

        // Each call is checked as the timelock makes it; a failure fails the whole execution.
        ContractErrors.Decoded period = assertRevertsWith(web3j, OWNER.getAddress(), self, g.execute(noPeriod.targets(),
                        noPeriod.values(), noPeriod.calldatas(), noPeriod.descriptionHash(), BigInteger.ZERO).encodeFunctionCall(),
                "GovernorInvalidVotingPeriod(uint256)");
        assertThat(period.arguments()).containsEntry("votingPeriod", BigInteger.ZERO);
        ContractErrors.Decoded quorum = assertRevertsWith(web3j, OWNER.getAddress(), self, g.execute(overQuorum.targets(),
                        overQuorum.values(), overQuorum.calldatas(), overQuorum.descriptionHash(), BigInteger.ZERO)
                        .encodeFunctionCall(), "GovernorInvalidQuorumFraction(uint256,uint256)");
        assertThat(quorum.arguments()).containsEntry("quorumNumerator", BigInteger.valueOf(101))
                .containsEntry("quorumDenominator", BigInteger.valueOf(100));
        assertRevertsWith(web3j, OWNER.getAddress(), self, g.execute(badRelay.targets(), badRelay.values(),
                badRelay.calldatas(), badRelay.descriptionHash(), BigInteger.ZERO).encodeFunctionCall(), "FailedCall()");

        BigInteger before = g.clock().send();
        TransactionReceipt executed = g.execute(settings.targets(), settings.values(), settings.calldatas(),
                settings.descriptionHash(), BigInteger.ZERO).send();
        var delay = MeritGovernor.getVotingDelaySetEvents(executed).get(0);
        assertThat(delay.oldVotingDelay).isEqualTo(BigInteger.ONE);
        assertThat(delay.newVotingDelay).isEqualTo(BigInteger.TWO);
        var periodSet = MeritGovernor.getVotingPeriodSetEvents(executed).get(0);
        assertThat(periodSet.oldVotingPeriod).isEqualTo(BigInteger.valueOf(20));
        assertThat(periodSet.newVotingPeriod).isEqualTo(BigInteger.valueOf(25));
        var thresholdSet = MeritGovernor.getProposalThresholdSetEvents(executed).get(0);
        assertThat(thresholdSet.oldProposalThreshold).isZero();
        assertThat(thresholdSet.newProposalThreshold).isEqualTo(threshold);
        var quorumSet = MeritGovernor.getQuorumNumeratorUpdatedEvents(executed).get(0);
        assertThat(quorumSet.oldQuorumNumerator).isEqualTo(BigInteger.valueOf(4));
        assertThat(quorumSet.newQuorumNumerator).isEqualTo(BigInteger.TEN);
        assertThat(g.votingDelay().send()).isEqualTo(BigInteger.TWO);
        assertThat(g.votingPeriod().send()).isEqualTo(BigInteger.valueOf(25));
        assertThat(g.proposalThreshold().send()).isEqualTo(threshold);
        assertThat(g.quorumNumerator().send()).isEqualTo(BigInteger.TEN);
        assertThat(g.quorumNumerator(before).send()).isEqualTo(BigInteger.valueOf(4)); // the past keeps its quorum
        assertThat(payout.balanceOf(carol).send()).isEqualTo(BigInteger.valueOf(7));
        assertThat(payout.balanceOf(self).send()).isZero();

        // Now proposing takes 50 votes.
        Proposal fromStranger = Proposal.of(self, g.setVotingDelay(BigInteger.ONE).encodeFunctionCall(), "Stranger");
        ContractErrors.Decoded insufficient = assertRevertsWith(web3j, STRANGER.getAddress(), self,
                g.propose(fromStranger.targets(), fromStranger.values(), fromStranger.calldatas(),
                        fromStranger.description()).encodeFunctionCall(),
                "GovernorInsufficientProposerVotes(address,uint256,uint256)");
        assertThat(insufficient.arguments()).containsEntry("votes", BigInteger.ZERO).containsEntry("threshold", threshold);

        // The DAO moves to another timelock.
        MeritTimelock next = MeritTimelock.deploy(web3j, chain.tx(OWNER), GAS, BigInteger.valueOf(60), List.of(self),
                List.of(ZERO), ZERO).send();
        Proposal move = Proposal.of(self, g.updateTimelock(next.getContractAddress()).encodeFunctionCall(), "New timelock");
        passAndQueue(own, List.of(move));
        TransactionReceipt moved = g.execute(move.targets(), move.values(), move.calldatas(), move.descriptionHash(),
                BigInteger.ZERO).send();
        var change = MeritGovernor.getTimelockChangeEvents(moved).get(0);
        assertThat(change.oldTimelock).isEqualToIgnoringCase(own.timelock());
        assertThat(change.newTimelock).isEqualToIgnoringCase(next.getContractAddress());
        assertThat(g.timelock().send()).isEqualToIgnoringCase(next.getContractAddress());
    }

    @Test
    void itsConstructorAndClockAreChecked() throws Exception {
        String tokenAddress = dao.governanceToken();
        String timelock = dao.timelock();
        ContractErrors.Decoded noPeriod = assertRevertsWith(web3j, OWNER.getAddress(), null, Chain.creation(
                MeritGovernor.BINARY, new Address(tokenAddress), new Address(timelock), new Uint48(1), new Uint32(0),
                new Uint256(4)), "GovernorInvalidVotingPeriod(uint256)");
        assertThat(noPeriod.arguments()).containsEntry("votingPeriod", BigInteger.ZERO);
        assertRevertsWith(web3j, OWNER.getAddress(), null, Chain.creation(MeritGovernor.BINARY,
                new Address(tokenAddress), new Address(timelock), new Uint48(1), new Uint32(20), new Uint256(101)),
                "GovernorInvalidQuorumFraction(uint256,uint256)");

        // A voting delay so long that a proposal's start would not fit the 48-bit clock.
        BigInteger maxDelay = BigInteger.TWO.pow(48).subtract(BigInteger.ONE);
        MeritGovernor never = MeritGovernor.deploy(web3j, chain.tx(OWNER), GAS, tokenAddress, timelock, maxDelay,
                BigInteger.valueOf(20), BigInteger.valueOf(4)).send();
        Proposal p = grant(STRANGER.getAddress(), 1, "Never");
        ContractErrors.Decoded overflow = assertRevertsWith(web3j, OWNER.getAddress(), never.getContractAddress(),
                never.propose(p.targets(), p.values(), p.calldatas(), p.description()).encodeFunctionCall(),
                "SafeCastOverflowedUintDowncast(uint8,uint256)");
        assertThat(overflow.arguments()).containsEntry("bits", BigInteger.valueOf(48));
    }
}
