package dev.merit.governance;

import dev.merit.audit.IdSlices;
import dev.merit.epoch.Epoch;
import dev.merit.payroll.PayoutProposal;
import dev.merit.security.Access;
import dev.merit.audit.TokenAmounts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.payroll.LineState;
import dev.merit.payroll.PayoutLine;
import dev.merit.payroll.ProposalState;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

@Path("/api/chain/proposals")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Governance", description = "Payout proposals on chain: votes, execution, payments")
public class ChainProposalResource {

    public record Propose(@NotNull Long payoutProposalId,
                          @Schema(description = "true: replace the payout of the same epoch already on chain (its "
                                  + "vote starts over on this one); without it, that is refused with 409 "
                                  + "vote-under-way") Boolean replace,
                          @Schema(description = "true: put it on chain even though its approval would leave work "
                                  + "dated before its epoch, which no payout has paid, unpaid for good (the vault pays "
                                  + "periods once and in order); without it, that is refused with 409 "
                                  + "closes-unpaid-work, which says how much and which epochs could pay it first")
                          Boolean closeUnpaid) {
    }

    public record Vote(@NotBlank String voter, @NotNull Integer support,
                       @NotBlank @Schema(description = "65-byte EIP-712 Ballot signature, hex") String signature) {
    }

    public record TxView(long id, String kind, String status, String txHash, int attempts, String lastError,
                         Instant updatedAt,
                         @Schema(description = "The signer's nonce it was sent with (a replacement keeps it)") String nonce,
                         @Schema(description = "EIP-1559 max fee per gas in wei (legacy gas price where no tip)") String maxFeePerGas,
                         @Schema(description = "EIP-1559 tip per gas in wei; null for a legacy transaction") String maxPriorityFeePerGas,
                         String gasLimit, Instant sentAt,
                         @Schema(description = "Earlier transactions with the same nonce that this one replaced") List<String> replacedHashes) {
        static TxView of(ChainTx t) {
            List<String> hashes = t.hashes();
            return new TxView(t.id, t.kind, t.status, t.txHash, t.attempts, t.lastError, t.updatedAt, text(t.nonce),
                    text(t.maxFeePerGas), text(t.maxPriorityFeePerGas), text(t.gasLimit), t.sentAt,
                    t.txHash == null ? hashes : hashes.subList(1, hashes.size()));
        }

        private static String text(BigInteger value) {
            return value == null ? null : value.toString();
        }
    }

    public record LineView(long contributorId, String wallet, String amountTokens,
                           @Schema(type = SchemaType.STRING) BigInteger amountBaseUnits,
                           @Schema(description = "to pay, held, claimable, paid, returned to the treasury") String state,
                           String reason, String paidTxHash,
                           @Schema(description = "A held line's contributor had no wallet when it went on chain: the "
                                   + "wallet linked since") String walletLinkedSince) {
    }

    public record ChainProposalView(long payoutProposalId, String onchainId, String governor, String vault,
                                    String vaultEpoch, String merkleRoot,
                                    String totalTokens, @Schema(type = SchemaType.STRING) BigInteger totalBaseUnits,
                                    int tokenDecimals,
                                    @Schema(description = "The governor's state, in the shared vocabulary (pending, "
                                            + "active, succeeded, queued, executed, defeated, canceled, expired, "
                                            + "superseded)") String state,
                                    @Schema(description = "Base units the vault holds for contributors without a wallet")
                                    String heldTokens,
                                    @Schema(description = "Lines held for contributors without a wallet; null when "
                                            + "asked without lines") Integer heldLines,
                                    @Schema(description = "The payout proposal of the same epoch that replaced this one")
                                    Long supersededBy,
                                    @Schema(type = SchemaType.STRING) BigInteger votesFor,
                                    @Schema(type = SchemaType.STRING) BigInteger votesAgainst,
                                    @Schema(type = SchemaType.STRING) BigInteger votesAbstain,
                                    @Schema(type = SchemaType.STRING) BigInteger quorum,
                                    Long voteStartBlock, Long voteEndBlock, Long executableAt, String description,
                                    @Schema(description = "The chain's latest block when this was read") Long currentBlock,
                                    @Schema(description = "When voting opens (opened): estimated from the chain's pace "
                                            + "of blocks, exact once the block is mined") Instant voteStartsAt,
                                    @Schema(description = "When voting closes (closed), estimated the same way")
                                    Instant voteEndsAt,
                                    @Schema(description = "The block in which the governor executed it (the payout "
                                            + "approved and paid), whoever sent the execution; null until then, for a "
                                            + "proposal executed before Merit recorded these blocks, or when the node "
                                            + "holds no such event") Long executedBlock,
                                    @Schema(description = "That block's own time: when the payout was paid")
                                    Instant executedAt,
                                    List<TxView> transactions,
                                    @Schema(description = "Every paying line; null when asked with lines=false")
                                    List<LineView> lines,
                                    @Schema(description = "Shares an earlier payout held for contributors without a "
                                            + "wallet, which this vote also releases to the wallet each has linked since")
                                    List<ReleaseView> releases,
                                    @Schema(description = "Earlier payouts whose unclaimed held shares this vote returns "
                                            + "to the treasury") List<Long> returnsHeldOf,
                                    @Schema(description = "Unpaid work this payout closes for good, as the maintainer "
                                            + "who put it on chain asked (closeUnpaid); null when it closes none")
                                    ClosedView closedUnpaid,
                                    @Schema(description = "false while the chain cannot be read (its node stalled, "
                                            + "stopped or cut off): the state, tallies and times are as Merit last "
                                            + "read them, and votes wait") boolean chainAnswering,
                                    @Schema(description = "Since when the chain's node has not answered (a call to it "
                                            + "timed out); null while it answers, or when it refuses connections")
                                    Instant chainSilentSince) {
    }

    /**
     * People's contributions no payout had paid, dated from {@code since} (null: from the start) to {@code until} (the
     * payout's epoch's start), that approving it closes for good, as {@code askedBy} asked.
     */
    public record ClosedView(long contributions, Instant since, Instant until, String askedBy) {
        static ClosedView of(ChainProposal cp) {
            return cp.closedUnpaid == null ? null
                    : new ClosedView(cp.closedUnpaid, cp.closedUnpaidSince, cp.closedUnpaidUntil, cp.closedUnpaidBy);
        }
    }

    public record ReleaseView(long contributorId, String displayName, String wallet, String amountTokens,
                              @Schema(type = SchemaType.STRING) BigInteger amountBaseUnits, long heldByPayoutProposalId) {
    }

    public record BallotView(@Schema(description = "EIP-712 typed data for eth_signTypedData_v4") JsonNode typedData,
                             @Schema(type = SchemaType.STRING) BigInteger votingPower, String state) {
    }

    public record VoteView(@Schema(description = "The member's address, checksummed") String voter, boolean voted,
                           @Schema(description = "for, against or abstain; null when not voted, or when the node "
                                   + "no longer holds the vote's event") String support,
                           @Schema(type = SchemaType.STRING, description = "Votes counted, in base units of the "
                                   + "governance token") BigInteger weight,
                           @Schema(description = "The reason given with the vote, if any") String reason,
                           String txHash, Long block,
                           @Schema(type = SchemaType.STRING, description = "The votes the member can cast (or cast): "
                                   + "delegated to them at the proposal's snapshot; null before that block is mined")
                           BigInteger votingPower) {
        static VoteView of(CastVotes.CastVote v) {
            String support = v.support() == null || v.support() < 0 || v.support() >= Ballot.SUPPORT_WORDS.size() ? null
                    : Ballot.SUPPORT_WORDS.get(v.support());
            return new VoteView(v.voter(), v.voted(), support, v.weight(), v.reason(), v.txHash(), v.block(),
                    v.votingPower());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final GovernanceService governance;
    private final Outbox outbox;

    private final ChainClock chain;
    private final CastVotes votes;
    private final dev.merit.payroll.PayoutLedger ledger;

    public ChainProposalResource(GovernanceService governance, Outbox outbox, ChainClock chain, CastVotes votes,
                                 dev.merit.payroll.PayoutLedger ledger) {
        this.governance = governance;
        this.outbox = outbox;
        this.chain = chain;
        this.votes = votes;
        this.ledger = ledger;
    }

    @POST
    @Operation(summary = "Propose a payout on chain", description = "Builds the Merkle tree of (wallet, amount), and "
            + "queues the governor proposal that approves it in the vault. Sent by the outbox right after.")
    @APIResponse(responseCode = "201", description = "Recorded; follow it with GET")
    @APIResponse(responseCode = "404", description = "No such payout proposal")
    @APIResponse(responseCode = "409", description = "Already on chain, not a draft, its epoch not over yet, its period "
            + "paid, proposed or approved already, another payout of its epoch on chain (vote-under-way, unless "
            + "replace), work before its epoch no payout has paid that its approval would leave unpaid for good "
            + "(closes-unpaid-work, unless closeUnpaid), or the vault's token or units differ from the epoch's")
    @APIResponse(responseCode = "422", description = "Wallets missing, vault underfunded, or no chain")
    public Response propose(@Valid @NotNull Propose request, UriInfo uri) throws IOException {
        ChainProposal cp = governance.propose(request.payoutProposalId(), Boolean.TRUE.equals(request.replace()),
                Boolean.TRUE.equals(request.closeUnpaid()));
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(cp.payoutProposalId)).build())
                .entity(view(cp.payoutProposalId, true)).build();
    }

    @GET
    @Path("/{payoutProposalId}")
    @Operation(summary = "On-chain state of a payout proposal", description = "State, tallies against quorum, "
            + "voting window, transactions, and the payment of every line (not with lines=false: a large payout's "
            + "page reads its lines once, from the payout itself, which gives the same wallet and transaction).")
    @APIResponse(responseCode = "200", description = "The proposal on chain")
    @APIResponse(responseCode = "404", description = "Not on chain")
    public ChainProposalView get(@PathParam("payoutProposalId") long payoutProposalId,
                                 @org.eclipse.microprofile.openapi.annotations.parameters.Parameter(description =
                                         "false: without the lines (true when absent)")
                                 @QueryParam("lines") String lines) {
        // true or false, as every flag: "maybe" read as false, and a page without its lines said nothing of it.
        return view(payoutProposalId, lines == null || dev.merit.problem.QueryParams.flag("lines", lines));
    }

    @GET
    @Path("/{payoutProposalId}/ballot")
    @Operation(summary = "The Ballot to sign", description = "EIP-712 typed data a member signs (eth_signTypedData_v4) "
            + "to vote, with their nonce and the governor's domain, after the checks that would make the vote fail: "
            + "proposal active, not voted yet, voting power at the snapshot. POST the signature to .../votes.")
    @APIResponse(responseCode = "200", description = "Typed data and the voter's voting power")
    @APIResponse(responseCode = "400", description = "Bad voter or support")
    @APIResponse(responseCode = "404", description = "Not on chain")
    @APIResponse(responseCode = "409", description = "Voting not open, or already voted")
    @APIResponse(responseCode = "422", description = "No voting power")
    public BallotView ballot(@PathParam("payoutProposalId") long payoutProposalId, @QueryParam("voter") String voter,
                             @org.eclipse.microprofile.openapi.annotations.parameters.Parameter(description = "for "
                                     + "(1, when absent), against (0) or abstain (2)")
                             @QueryParam("support") String support) throws IOException {
        GovernanceService.VoteTicket ticket = governance.ballot(payoutProposalId, voter, support(support));
        return new BallotView(JSON.readTree(ticket.ballot().typedDataJson()), ticket.votingPower(), ticket.state());
    }

    @GET
    @Path("/{payoutProposalId}/votes/{voter}")
    @Operation(summary = "How a member voted", description = "Whether the member voted on the proposal and, from the "
            + "governor's VoteCast event, which way, with how many votes, and in which transaction: whoever sent the "
            + "vote (Merit's relay or the member's own wallet), and also after voting closed.")
    @APIResponse(responseCode = "200", description = "The member's vote, or voted: false")
    @APIResponse(responseCode = "400", description = "Bad voter")
    @APIResponse(responseCode = "404", description = "No such payout proposal, or not on chain")
    public VoteView vote(@PathParam("payoutProposalId") long payoutProposalId, @PathParam("voter") String voter)
            throws IOException {
        return VoteView.of(votes.of(payoutProposalId, voter));
    }

    /** Every vote cast on a proposal: how many, and the largest {@link #VOTES_SHOWN}. */
    public record VotesView(@Schema(description = "How many members voted") int count,
                            @Schema(description = "Their votes, the largest first (at most " + VOTES_SHOWN + ")")
                            List<VoteView> votes) {
    }

    static final int VOTES_SHOWN = 200;

    @GET
    @Path("/{payoutProposalId}/votes")
    @Operation(summary = "Every vote cast", description = "Each member's vote on the proposal, from the governor's "
            + "VoteCast events (whoever sent it: Merit's relay, the member's own wallet, another client), the largest "
            + "first: a member checks the tallies against who voted. Empty before voting opens.")
    @APIResponse(responseCode = "200", description = "How many voted, and their votes")
    @APIResponse(responseCode = "404", description = "No such payout proposal, or not on chain")
    public VotesView votes(@PathParam("payoutProposalId") long payoutProposalId) throws IOException {
        CastVotes.AllVotes all = votes.all(payoutProposalId, VOTES_SHOWN);
        return new VotesView(all.count(), all.largestFirst().stream().map(VoteView::of).toList());
    }

    @POST
    @Path("/{payoutProposalId}/votes")
    @Access(Access.Role.PUBLIC) // the member's EIP-712 signature is the authority
    @Operation(summary = "Relay a signed vote", description = "Verifies an EIP-712 Ballot signature (signer, nonce, "
            + "chain id, proposal active, voting power, not voted yet) and relays it with castVoteBySig.")
    @APIResponse(responseCode = "200", description = "The relayed vote transaction")
    @APIResponse(responseCode = "400", description = "Bad signature, voter or support")
    @APIResponse(responseCode = "404", description = "Not on chain")
    @APIResponse(responseCode = "409", description = "Voting not open, or already voted")
    @APIResponse(responseCode = "422", description = "No voting power")
    public TxView vote(@PathParam("payoutProposalId") long payoutProposalId, @Valid @NotNull Vote request) throws IOException {
        return TxView.of(governance.relayVote(payoutProposalId, request.voter(), request.support(), request.signature()));
    }

    /** The governor's number for a way of voting: for, against or abstain, or the number itself; for when absent. */
    static int support(String asked) {
        String s = asked == null ? "1" : asked.strip().toLowerCase(java.util.Locale.ROOT);
        return switch (s) {
            case "1", "for" -> 1;
            case "0", "against" -> 0;
            case "2", "abstain" -> 2;
            default -> throw dev.merit.problem.ProblemException.invalid("support is for, against or abstain (or the "
                    + "governor's 1, 0, 2), not '" + dev.merit.problem.Clip.of(asked) + "'.");
        };
    }

    private ChainProposalView view(long payoutProposalId, boolean withLines) {
        ChainProposal cp = governance.byPayoutProposal(payoutProposalId);
        boolean timed = cp.voteStart != null || cp.voteEnd != null;
        ChainClock.BlockClock clock = timed ? chain.clockIfReachable().orElse(null) : null;
        ChainClock.Answering answering = chain.answering(clock, timed);
        PayoutProposal payout = PayoutProposal.findById(payoutProposalId);
        int decimals = Epoch.<Epoch>findById(payout.epochId).tokenDecimals;
        List<LineView> lines = withLines ? lines(payout, decimals) : null;
        return new ChainProposalView(cp.payoutProposalId, cp.onchainId, cp.governor, cp.vault, cp.vaultEpoch,
                cp.merkleRoot, TokenAmounts.format(cp.total, decimals), cp.total, decimals,
                ProposalState.ofChain(cp.state), TokenAmounts.format(cp.heldTotal == null ? BigInteger.ZERO : cp.heldTotal,
                        decimals), lines == null ? null
                        : (int) lines.stream().filter(l -> l.state().equals(LineState.HELD)).count(),
                cp.supersededBy,
                cp.votesFor, cp.votesAgainst, cp.votesAbstain, cp.quorum,
                cp.voteStart, cp.voteEnd, cp.eta, cp.description, clock == null ? null : clock.number(),
                chain.when(clock, cp.voteStart), chain.when(clock, cp.voteEnd), cp.executedBlock, cp.executedAt,
                outbox.of(cp.id).stream().map(TxView::of).toList(), lines, releases(cp, decimals),
                cp.returnedProposalIds(JSON), ClosedView.of(cp), answering.answering(), answering.silentSince());
    }

    /** The payout's paying lines: their state, and where and by which transaction each is paid. */
    private List<LineView> lines(PayoutProposal payout, int decimals) {
        List<PayoutLine> paying = PayoutLine.payingToRead(payout.id);
        List<dev.merit.payroll.PayoutLedger.Reading> readings = ledger.read(payout, paying);
        List<LineView> lines = new java.util.ArrayList<>(paying.size());
        for (int i = 0; i < paying.size(); i++) {
            PayoutLine l = paying.get(i);
            dev.merit.payroll.PayoutLedger.Reading r = readings.get(i);
            lines.add(new LineView(l.contributorId, r.wallet(), TokenAmounts.format(l.amount, decimals), l.amount,
                    r.state().state(), r.state().reason(), l.paidTxHash, r.linkedSince()));
        }
        return lines;
    }

    /** What the vote releases of earlier payouts' held shares, line by line, as the proposal recorded it. */
    private static List<ReleaseView> releases(ChainProposal cp, int decimals) {
        Map<Long, String> released = cp.releasedToMap(JSON);
        // Read in slices of ids, not a row at a time: a vote may release thousands of shares.
        Map<Long, PayoutLine> lines = new java.util.HashMap<>();
        IdSlices.list(released.keySet(), slice -> PayoutLine.<PayoutLine>list("id in ?1", slice))
                .forEach(l -> lines.put(l.id, l));
        Map<Long, String> names = new java.util.HashMap<>();
        IdSlices.list(lines.values().stream().map(l -> l.contributorId).toList(), slice -> dev.merit.contributor
                .Contributor.<dev.merit.contributor.Contributor>list("id in ?1", slice)).forEach(c -> names.put(c.id,
                c.displayName));
        return released.entrySet().stream().map(e -> {
            PayoutLine line = lines.get(e.getKey());
            return new ReleaseView(line.contributorId, names.getOrDefault(line.contributorId,
                    "contributor #" + line.contributorId), e.getValue(), TokenAmounts.format(line.amount, decimals),
                    line.amount, line.proposalId);
        }).toList();
    }
}
