package dev.merit.payroll;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.merit.audit.TokenAmounts;
import dev.merit.audit.TokenText;
import dev.merit.epoch.EpochService;
import dev.merit.ingest.LateArrivals;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@Path("/api/payout-proposals")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Payroll", description = "Payout proposals with exact amounts and a content hash anyone can recompute")
public class ProposalResource {

    public record Propose(@NotNull Long epochId,
                          @Schema(description = "Scoring run to pay from; the epoch's latest when absent") Long scoringRunId,
                          @JsonDeserialize(using = TokenText.class)
                          @Schema(type = SchemaType.STRING, description = "Budget in whole tokens, a decimal string "
                                  + "(\"1000\", \"12.5\"); the epoch's budget when absent") String budgetTokens,
                          @Schema(description = "A budgetTokens above the epoch's budget is meant (refused otherwise, "
                                  + "as a slipped digit)") Boolean aboveEpochBudget) {
    }

    public record LineView(int rank, long contributorId, String displayName, boolean bot, BigDecimal score,
                           @Schema(description = "amount in whole tokens, exact") String amountTokens,
                           @Schema(type = SchemaType.STRING, description = "amount in base units (tokens x 10^tokenDecimals)")
                           BigInteger amountBaseUnits,
                           @Schema(description = "to pay, held, claimable, paid, returned to the treasury, replaced, will not be paid, nothing to pay")
                           String state,
                           @Schema(description = "Why the line differs from its plain share, in words; absent when it does not")
                           String reason,
                           @Schema(description = "Where it is paid: the wallet when it went on chain") String wallet,
                           @Schema(description = "The transaction that paid it") String paidTxHash,
                           @Schema(description = "A held line's contributor had no wallet when it went on chain: the "
                                   + "wallet linked since, which a later vote can release the share to")
                           String walletLinkedSince) {
    }

    public record ProposalView(long id, long epochId, long scoringRunId, String budgetTokens,
                               @Schema(type = SchemaType.STRING) BigInteger budgetBaseUnits, int tokenDecimals,
                               String modelVersion, String contentHash,
                               @Schema(description = "draft, withdrawn, superseded, pending, active, succeeded, queued, "
                                       + "executed, defeated, canceled or expired") String state,
                               @Schema(description = "What the state means, in a sentence") String stateText,
                               Long supersededBy, Instant createdAt,
                               @Schema(description = "When the vault approved it: the time of the block that "
                                       + "executed it (when Merit recorded the execution, where that block was not "
                                       + "found); null until then") Instant approvedAt, String howToVerify,
                               @Schema(description = "The epoch's name") String epochName,
                               @Schema(type = SchemaType.STRING, description = "The epoch's own budget, base units: "
                                       + "a proposal made with another budget says so") BigInteger epochBudgetBaseUnits,
                               List<LineView> lines,
                               @Schema(description = "Another payout took its period on the vault: it can never be paid, "
                                       + "whatever its vote (a draft: the vault has approved pay past its epoch's start, "
                                       + "so it can never go on chain)") boolean periodTaken,
                               @Schema(description = "Contributions dated in its epoch that its scoring run did not read "
                                       + "(stored after it began), which it does not pay (history: those read in bulk, "
                                       + "which its approval does not move to a later period). Given by GET /{id} while "
                                       + "it may still be paid; null in lists and once it is approved or can no longer "
                                       + "be") LateArrivals.Unread storedAfterRun,
                               @Schema(description = "Other epochs starting before this one's epoch ends that no "
                                       + "payout has paid, which no payout can pay once this one is approved (the "
                                       + "vault pays periods once and in order): how many, how many of them share its "
                                       + "time, and the latest " + CLOSES_SHOWN + " of them, latest first. Given by "
                                       + "GET /{id} while it may still be paid; null in lists and once it is approved "
                                       + "or can no longer be") PayoutLedger.Closes closes) {

        ProposalView whileItMayPay(LateArrivals.Unread n, PayoutLedger.Closes closing) {
            return new ProposalView(id, epochId, scoringRunId, budgetTokens, budgetBaseUnits, tokenDecimals, modelVersion,
                    contentHash, state, stateText, supersededBy, createdAt, approvedAt, howToVerify, epochName,
                    epochBudgetBaseUnits, lines, periodTaken, n, closing);
        }
    }

    static final int CLOSES_SHOWN = 20;

    private final PayrollService payroll;
    private final EpochService epochs;
    private final PayoutLedger ledger;
    private final PayoutWaterfall waterfall;
    private final ApprovalTimes approvals;

    public ProposalResource(PayrollService payroll, EpochService epochs, PayoutLedger ledger, PayoutWaterfall waterfall,
                            ApprovalTimes approvals) {
        this.payroll = payroll;
        this.epochs = epochs;
        this.ledger = ledger;
        this.waterfall = waterfall;
        this.approvals = approvals;
    }

    @POST
    @Operation(summary = "Propose a payout", description = "Shares the budget by the run's scores under the epoch's "
            + "policy. Amounts are whole base units summing exactly to the budget.")
    @APIResponse(responseCode = "201", description = "The proposal with its lines")
    @APIResponse(responseCode = "400", description = "Invalid budget, or a run of another epoch")
    @APIResponse(responseCode = "404", description = "No such epoch or run")
    @APIResponse(responseCode = "409", description = "The run counts someone as a bot or a person otherwise than a "
            + "maintainer has marked them since: score the epoch again")
    @APIResponse(responseCode = "422", description = "Epoch not scored, the policy cannot be met, or a budget above "
            + "the epoch's without aboveEpochBudget")
    public Response propose(@Valid @NotNull Propose request, UriInfo uri) {
        BigInteger budget = request.budgetTokens() == null ? null : TokenAmounts.parse("budgetTokens",
                request.budgetTokens(), epochs.get(request.epochId()).tokenDecimals);
        PayoutProposal p = payroll.propose(request.epochId(), request.scoringRunId(), budget,
                Boolean.TRUE.equals(request.aboveEpochBudget()));
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(p.id)).build()).entity(view(p)).build();
    }

    @GET
    @Operation(summary = "Payout proposals, newest first; optionally of one epoch")
    @APIResponse(responseCode = "200", description = "Proposals (lines omitted)")
    public List<ProposalView> list(@QueryParam("epochId") Long epochId) {
        List<PayoutProposal> all = payroll.list(epochId);
        Map<Long, Instant> onChain = approvals.onChain(all.stream().filter(p -> p.approvedAt != null).map(p -> p.id)
                .toList());
        return all.stream().map(p -> summary(p, List.of(), ledger.draftPassed(p), onChain.get(p.id))).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One proposal with its payout table")
    @APIResponse(responseCode = "200", description = "The proposal")
    @APIResponse(responseCode = "404", description = "No such proposal")
    public ProposalView get(@PathParam("id") long id) {
        PayoutProposal p = payroll.get(id);
        ProposalView view = view(p);
        LateArrivals.Unread unread = ledger.storedAfterRun(p, view.periodTaken());
        PayoutLedger.Closes closes = ledger.closes(p, view.periodTaken(), CLOSES_SHOWN);
        return unread == null && closes == null ? view : view.whileItMayPay(unread, closes);
    }

    @GET
    @Path("/{id}/inputs")
    @Operation(summary = "The canonical inputs document", description = "Exactly the bytes whose SHA-256 is the "
            + "proposal's content hash: scores per contribution, policy, model version and hash.")
    @APIResponse(responseCode = "200", description = "Canonical JSON")
    @APIResponse(responseCode = "404", description = "No such proposal")
    public Response inputs(@PathParam("id") long id) {
        return Response.ok(payroll.get(id).inputs, MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("/{id}/verification")
    @Operation(summary = "Recompute the proposal", description = "Recomputes the content hash and every amount from "
            + "the stored inputs and compares them with the stored proposal.")
    @APIResponse(responseCode = "200", description = "Verification result")
    @APIResponse(responseCode = "404", description = "No such proposal")
    public PayrollService.Verification verify(@PathParam("id") long id) {
        return payroll.verify(id);
    }

    @GET
    @Path("/{id}/lines.csv")
    @Produces("text/csv")
    @Operation(summary = "Payout table as CSV", description = "Exact amounts in base units and in tokens.")
    @APIResponse(responseCode = "200", description = "CSV with a header row")
    @APIResponse(responseCode = "404", description = "No such proposal")
    public Response csv(@PathParam("id") long id) {
        ProposalView p = view(payroll.get(id));
        StringBuilder out = new StringBuilder("rank,contributor_id,name,bot,score,amount_base_units,amount_tokens,state,"
                + "reason,wallet,paid_tx,wallet_linked_since\n");
        for (LineView l : p.lines()) {
            out.append(l.rank()).append(',').append(l.contributorId()).append(',').append(csvField(l.displayName()))
                    .append(',').append(l.bot()).append(',').append(l.score().toPlainString()).append(',')
                    .append(l.amountBaseUnits()).append(',').append(l.amountTokens()).append(',').append(l.state())
                    .append(',').append(csvField(l.reason())).append(',').append(csvField(l.wallet())).append(',')
                    .append(csvField(l.paidTxHash())).append(',').append(csvField(l.walletLinkedSince())).append('\n');
        }
        return Response.ok(out.toString(), "text/csv")
                .header("Content-Disposition", "attachment; filename=\"payout-proposal-" + id + ".csv\"").build();
    }

    private ProposalView view(PayoutProposal p) {
        List<PayoutLine> lines = payroll.linesToRead(p.id);
        Map<Long, PayrollService.Named> people = payroll.contributors(lines);
        int decimals = epochs.get(p.epochId).tokenDecimals;
        String passed = ledger.draftPassed(p);
        List<PayoutLedger.Reading> readings = ledger.read(p, lines, passed);
        List<LineView> views = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            PayoutLine l = lines.get(i);
            PayoutLedger.Reading r = readings.get(i);
            PayrollService.Named c = people.get(l.contributorId);
            // A bot as the proposal counted it (its stored inputs), not as a maintainer may have marked it since.
            boolean bot = waterfall.countedAsBot(p, l.contributorId).orElse(c != null && c.bot());
            views.add(new LineView(l.rank, l.contributorId, c == null ? "?" : c.displayName(), bot, l.score,
                    TokenAmounts.format(l.amount, decimals), l.amount, r.state().state(), r.state().reason(), r.wallet(),
                    l.paidTxHash, r.linkedSince()));
        }
        return summary(p, views, passed, p.approvedAt == null ? null : approvals.onChain(List.of(p.id)).get(p.id));
    }

    /**
     * {@code passed}: {@link PayoutLedger#draftPassed} of {@code p}; {@code onChain}: the time of the block that
     * executed it, when known ({@link ApprovalTimes}).
     */
    private ProposalView summary(PayoutProposal p, List<LineView> lines, String passed, Instant onChain) {
        var epoch = epochs.get(p.epochId);
        int decimals = epoch.tokenDecimals;
        return new ProposalView(p.id, p.epochId, p.scoringRunId, TokenAmounts.format(p.budget, decimals), p.budget, decimals,
                p.modelVersion, p.contentHash, p.status, ProposalState.describe(p, passed), p.supersededBy, p.createdAt,
                p.approvedAt == null ? null : onChain != null ? onChain : p.approvedAt,
                "sha256 of GET /api/payout-proposals/" + p.id + "/inputs equals contentHash; "
                        + "GET /api/payout-proposals/" + p.id + "/verification recomputes every amount", epoch.name,
                epoch.budget, lines, ProposalState.periodTaken(p) || passed != null, null, null);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Withdraw a draft", description = "A draft that should not be paid is withdrawn (kept, for "
            + "the record, with the state withdrawn). A proposal on chain is decided by the DAO's vote instead.")
    @APIResponse(responseCode = "200", description = "The withdrawn proposal")
    @APIResponse(responseCode = "404", description = "No such proposal")
    @APIResponse(responseCode = "409", description = "Not a draft")
    public ProposalView withdraw(@PathParam("id") long id) {
        return view(ledger.withdraw(id));
    }

    static String csvField(String s) {
        if (s == null || s.isEmpty()) {
            return "";
        }
        // A spreadsheet reads a cell opening with = + - @ (or a tab or carriage return before one) as a formula: a
        // contributor's name "=HYPERLINK(...)" would be a live link in the treasurer's sheet. Such a cell opens with
        // ' instead. (The pattern this replaces missed a name with a line break in it: "." stops at line breaks.)
        String safe = "=+-@\t\r".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
        boolean quote = safe.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r');
        return quote ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
    }
}
