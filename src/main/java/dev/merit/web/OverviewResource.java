package dev.merit.web;

import dev.merit.epoch.Epoch;
import dev.merit.epoch.EpochResource.EpochView;
import dev.merit.governance.ChainProposal;
import dev.merit.governance.ChainClock;
import dev.merit.payroll.LineState;
import dev.merit.payroll.PayoutLedger;
import dev.merit.payroll.PayoutLine;
import dev.merit.payroll.PayoutProposal;
import dev.merit.payroll.ProposalState;
import dev.merit.audit.TokenAmounts;
import dev.merit.scoring.ScoreQueries;
import dev.merit.scoring.ScoringRun;
import io.quarkus.panache.common.Page;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;

/** The dashboard's home page in one read: which DAO, which epoch is open, what is up for a vote, who leads. */
@Path("/api/overview")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Overview", description = "The DAO at a glance")
public class OverviewResource {

    public record ProposalSummary(long id, long epochId, String epochName, String state, String stateText,
                                  String totalTokens, @Schema(type = SchemaType.STRING) BigInteger totalBaseUnits,
                                  int tokenDecimals, int lines, int heldLines,
                                  @Schema(description = "The voting deadline's block, when on chain") Long voteEndBlock,
                                  @Schema(description = "The voting deadline as a time, estimated from the chain's "
                                          + "pace of blocks") Instant voteEndsAt, Long currentBlock,
                                  @Schema(description = "Once executed: the block in which the governor executed it, "
                                          + "and that block's time (when it was paid)") Long executedBlock,
                                  Instant executedAt,
                                  @Schema(description = "On chain, while the chain cannot be read (its node stalled, "
                                          + "stopped or cut off): false, and its state and deadline are as Merit last "
                                          + "read them; null when not on chain") Boolean chainAnswering,
                                  @Schema(description = "Since when the chain's node has not answered (a call to it "
                                          + "timed out), if it has not") Instant chainSilentSince) {
    }

    public record Leaderboard(long runId, long epochId, String epochName, int contributors,
                              List<ScoreQueries.Standing> top) {
    }

    public record Overview(String dao, String tokenSymbol,
                           @Schema(description = "The epoch open now; else the latest one") EpochView currentEpoch,
                           @Schema(description = "Whether the current epoch is open now (false: the latest, ended or "
                                   + "not begun)") boolean epochOpen,
                           ProposalSummary latestProposal,
                           @Schema(description = "How many other payouts members are voting on now, besides "
                                   + "latestProposal (the newest of them)") long othersUpForVote,
                           @Schema(description = "The top five of the epoch open now, once it is scored; else of the "
                                   + "scored epoch that ends last among those begun (its latest scoring)") Leaderboard leaderboard,
                           @Schema(description = "Whether this caller acts as a maintainer without a token: the "
                                   + "embedded default, from the machine Merit runs on, naming it (the dashboard then "
                                   + "offers maintainers' controls)") boolean maintainerOnThisMachine) {
    }

    private final DaoConfig dao;
    private final ScoreQueries scores;
    private final ChainClock chain;
    private final PayoutLedger ledger;

    private final dev.merit.security.AccessFilter access;
    private final dev.merit.epoch.EpochService epochs;
    private final dev.merit.epoch.EpochPayments payments;

    public OverviewResource(DaoConfig dao, ScoreQueries scores, ChainClock chain, PayoutLedger ledger,
                            dev.merit.security.AccessFilter access, dev.merit.epoch.EpochService epochs,
                            dev.merit.epoch.EpochPayments payments) {
        this.access = access;
        this.epochs = epochs;
        this.payments = payments;
        this.dao = dao;
        this.scores = scores;
        this.chain = chain;
        this.ledger = ledger;
    }

    @GET
    @Operation(summary = "The DAO at a glance", description = "Its name and token, the epoch open now (or the latest) "
            + "with its budget, the latest payout proposal that still stands with its state and voting deadline, and "
            + "the top five of the latest scored epoch.")
    @APIResponse(responseCode = "200", description = "The overview; parts absent while there is nothing to show")
    public Overview get(@jakarta.ws.rs.core.Context jakarta.ws.rs.core.HttpHeaders headers,
                        @jakarta.ws.rs.core.Context io.vertx.core.http.HttpServerRequest http) {
        Instant now = Instant.now();
        Epoch open = Epoch.<Epoch>find("startsAt <= ?1 and endsAt > ?1 order by startsAt desc", now).firstResult();
        Epoch current = open != null ? open : Epoch.<Epoch>find("order by endsAt desc, id desc").firstResult();
        PayoutProposal latest = latestPayout();
        ScoringRun run = homeRun(open, now);
        Leaderboard leaders = null;
        if (run != null) {
            Epoch e = Epoch.findById(run.epochId);
            leaders = new Leaderboard(run.id, run.epochId, e.name, run.contributorCount, scores.standings(run.id, Page.of(0, 5)));
        }
        return new Overview(dao.name(), dao.tokenSymbol(), current == null ? null : dev.merit.epoch.EpochResource.view(current, epochs, payments), open != null,
                latest == null ? null : summary(latest), othersUpForVote(latest), leaders,
                access.trustedAsThisMachine(headers::getHeaderString, http));
    }

    /** The state of a payout members are voting on now. */
    private static final List<String> UP_FOR_VOTE = List.of("active");
    /** Payouts in the states {@code ?1} that may still pay: not approved yet, their period not taken. */
    private static final String MAY_PAY = "status in ?1 and periodTaken = false and approvedAt is null";

    /**
     * The payout the home page shows: one members are voting on now (the latest, if several), so that a member who
     * lands there is asked to vote; else one on its way on chain (a vote about to open, or passed and waiting to be
     * executed); else the latest that stands (paid, or still able to pay), not a canceled or replaced one made after
     * it, nor a draft the vault has passed, and not a draft of an epoch still running (a preview: it goes on chain
     * only once its epoch has ended) while another stands; else, when none stands, the latest that was not withdrawn.
     */
    private PayoutProposal latestPayout() {
        for (List<String> states : List.of(UP_FOR_VOTE, ProposalState.LIVE)) {
            PayoutProposal live = PayoutProposal.<PayoutProposal>find(MAY_PAY + " order by id desc", states)
                    .firstResult();
            if (live != null) {
                return live;
            }
        }
        Instant now = Instant.now();
        PayoutProposal standing = pick(PayoutProposal.<PayoutProposal>find("status not in ?1 and (periodTaken = false or "
                        + "approvedAt is not null) order by id desc", ProposalState.DEAD).page(0, 20).list(),
                p -> ledger.draftPassed(p) != null,
                p -> ProposalState.DRAFT.equals(p.status) && Epoch.<Epoch>findById(p.epochId).endsAt.isAfter(now));
        return standing != null ? standing
                : PayoutProposal.<PayoutProposal>find("status <> ?1 order by id desc", ProposalState.WITHDRAWN).firstResult();
    }

    /** Payouts members are voting on now besides {@code shown}: a member should not miss a second vote. */
    private static long othersUpForVote(PayoutProposal shown) {
        return PayoutProposal.count(MAY_PAY + " and id <> ?2", UP_FOR_VOTE, shown == null ? -1L : shown.id);
    }

    /**
     * Of payouts that stand, newest first: the first that is neither {@code passed} (a draft the vault has passed) nor
     * a {@code preview} (a draft of an epoch still running); else the first preview; else null.
     */
    static PayoutProposal pick(List<PayoutProposal> newestFirst, java.util.function.Predicate<PayoutProposal> passed,
                               java.util.function.Predicate<PayoutProposal> preview) {
        PayoutProposal firstPreview = null;
        for (PayoutProposal p : newestFirst) {
            if (passed.test(p)) {
                continue;
            }
            if (!preview.test(p)) {
                return p;
            }
            if (firstPreview == null) {
                firstPreview = p;
            }
        }
        return firstPreview;
    }

    /**
     * The scoring the home page leads with: the latest of the epoch open now, once it is scored, beside that epoch's
     * panel; else the latest of the scored epoch that ends last among those begun by {@code now} (last month's, in
     * the first days of a month not scored yet). A maintainer who scores an old epoch again (after a dispute) does not
     * turn the home page to it.
     */
    static ScoringRun homeRun(Epoch open, Instant now) {
        ScoringRun run = open == null ? null : ScoringRun.<ScoringRun>find("epochId = ?1 order by createdAt desc, id desc",
                open.id).firstResult();
        if (run != null) {
            return run;
        }
        return ScoringRun.<ScoringRun>find("select r from ScoringRun r join Epoch e on e.id = r.epochId "
                + "where e.startsAt <= ?1 order by e.endsAt desc, r.createdAt desc, r.id desc", now).firstResult();
    }

    private ProposalSummary summary(PayoutProposal p) {
        Epoch e = Epoch.findById(p.epochId);
        List<PayoutLine> lines = PayoutLine.payingToRead(p.id);
        ChainProposal cp = ChainProposal.<ChainProposal>find("payoutProposalId", p.id).firstResult();
        Long voteEnd = cp == null ? null : cp.voteEnd;
        ChainClock.BlockClock clock = voteEnd == null ? null : chain.clockIfReachable().orElse(null);
        ChainClock.Answering answering = cp == null ? null : chain.answering(clock, voteEnd != null);
        Instant endsAt = chain.when(clock, voteEnd);
        Long block = clock == null ? null : clock.number();
        String passed = ledger.draftPassed(p);
        return new ProposalSummary(p.id, p.epochId, e.name, p.status, ProposalState.describe(p, passed),
                TokenAmounts.format(p.budget, e.tokenDecimals), p.budget, e.tokenDecimals, lines.size(),
                (int) ledger.read(p, lines, passed).stream()
                        .filter(r -> r.state().state().equals(LineState.HELD)).count(), voteEnd, endsAt, block,
                cp == null ? null : cp.executedBlock, cp == null ? null : cp.executedAt,
                answering == null ? null : answering.answering(), answering == null ? null : answering.silentSince());
    }
}
