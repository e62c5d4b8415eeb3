package dev.merit.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.problem.ProblemException;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

@Path("/api/contributions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Contributions", description = "Stored contributions from every source")
public class ContributionResource {

    public record CreditView(long contributorId, String role) {
    }

    public record FileView(String path, String oldPath, String change, Integer linesAdded, Integer linesDeleted,
                           String category, int effectiveLines) {
    }

    /**
     * @param occurredAt  when it counts: a commit's, when it reached the tracked branch (the merge that brought it)
     * @param committedAt a commit's own committer date (null for other contributions, and for commits ingested before
     *                    Merit kept it)
     * @param lateFrom    the date it had when it reached Merit after its period was paid without it: it counts from
     *                    {@code occurredAt} instead (null when it did not)
     */
    public record ContributionView(long id, String source, String externalId, String kind, Instant occurredAt,
                                   Instant committedAt, Instant lateFrom, String repository, long actorId, String title,
                                   ContributionMetrics metrics, List<CreditView> credits, List<FileView> files) {
    }

    private final ObjectMapper json;

    public ContributionResource(ObjectMapper json) {
        this.json = json;
    }

    @GET
    @Operation(summary = "List contributions", description = "Newest first, filtered by contributor, repository "
            + "and time range [from, to).")
    @APIResponse(responseCode = "200", description = "A page of contributions (files omitted)")
    public List<ContributionView> list(@QueryParam("contributorId") Long contributorId,
                                       @QueryParam("repositoryId") Long repositoryId,
                                       @Parameter(description = "a day (2026-01-31) or an instant (2026-01-31T12:00:00Z)")
                                       @QueryParam("from") String fromText,
                                       @Parameter(description = "a day (2026-02-01) or an instant, excluded")
                                       @QueryParam("to") String toText,
                                       @QueryParam("page") @DefaultValue("0") @Min(0) @Max(1_000_000) int page,
                                       @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        Instant from = dev.merit.problem.QueryParams.instant("from", fromText);
        Instant to = dev.merit.problem.QueryParams.instant("to", toText);
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (contributorId != null) {
            where.add("id in (select c.id from Contribution c join c.credits cr where cr.contributorId = :contributor)");
            params.and("contributor", contributorId);
        }
        if (repositoryId != null) {
            where.add("repositoryId = :repository");
            params.and("repository", repositoryId);
        }
        if (from != null) {
            where.add("occurredAt >= :from");
            params.and("from", OccurredAt.clamp(from)); // a year the database cannot hold is its first or last
        }
        if (to != null) {
            where.add("occurredAt < :to");
            params.and("to", OccurredAt.clamp(to));
        }
        String query = (where.isEmpty() ? "" : String.join(" and ", where) + " ") + "order by occurredAt desc, id desc";
        return Contribution.<Contribution>find(query, params).page(Page.of(page, size)).list().stream()
                .map(c -> view(c, false)).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One contribution with its files")
    @APIResponse(responseCode = "200", description = "The contribution")
    @APIResponse(responseCode = "404", description = "No such contribution")
    public ContributionView get(@PathParam("id") long id) {
        return view(Contribution.<Contribution>findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("contribution", id)), true);
    }

    private ContributionView view(Contribution c, boolean withFiles) {
        ContributionMetrics metrics;
        try {
            metrics = json.readValue(c.metrics, ContributionMetrics.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metrics of contribution " + c.id + " are unreadable", e);
        }
        List<CreditView> credits = c.credits.stream().map(cr -> new CreditView(cr.contributorId, cr.role)).toList();
        List<FileView> files = withFiles ? c.files.stream().map(f -> new FileView(f.path, f.oldPath, f.change,
                f.linesAdded, f.linesDeleted, f.category, f.effectiveLines)).toList() : List.of();
        return new ContributionView(c.id, c.source, c.externalId, c.kind, c.occurredAt, c.committedAt, c.lateFrom, c.repository,
                c.actorId, c.title, metrics, credits, files);
    }
}
