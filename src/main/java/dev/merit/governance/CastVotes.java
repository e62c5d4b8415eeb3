package dev.merit.governance;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.merit.governance.contracts.MeritGovernor;
import jakarta.enterprise.context.ApplicationScoped;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Keys;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;

/**
 * How a member voted on a proposal, read from the governor's own record: its VoteCast (or VoteCastWithParams) event,
 * whoever sent the vote (Merit's relay, the member's wallet, another client). The page of a proposal shows it after a
 * reload, and after the vote closed.
 */
@ApplicationScoped
public class CastVotes {

    /** The member's vote: {@code support} 0 against, 1 for, 2 abstain, as the governor counts it. */
    public record CastVote(String voter, boolean voted, Integer support, BigInteger weight, String reason, String txHash,
                           Long block, BigInteger votingPower) {
    }

    private final ChainService chain;
    private final GovernanceService governance;
    /**
     * Answers that can no longer change, by payout and lower-case voter: a vote in a block past the confirmation depth,
     * or any answer once the voting window closed that far back. A page view then costs no event search; at most
     * 10,000 kept.
     */
    private final Cache<String, CastVote> settled = Caffeine.newBuilder().maximumSize(10_000).build();
    /** Every vote of proposals whose voting closed past the confirmation depth, by chain proposal; at most 100 kept. */
    private final Cache<Long, AllVotes> closedVotes = Caffeine.newBuilder().maximumSize(100).build();
    /**
     * Votes of a proposal still open, by chain proposal and the head block they were read at: each view of its page
     * would otherwise search the chain's events again within a block (a hosted node counts every search).
     */
    private final Cache<String, AllVotes> openVotes = Caffeine.newBuilder().maximumSize(100)
            .expireAfterWrite(java.time.Duration.ofMinutes(1)).build();

    public CastVotes(ChainService chain, GovernanceService governance) {
        this.chain = chain;
        this.governance = governance;
    }

    public CastVote of(long payoutProposalId, String voter) throws IOException {
        Ballot.requireVoter(voter);
        String checksummed = Keys.toChecksumAddress(voter);
        ChainProposal cp = governance.byPayoutProposal(payoutProposalId);
        String key = cp.id + ":" + voter.toLowerCase(java.util.Locale.ROOT);
        CastVote known = settled.getIfPresent(key);
        if (known != null) {
            return known;
        }
        MeritGovernor governor = chain.readGovernor(cp.governor);
        BigInteger id = new BigInteger(cp.onchainId);
        BigInteger head = GovernanceService.call(() -> chain.web3j().ethBlockNumber().send().getBlockNumber());
        BigInteger settledBlock = chain.settled(head);
        // A vote is cast while the proposal is active: after its snapshot block, up to its deadline.
        BigInteger deadline = deadline(cp, governor, id);
        boolean closed = deadline.signum() > 0 && deadline.compareTo(settledBlock) <= 0;
        BigInteger snapshot = snapshot(cp, governor, id);
        if (!GovernanceService.call(() -> governor.hasVoted(id, voter).send())) {
            // The votes the member could cast: those delegated to them at the snapshot (the governor refuses to look
            // up a block not mined yet: unknown until then).
            BigInteger power = snapshot.signum() > 0 && snapshot.compareTo(head) < 0 ? votesAt(governor, voter, snapshot) : null;
            return keep(key, closed, new CastVote(checksummed, false, null, null, null, null, null, power));
        }
        String voterTopic = Numeric.toHexStringWithPrefixZeroPadded(Numeric.toBigInt(voter), 64);
        LogPages pages = votePages(cp, snapshot, deadline.min(head), voterTopic);
        while (pages.hasNext()) {
            for (Log log : pages.next().logs()) {
                CastVote vote = read(log, id, checksummed);
                if (vote != null) {
                    return keep(key, closed || (vote.block() != null
                            && BigInteger.valueOf(vote.block()).compareTo(settledBlock) <= 0), vote);
                }
            }
        }
        // The governor says the member voted, and the node holds no event of it (a node that prunes old logs):
        // voted, and how is not known.
        return keep(key, closed, new CastVote(checksummed, true, null, null, null, null, null, null));
    }

    /** Every vote cast on a proposal, and how many: what a member checks their own and others' votes against. */
    public record AllVotes(int count, List<CastVote> largestFirst) {

        AllVotes limited(int limit) {
            return new AllVotes(count, largestFirst.stream().limit(limit).toList());
        }
    }

    /**
     * Every vote cast on the payout's governor proposal, from the governor's own events (whoever sent each), the
     * {@code limit} largest first; none before its voting opened. Kept once the voting window closed past the
     * confirmation depth: a page view then costs no event search.
     */
    public AllVotes all(long payoutProposalId, int limit) throws IOException {
        ChainProposal cp = governance.byPayoutProposal(payoutProposalId);
        AllVotes known = closedVotes.getIfPresent(cp.id);
        if (known != null) {
            return known.limited(limit);
        }
        MeritGovernor governor = chain.readGovernor(cp.governor);
        BigInteger id = new BigInteger(cp.onchainId);
        BigInteger head = GovernanceService.call(() -> chain.web3j().ethBlockNumber().send().getBlockNumber());
        AllVotes atHead = openVotes.getIfPresent(cp.id + ":" + head);
        if (atHead != null) {
            return atHead.limited(limit);
        }
        BigInteger snapshot = snapshot(cp, governor, id);
        BigInteger deadline = deadline(cp, governor, id);
        if (snapshot.signum() <= 0 || snapshot.compareTo(head) >= 0) {
            return new AllVotes(0, List.of());
        }
        List<CastVote> votes = new java.util.ArrayList<>();
        LogPages pages = votePages(cp, snapshot, deadline.min(head), null);
        while (pages.hasNext()) {
            for (Log log : pages.next().logs()) {
                CastVote vote = log.getTopics().size() < 2 ? null
                        : read(log, id, Keys.toChecksumAddress("0x" + log.getTopics().get(1).substring(26)));
                if (vote != null) {
                    votes.add(vote);
                }
            }
        }
        votes.sort(java.util.Comparator.comparing(CastVote::weight, java.util.Comparator.reverseOrder())
                .thenComparing(CastVote::voter));
        AllVotes all = new AllVotes(votes.size(), List.copyOf(votes));
        // Kept for good only when closed and complete: the events add up to the governor's own tallies (a node behind
        // the one that gave the head would answer fewer events, without an error).
        if (deadline.signum() > 0 && deadline.compareTo(chain.settled(head)) <= 0 && addUp(votes, governor, id)) {
            closedVotes.put(cp.id, all);
        } else {
            openVotes.put(cp.id + ":" + head, all);
        }
        return all.limited(limit);
    }

    /** The block after which the proposal's votes count: recorded, else asked of the governor (0: not proposed). */
    private static BigInteger snapshot(ChainProposal cp, MeritGovernor governor, BigInteger id) throws IOException {
        return cp.voteStart != null ? BigInteger.valueOf(cp.voteStart)
                : GovernanceService.call(() -> governor.proposalSnapshot(id).send());
    }

    /** The last block in which a vote on the proposal counts: recorded, else asked of the governor. */
    private static BigInteger deadline(ChainProposal cp, MeritGovernor governor, BigInteger id) throws IOException {
        return cp.voteEnd != null ? BigInteger.valueOf(cp.voteEnd)
                : GovernanceService.call(() -> governor.proposalDeadline(id).send());
    }

    /** Whether {@code votes}, by way, sum to the governor's tallies of proposal {@code id}. */
    private static boolean addUp(List<CastVote> votes, MeritGovernor governor, BigInteger id) throws IOException {
        var tallies = GovernanceService.call(() -> governor.proposalVotes(id).send());
        BigInteger[] byWay = {BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO}; // against, for, abstain
        for (CastVote v : votes) {
            if (v.support() == null || v.support() < 0 || v.support() > 2) {
                return false;
            }
            byWay[v.support()] = byWay[v.support()].add(v.weight());
        }
        return byWay[0].equals(tallies.component1()) && byWay[1].equals(tallies.component2())
                && byWay[2].equals(tallies.component3());
    }

    /** The governor's vote events after {@code snapshot} up to {@code last}: of one voter (its topic), or of all. */
    private LogPages votePages(ChainProposal cp, BigInteger snapshot, BigInteger last, String voterTopic) {
        return new LogPages(chain.web3j(), chain.config().logBlockRange(), snapshot.add(BigInteger.ONE), last,
                (from, to) -> {
                    EthFilter filter = new EthFilter(from, to, cp.governor);
                    filter.addOptionalTopics(EventEncoder.encode(MeritGovernor.VOTECAST_EVENT),
                            EventEncoder.encode(MeritGovernor.VOTECASTWITHPARAMS_EVENT));
                    if (voterTopic != null) {
                        filter.addSingleTopic(voterTopic);
                    }
                    return filter;
                }, LogPages.Counts.NONE);
    }

    /**
     * The votes delegated to {@code voter} at {@code snapshot}, or null when the governor will not look that block up
     * yet: a node behind the head another answered with, or a chain whose contracts count blocks their own way
     * (ERC5805FutureLookup).
     */
    private static BigInteger votesAt(MeritGovernor governor, String voter, BigInteger snapshot) throws IOException {
        try {
            return GovernanceService.call(() -> governor.getVotes(voter, snapshot).send());
        } catch (IllegalStateException reverted) {
            return null;
        }
    }

    private CastVote keep(String key, boolean unchanging, CastVote vote) {
        if (unchanging) {
            settled.put(key, vote);
        }
        return vote;
    }

    /** The vote a log records on proposal {@code id}, or null when it is not a vote on it. */
    static CastVote read(Log log, BigInteger id, String voter) {
        List<String> topics = log.getTopics();
        if (topics.isEmpty()) {
            return null;
        }
        BigInteger proposal;
        BigInteger support;
        BigInteger weight;
        String reason;
        if (topics.get(0).equalsIgnoreCase(EventEncoder.encode(MeritGovernor.VOTECAST_EVENT))) {
            var e = MeritGovernor.getVoteCastEventFromLog(log);
            proposal = e.proposalId;
            support = e.support;
            weight = e.weight;
            reason = e.reason;
        } else if (topics.get(0).equalsIgnoreCase(EventEncoder.encode(MeritGovernor.VOTECASTWITHPARAMS_EVENT))) {
            var e = MeritGovernor.getVoteCastWithParamsEventFromLog(log);
            proposal = e.proposalId;
            support = e.support;
            weight = e.weight;
            reason = e.reason;
        } else {
            return null;
        }
        if (!id.equals(proposal)) {
            return null;
        }
        return new CastVote(voter, true, support.intValueExact(), weight, reason == null || reason.isEmpty() ? null : reason,
                log.getTransactionHash(), log.getBlockNumber() == null ? null : log.getBlockNumber().longValueExact(),
                weight);
    }
}
