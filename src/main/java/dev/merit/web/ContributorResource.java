package dev.merit.web;

import io.quarkus.panache.common.Sort;
import dev.merit.contributor.BotMarks;
import dev.merit.contributor.Identity;
import dev.merit.contributor.Contributor;
import dev.merit.contributor.ContributorMerge;
import dev.merit.ingest.IdentityMerges;
import dev.merit.problem.ProblemException;
import dev.merit.security.Access;
import dev.merit.security.MaintainerCall;
import dev.merit.scoring.ScoreQueries;
import dev.merit.payroll.PayoutWaterfall;
import io.quarkus.panache.common.Page;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

@Path("/api/contributors")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Contributors", description = "People and bots, with the identities they are known by")
public class ContributorResource {

    public record IdentityView(String kind, @Schema(description = "The e-mail address, login or wallet; an e-mail "
            + "address is shortened (a…@example.org) for readers other than maintainers") String handle,
                               String linkedBy) {
    }

    public record ContributorView(long id, String displayName, boolean bot, List<IdentityView> identities,
                                  @Schema(description = "The contributor this one was merged into (one person known "
                                          + "twice), while that merge stands") Long mergedInto,
                                  @Schema(description = "That merge's id (DELETE /api/contributors/merges/{id} undoes "
                                          + "it)") Long mergeId,
                                  @Schema(description = "A maintainer's latest mark of this contributor as a bot or a "
                                          + "person (who, when, why); absent when the rule decided, when Merit first "
                                          + "met the account") BotMarks.MarkView botMark) {
    }

    public record MergeRequest(@NotNull @Schema(description = "The contributor that stays: an id (#12), a login "
            + "(github:ada), an e-mail or a wallet address", examples = "#12") String into,
                               @NotNull @Schema(description = "The contributor merged into it (same forms)",
                                       examples = "ada@home.example") String from,
                               @Schema(description = "Who merges (recorded; default: maintainer)") String by,
                               @Schema(description = "Why: how the maintainer knows they are one person") String reason) {
    }

    public record BotRequest(@NotNull @Schema(description = "true: a bot (an automation account or a coding agent); "
            + "false: a person") Boolean bot,
                             @Schema(description = "Who decides (recorded; default: maintainer)") String by,
                             @Schema(description = "Why (recorded): how the maintainer knows") String reason) {
    }

    @GET
    @Operation(summary = "Find contributors", description = "By name, login or wallet (substring, "
            + "case-insensitive) or e-mail address (substring for maintainers, the whole address for others); all "
            + "when q is absent. E-mail addresses are shown whole to maintainers and shortened to others "
            + "(a…@example.org).")
    @APIResponse(responseCode = "200", description = "Matching contributors")
    @APIResponse(responseCode = "429", description = "Too many searches by an e-mail address from this client "
            + "address (merit.web.address-searches-per-minute; not for maintainers)")
    public List<ContributorView> search(@QueryParam("q") String q,
                                        @QueryParam("page") @DefaultValue("0") @Min(0) @Max(1_000_000) int page,
                                        @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size,
                                        @Context io.vertx.core.http.HttpServerRequest http) {
        List<Contributor> found;
        if (q == null || q.isBlank()) {
            found = Contributor.findAll(Sort.by("id")).page(Page.of(page, size)).list();
        } else {
            String asked = q.strip().toLowerCase(Locale.ROOT);
            // A '%' or '_' typed is that character, not a pattern (q=% listed everyone, c_rol found Carol).
            String like = "%" + asked.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            boolean whole = MaintainerCall.maintainerReads();
            if (asked.indexOf('@') >= 0 && !whole) {
                // Each such answer says whether an address is a contributor's: a list of addresses is not checked
                // against the directory at the speed of a script.
                addressSearches.acquire(dev.merit.security.RateLimiter.client(http));
            }
            // Others than maintainers find an e-mail address by the whole of it: a part of one would let a reader spell
            // out addresses they do not see, a character at a time.
            String byName = "lower(displayName) like ?1 escape '\\' or id in (select i.contributorId from Identity i "
                    + "where ";
            found = (whole ? Contributor.find(byName + "i.handle like ?1 escape '\\') order by id", like)
                    : Contributor.find(byName + "(i.kind <> ?2 and i.handle like ?1 escape '\\') or (i.kind = ?2 and "
                    + "lower(i.handle) = ?3)) order by id", like, Identity.Kind.GIT_EMAIL, asked))
                    .page(Page.of(page, size)).list();
        }
        Map<Long, BotMarks.MarkView> marks = BotMarks.lastMarks(found);
        Long own = readersOwn();
        return found.stream().map(c -> view(c, marks, own)).toList();
    }

    private final ScoreQueries scores;
    private final IdentityMerges merges;

    private final PayoutWaterfall waterfall;

    private final BotMarks botMarks;

    private final dev.merit.security.RateLimiter addressSearches;

    public ContributorResource(ScoreQueries scores, IdentityMerges merges, PayoutWaterfall waterfall, BotMarks botMarks,
                               dev.merit.security.WebConfig web) {
        this.addressSearches = new dev.merit.security.RateLimiter("search by e-mail address",
                web.addressSearchesPerMinute());
        this.scores = scores;
        this.merges = merges;
        this.waterfall = waterfall;
        this.botMarks = botMarks;
    }

    @PUT
    @Path("/{id}/bot")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Mark a contributor a bot or a person (maintainers)", description = "Merit reads an account "
            + "as a bot when it first meets it ('[bot]', the configured markers, '... Bot' or '... Robot' with a bot e-mail) and never "
            + "again by itself; a maintainer's mark overrides that for every scoring run after it. Recorded (who, when, "
            + "why, what it was). A bot is paid only in epochs whose policy includes bots and takes no share of a "
            + "change it is credited on beside a person. Runs and payout proposals made before keep what they "
            + "computed. Marking what the contributor is already records nothing ('changed': false).")
    @APIResponse(responseCode = "200", description = "The outcome, with the mark recorded")
    @APIResponse(responseCode = "404", description = "No such contributor")
    @APIResponse(responseCode = "409", description = "The contributor was merged into another: mark that one")
    public BotMarks.Marked markBot(@PathParam("id") long id, @Valid @NotNull BotRequest request) {
        return botMarks.mark(id, request.bot(), request.by(), request.reason());
    }

    @GET
    @Path("/bots")
    @Operation(summary = "Bot accounts, and accounts to review", description = "Every contributor counted as a bot "
            + "(and who decided: the rule when Merit first met it, or a maintainer); the contributors today's rule "
            + "reads otherwise than they are counted, which no maintainer has marked (each with the command that "
            + "changes it, for a person to check first); and every mark, newest first.")
    @APIResponse(responseCode = "200", description = "Bots, review, marks")
    public BotMarks.Accounts bots() {
        return botMarks.accounts(MaintainerCall.maintainerReads());
    }

    @POST
    @Path("/merges")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Merge two contributors who are one person (maintainers)", description = "The identities, "
            + "contributions and credits of 'from' move to 'into', so scoring runs from now on credit one person. "
            + "Recorded (who, when, every row moved) and undone by DELETE. Earlier scoring runs and payout proposals "
            + "are left as they are (they still verify); disputes and wallet claims keep the contributor they named.")
    @APIResponse(responseCode = "201", description = "Merged: what moved")
    @APIResponse(responseCode = "404", description = "No such contributor")
    @APIResponse(responseCode = "409", description = "The same contributor, one merged away already, a bot and a "
            + "person, or both with (different) wallets")
    public Response merge(@Valid @NotNull MergeRequest request, @Context UriInfo uri) {
        IdentityMerges.MergeView m = merges.merge(request.into(), request.from(), request.by(), request.reason());
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(m.id())).build()).entity(m).build();
    }

    @GET
    @Path("/merges")
    @Operation(summary = "Merges, newest first", description = "Standing and undone, with what each moved.")
    @APIResponse(responseCode = "200", description = "Merges")
    public List<IdentityMerges.MergeView> mergeList() {
        return merges.list(MaintainerCall.maintainerReads());
    }

    @GET
    @Path("/merges/{mergeId}")
    @Operation(summary = "One merge")
    @APIResponse(responseCode = "200", description = "The merge")
    @APIResponse(responseCode = "404", description = "No such merge")
    public IdentityMerges.MergeView mergeOne(@PathParam("mergeId") long mergeId) {
        return merges.get(mergeId, MaintainerCall.maintainerReads());
    }

    @DELETE
    @Path("/merges/{mergeId}")
    @Operation(summary = "Undo a merge (maintainers)", description = "Puts back exactly what the merge moved: "
            + "identities, the contributions' actors and credits. Contributions ingested while it stood stay with "
            + "the contributor merged into.")
    @APIResponse(responseCode = "200", description = "Undone")
    @APIResponse(responseCode = "404", description = "No such merge")
    @APIResponse(responseCode = "409", description = "Undone already, or a later merge changed the same contributor "
            + "or contributions (undo that one first)")
    public IdentityMerges.MergeView unmerge(@PathParam("mergeId") long mergeId,
                                            @Parameter(description = "Who undoes it (recorded)") @QueryParam("by") String by) {
        return merges.unmerge(mergeId, by);
    }

    @GET
    @Path("/merge-suggestions")
    @Operation(summary = "Pairs of contributors that may be one person", description = "The same name (case, accents "
            + "and punctuation aside), or a GitLab account whose events carry an e-mail that authored commits as "
            + "another contributor. Hints for a maintainer to check, never applied; a pair once unmerged is not "
            + "suggested again. 'blocker' says why a pair cannot be merged as it is.")
    @APIResponse(responseCode = "200", description = "Suggestions")
    @Access(Access.Role.MAINTAINER) // names e-mails GitLab profiles carry, which their owners did not publish here
    public List<IdentityMerges.Suggestion> suggestions() {
        return merges.suggestions();
    }

    @GET
    @Path("/{id}/history")
    @Operation(summary = "A contributor's standing across epochs", description = "For every scored epoch (its latest "
            + "run): rank, total score, share, contributions, and the payout of the epoch's latest payout proposal.")
    @APIResponse(responseCode = "200", description = "Oldest epoch first")
    @APIResponse(responseCode = "404", description = "No such contributor")
    public List<ScoreQueries.EpochStanding> history(@PathParam("id") long id) {
        return dev.merit.payroll.PayoutHistory.of(scores.history(id), id);
    }

    /** A contributor's page at a glance: the run's summary and, when a payout proposal stands, how points became tokens. */
    public record PageSummary(ScoreQueries.Summary summary,
                              @Schema(description = "Absent while no payout proposal of this run stands")
                              PayoutWaterfall.View payout) {
    }

    @GET
    @Path("/{id}/summary")
    @Operation(summary = "A contributor's standing in a run, summed up", description = "Total, rank and share; points "
            + "by type and by repository; the factors that touched their contributions; and the payout waterfall "
            + "(points, share, dampening, share of the budget, cap, minimum, amount and its state) of the run's "
            + "latest standing payout proposal. The run is the latest that scored the contributor when absent.")
    @APIResponse(responseCode = "200", description = "The summary")
    @APIResponse(responseCode = "404", description = "No such contributor or run, or not scored in it")
    public PageSummary summary(@PathParam("id") long id, @QueryParam("run") Long run) {
        long runId = run != null ? run : latestRun(id);
        return new PageSummary(scores.summary(runId, id), waterfall.of(runId, id).orElse(null));
    }

    @GET
    @Path("/{id}/contributions")
    @Operation(summary = "A contributor's contributions in a run, a page at a time", description = "Each with its "
            + "factors, its explanation, its share of the contributor's points and, for commits of a GitHub, GitLab, "
            + "Bitbucket or Codeberg repository, a link to it. Sorted by score (default), date, lines, type or "
            + "repository ('-' first: descending); filtered by type, repository, date range [from, to) and factor.")
    @APIResponse(responseCode = "200", description = "The page, with the number of contributions that match")
    @APIResponse(responseCode = "400", description = "Unknown sort, malformed factor or date")
    @APIResponse(responseCode = "404", description = "No such contributor or run, or not scored in it")
    public ScoreQueries.ContributionPage contributions(
            @PathParam("id") long id, @QueryParam("run") Long run,
            @QueryParam("page") @DefaultValue("0") @Min(0) @Max(1_000_000) int page,
            @QueryParam("size") @DefaultValue("25") @Min(1) @Max(200) int size,
            @Parameter(description = "score, date, lines, type or repository; '-' first for descending")
            @QueryParam("sort") @DefaultValue("-score") String sort,
            @QueryParam("type") String type, @QueryParam("repository") String repository,
            @Parameter(description = "ISO date or instant, inclusive") @QueryParam("from") String from,
            @Parameter(description = "ISO date or instant, exclusive") @QueryParam("to") String to,
            @Parameter(description = "A factor's name (credit_share, trivial, ci...)") @QueryParam("factor") String factor) {
        long runId = run != null ? run : latestRun(id);
        return scores.contributions(runId, id, new ScoreQueries.ContributionFilter(type, repository,
                instant("from", from), instant("to", to), factor == null || factor.isBlank() ? null : factor.strip(),
                sort, page, size));
    }

    private static java.time.Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            // A year the database cannot hold (+300000) reads as its first or last instant, not as a failed query.
            return dev.merit.ingest.OccurredAt.clamp(value.length() == 10
                    ? java.time.LocalDate.parse(value).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                    : java.time.Instant.parse(value));
        } catch (java.time.format.DateTimeParseException e) {
            throw ProblemException.invalid(name + " is a date (2026-05-01) or an instant (2026-05-01T12:00:00Z), "
                    + "not '" + (value.length() > 40 ? value.substring(0, 40) + "…" : value) + "'.");
        }
    }

    private static long latestRun(long contributorId) {
        Contributor.<Contributor>findByIdOptional(contributorId)
                .orElseThrow(() -> ProblemException.notFound("contributor", contributorId));
        Object run = io.quarkus.hibernate.orm.panache.Panache.getEntityManager().createNativeQuery(
                "select max(run_id) from contributor_score where contributor_id = ?1")
                .setParameter(1, contributorId).getSingleResult();
        if (run == null) {
            throw new ProblemException(ProblemException.Kind.NOT_FOUND, "not-scored", "Not scored", "Contributor "
                    + contributorId + " has not been scored in any run yet.", null);
        }
        return ((Number) run).longValue();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One contributor with identities")
    @APIResponse(responseCode = "200", description = "The contributor")
    @APIResponse(responseCode = "404", description = "No such contributor")
    public ContributorView get(@PathParam("id") long id) {
        return view(Contributor.<Contributor>findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("contributor", id)));
    }

    static ContributorView view(Contributor c) {
        return view(c, BotMarks.lastMarks(List.of(c)), readersOwn());
    }

    /**
     * The contributor whose wallet is signed in behind this read, if any: they read their own addresses whole, as a
     * wallet proven by their forge account or linked by a maintainer is proof enough that they are that person. A
     * wallet linked on a signed message alone (Identity.LinkedBy.SIWE, before claims had to be proven) is not.
     */
    private static Long readersOwn() {
        String wallet = MaintainerCall.readerWallet().orElse(null);
        if (wallet == null) {
            return null;
        }
        Identity linked = Identity.<Identity>find("kind = ?1 and handle = ?2 and linkedBy in ?3", Identity.Kind.WALLET,
                wallet.toLowerCase(Locale.ROOT), List.of(Identity.LinkedBy.FORGE_PROOF, Identity.LinkedBy.MANUAL))
                .firstResult();
        return linked == null ? null : linked.contributorId;
    }

    private static ContributorView view(Contributor c, Map<Long, BotMarks.MarkView> marks, Long readersOwn) {
        boolean full = MaintainerCall.maintainerReads();
        boolean whole = full || c.id.equals(readersOwn);
        List<IdentityView> identities = Identity.<Identity>list("contributorId = ?1 order by id", c.id).stream()
                .map(i -> new IdentityView(i.kind.name(), i.shown(whole), i.linkedBy.name())).toList();
        Optional<ContributorMerge> away = ContributorMerge.awayOf(c.id);
        return new ContributorView(c.id, c.displayName, c.bot, identities, away.map(m -> m.intoId).orElse(null),
                away.map(m -> m.id).orElse(null),
                full ? marks.get(c.id) : BotMarks.forPublic(marks.get(c.id)));
    }
}
