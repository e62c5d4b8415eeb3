package dev.merit.web;

import io.quarkus.panache.common.Sort;
import dev.merit.contributor.Identity;
import dev.merit.contributor.Contributor;
import dev.merit.problem.ProblemException;
import dev.merit.scoring.ScoreQueries;
import io.quarkus.panache.common.Page;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Locale;

@Path("/api/contributors")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Contributors", description = "People and bots, with the identities they are known by")
public class ContributorResource {

    public record IdentityView(String kind, String handle, String linkedBy) {
    }

    public record ContributorView(long id, String displayName, boolean bot, List<IdentityView> identities) {
    }

    @GET
    @Operation(summary = "Find contributors", description = "By name, e-mail, login or wallet (substring, "
            + "case-insensitive); all when q is absent.")
    @APIResponse(responseCode = "200", description = "Matching contributors")
    public List<ContributorView> search(@QueryParam("q") String q,
                                        @QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                        @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        List<Contributor> found;
        if (q == null || q.isBlank()) {
            found = Contributor.findAll(Sort.by("id")).page(Page.of(page, size)).list();
        } else {
            String like = "%" + q.strip().toLowerCase(Locale.ROOT) + "%";
            found = Contributor.find("lower(displayName) like ?1 or id in (select i.contributorId from Identity i "
                    + "where i.handle like ?1) order by id", like).page(Page.of(page, size)).list();
        }
        return found.stream().map(ContributorResource::view).toList();
    }

    private final ScoreQueries scores;

    public ContributorResource(ScoreQueries scores) {
        this.scores = scores;
    }

    @GET
    @Path("/{id}/history")
    @Operation(summary = "A contributor's standing across epochs", description = "For every scored epoch (its latest "
            + "run): rank, total score, share, contributions, and the payout of the epoch's latest payout proposal.")
    @APIResponse(responseCode = "200", description = "Oldest epoch first")
    @APIResponse(responseCode = "404", description = "No such contributor")
    public List<ScoreQueries.EpochStanding> history(@PathParam("id") long id) {
        return scores.history(id);
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
        List<IdentityView> identities = Identity.<Identity>list("contributorId = ?1 order by id", c.id).stream()
                .map(i -> new IdentityView(i.kind.name(), i.handle, i.linkedBy.name())).toList();
        return new ContributorView(c.id, c.displayName, c.bot, identities);
    }
}
