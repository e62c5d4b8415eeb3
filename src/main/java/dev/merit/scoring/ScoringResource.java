package dev.merit.scoring;

import dev.merit.problem.ProblemException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.merit.scoring.policy.PolicyText;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.Valid;
import dev.merit.audit.Pages;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
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
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

@Path("/api/scoring-runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Scoring", description = "Scoring runs, leaderboards and explained score breakdowns")
public class ScoringResource {

    public record StartRun(@NotNull Long epochId) {
    }

    public record RunView(long id, long epochId, String modelVersion, String modelHash, String policyHash,
                          String inputHash, int contributionCount, int contributorCount, BigDecimal totalScore,
                          Instant createdAt,
                          @Schema(description = "The policy document applied, as data (canonical JSON; its SHA-256 is policyHash)")
                          JsonNode policy,
                          @Schema(description = "What each rule of the policy means, in words generated from the document "
                                  + "(not hashed: rewording never changes a hash)")
                          List<PolicyText.Line> policyRules) {
        static RunView of(ScoringRun r) {
            JsonNode policy = parse(r.policy);
            return new RunView(r.id, r.epochId, r.modelVersion, r.modelHash, r.policyHash, r.inputHash, r.contributionCount,
                    r.contributorCount, r.totalScore, r.createdAt, policy, PolicyText.describe(policy));
        }

        private static final ObjectMapper JSON = new ObjectMapper();

        private static JsonNode parse(String policy) {
            try {
                return policy == null ? null : JSON.readTree(policy);
            } catch (IOException e) {
                throw new IllegalStateException("stored policy is not JSON", e);
            }
        }
    }

    private final ScoringService scoring;
    private final ScoreQueries queries;

    private final RunComparison comparison;

    public ScoringResource(ScoringService scoring, ScoreQueries queries, RunComparison comparison) {
        this.scoring = scoring;
        this.queries = queries;
        this.comparison = comparison;
    }

    @GET
    @Path("/{id}/changes")
    @Operation(summary = "What changed since another run of the epoch", description = "Before proposing a re-scored "
            + "epoch's payout: whether the model, policy and inputs changed, every contributor whose total or rank "
            + "moved, and the contributions whose score moved most, with the factors that changed and the new factors' "
            + "reasons (a dispute's correction, a declined issue, ...).")
    @APIResponse(responseCode = "200", description = "The changes")
    @APIResponse(responseCode = "400", description = "No 'since' run, or a limit outside 1-1000")
    @APIResponse(responseCode = "404", description = "No such run")
    @APIResponse(responseCode = "422", description = "The runs scored different epochs")
    public RunComparison.Comparison changes(@PathParam("id") long id, @QueryParam("since") Long since,
                                            @QueryParam("limit") Integer limit) {
        if (since == null) {
            throw ProblemException.invalid("Name the run to compare with: ?since=RUN_ID (an earlier "
                    + "run of the same epoch).");
        }
        int top = limit == null ? 50 : limit;
        if (top < 1 || top > 1000) {
            throw ProblemException.invalid("limit must be between 1 and 1000.");
        }
        return comparison.compare(since, id, top);
    }

    @POST
    @Operation(summary = "Score an epoch", description = "Scores every contribution in the epoch's date range "
            + "with the current model. The run records the model hash, the policy hash and a hash of its inputs.")
    @APIResponse(responseCode = "201", description = "The run")
    @APIResponse(responseCode = "404", description = "No such epoch")
    @APIResponse(responseCode = "422", description = "The epoch has no contributions")
    @APIResponse(responseCode = "503", description = "The scoring model is missing or fails verification")
    public Response start(@Valid @NotNull StartRun request, UriInfo uri) {
        ScoringRun run = scoring.runAlone(request.epochId());
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(run.id)).build())
                .entity(RunView.of(run)).build();
    }

    @GET
    @Operation(summary = "Scoring runs, newest first; optionally of one epoch")
    @APIResponse(responseCode = "200", description = "Runs")
    public List<RunView> list(@QueryParam("epochId") Long epochId) {
        List<ScoringRun> runs = epochId == null ? ScoringRun.list("order by createdAt desc, id desc")
                : ScoringRun.list("epochId = ?1 order by createdAt desc, id desc", epochId);
        return runs.stream().map(RunView::of).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One scoring run")
    @APIResponse(responseCode = "200", description = "The run")
    @APIResponse(responseCode = "404", description = "No such run")
    public RunView get(@PathParam("id") long id) {
        return RunView.of(scoring.get(id));
    }

    @GET
    @Path("/{id}/contributors")
    @Operation(summary = "Leaderboard of a run", description = "Contributors by total score; share is of the run's "
            + "total. Every standing when neither page nor size is given; otherwise one page of them (size 50 unless "
            + "given), read from the database page by page, and the run's contributorCount says how many there are.")
    @APIResponse(responseCode = "200", description = "Standings, rank 1 first")
    @APIResponse(responseCode = "400", description = "A page below 0 or a size outside 1 to 1000")
    @APIResponse(responseCode = "404", description = "No such run")
    public List<ScoreQueries.Standing> standings(@PathParam("id") long id,
                                                 @Parameter(description = "Page number, from 0") @QueryParam("page") @Min(0) @Max(1_000_000) Integer page,
                                                 @Parameter(description = "Standings a page (1 to 1000)") @QueryParam("size") @Min(1) @Max(1000) Integer size) {
        return queries.standings(id, Pages.optional(page, size));
    }

    @GET
    @Path("/{id}/contributors/{contributorId}")
    @Operation(summary = "Score breakdown of one contributor",
            description = "Every contribution with its factors. LINES factors sum to the effective lines; SCORE "
                    + "factors fold in order (SET, then MULTIPLY/ADD, each rounded half-even to 6 decimals) into the "
                    + "score; the contributor's total is the exact sum of the scores. With the learned model, each "
                    + "contribution also has an explanation: every type's probability, the features that pushed most "
                    + "toward the predicted type, the type the author declared (which the classifier does not see), the "
                    + "predicted type's calibrated probability (confidence) and whether it is below the model's unsure "
                    + "threshold (unsure: the type is probably, not certainly, right; a dispute is welcome).")
    @APIResponse(responseCode = "200", description = "The breakdown")
    @APIResponse(responseCode = "404", description = "No such run or contributor, or not scored in this run")
    public ScoreQueries.Breakdown breakdown(@PathParam("id") long id, @PathParam("contributorId") long contributorId) {
        return queries.breakdown(id, contributorId);
    }
}
