package dev.merit.scoring;

import dev.merit.contributor.SiweService;
import dev.merit.problem.ProblemException;
import dev.merit.security.Access;
import dev.merit.security.Sessions;
import jakarta.validation.Valid;
import dev.merit.audit.Pages;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

@Path("/api/disputes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Disputes", description = "Contributors dispute the type the model gave their work; maintainers answer")
public class DisputeResource {

    public record OpenDispute(@NotNull Long runId, @NotNull Long contributionId,
                              @Schema(description = "The type it is (feature, fix, perf, refactor, test, docs, build, "
                                      + "chore, style, revert); omitted: only 'not the scored type'") String claimedType,
                              @NotNull String reason) {
    }

    public record Answer(@Schema(description = "Accept: the correct type (default: the claimed one)") String type,
                         @Schema(description = "Required to reject; the contributor reads it") String answer,
                         @Schema(description = "Who answers (shown with the answer)") String by) {
    }

    private final DisputeService disputes;
    private final SiweService siwe;

    public DisputeResource(DisputeService disputes, SiweService siwe) {
        this.disputes = disputes;
        this.siwe = siwe;
    }

    @POST
    @Access(Access.Role.CONTRIBUTOR)
    @Operation(summary = "Dispute a contribution's type", description = "The signed-in contributor says the type a "
            + "scoring run gave one of their commits or pull requests is wrong, and why. A maintainer answers; an accepted "
            + "dispute sets the type in every later scoring run of its epoch (score the epoch again to apply it).")
    @APIResponse(responseCode = "201", description = "Opened")
    @APIResponse(responseCode = "400", description = "No reason, an unknown type, or the type it already has")
    @APIResponse(responseCode = "401", description = "Not signed in")
    @APIResponse(responseCode = "403", description = "The wallet is not linked to a contributor")
    @APIResponse(responseCode = "404", description = "Not the signed-in contributor's contribution in that run")
    @APIResponse(responseCode = "409", description = "A dispute of it is open already, or one corrected it already")
    @APIResponse(responseCode = "429", description = "The contributor has 25 open disputes")
    @APIResponse(responseCode = "422", description = "A review, issue or comment: its type is not the model's")
    public Response open(@Valid @NotNull OpenDispute request, @CookieParam(Sessions.COOKIE) String token, @Context UriInfo uri) {
        SiweService.Session session = siwe.require(token);
        if (session.contributorId() == null) {
            throw new ProblemException(ProblemException.Kind.FORBIDDEN, "no-contributor", "Wallet not linked",
                    "Wallet " + session.address() + " is not linked to a contributor: link it (\"This is me\") before "
                            + "disputing a score.", null);
        }
        DisputeService.View d = disputes.open(session.contributorId(), request.runId(), request.contributionId(),
                request.claimedType(), request.reason());
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(d.id())).build()).entity(d).build();
    }

    @GET
    @Operation(summary = "Disputes, oldest first", description = "Open, accepted and rejected disputes with their "
            + "reasons and answers; filter by status (open, accepted, rejected) and contributor. Every one when neither "
            + "page nor size is given; otherwise one page of them (size 50 unless given), read from the database. With after (a "
            + "dispute id), the page of disputes opened after that one: the way to page a list that is being answered "
            + "while it is read (an offset would skip or repeat one).")
    @APIResponse(responseCode = "200", description = "Disputes")
    @APIResponse(responseCode = "400", description = "Unknown status, a page outside 0 to 1,000,000, a size outside 1 "
            + "to 1000, or both page and after")
    public List<DisputeService.View> list(@QueryParam("status") String status, @QueryParam("contributorId") Long contributorId,
                                          @Parameter(description = "Page number, from 0") @QueryParam("page") @Min(0) @Max(1_000_000) Integer page,
                                          @Parameter(description = "Disputes a page (1 to 1000)") @QueryParam("size") @Min(1) @Max(1000) Integer size,
                                          @Parameter(description = "Only disputes opened after this one (its id; 0: from the first)")
                                          @QueryParam("after") @Min(0) Long after) {
        if (after != null && page != null) {
            throw ProblemException.invalid("Page by 'after' (the last dispute id you have) or by 'page', not both.");
        }
        // Paging by key needs a size: the default one when none is given.
        Integer rows = after != null && size == null ? Integer.valueOf(Pages.DEFAULT_SIZE) : size;
        List<DisputeService.View> found = disputes.list(status(status), contributorId, Pages.optional(page, rows),
                after);
        return dev.merit.security.MaintainerCall.maintainerReads() ? found
                : found.stream().map(DisputeResource::forPublic).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One dispute")
    @APIResponse(responseCode = "200", description = "The dispute")
    @APIResponse(responseCode = "404", description = "No such dispute")
    public DisputeService.View get(@PathParam("id") long id) {
        DisputeService.View d = disputes.get(id);
        return dev.merit.security.MaintainerCall.maintainerReads() ? d : forPublic(d);
    }

    @POST
    @Path("/{id}/accept")
    @Operation(summary = "Accept a dispute (maintainers)", description = "Sets the contribution's type (the claimed "
            + "one unless another is named) for every scoring run from now on.")
    @APIResponse(responseCode = "200", description = "Accepted")
    @APIResponse(responseCode = "400", description = "No type to set, or an unknown one")
    @APIResponse(responseCode = "409", description = "Settled already")
    public DisputeService.View accept(@PathParam("id") long id, Answer answer) {
        Answer a = answer == null ? new Answer(null, null, null) : answer;
        return disputes.accept(id, a.type(), a.answer(), a.by());
    }

    @POST
    @Path("/{id}/reject")
    @Operation(summary = "Reject a dispute (maintainers)", description = "The type stands; the answer says why.")
    @APIResponse(responseCode = "200", description = "Rejected")
    @APIResponse(responseCode = "400", description = "No answer")
    @APIResponse(responseCode = "409", description = "Settled already")
    public DisputeService.View reject(@PathParam("id") long id, Answer answer) {
        Answer a = answer == null ? new Answer(null, null, null) : answer;
        if (a.type() != null) {
            // A type sent with a rejection would read as applied, and is not: the model's type stands.
            throw ProblemException.invalid("A rejected dispute keeps the model's type, so 'type' is not taken here: "
                    + "accept the dispute (POST /api/disputes/" + id + "/accept) to set a type.");
        }
        return disputes.reject(id, a.answer(), a.by());
    }

    /** A dispute as readers other than maintainers see it: e-mail addresses in who answered shortened. */
    private static DisputeService.View forPublic(DisputeService.View d) {
        return new DisputeService.View(d.id(), d.runId(), d.contributionId(), d.contribution(), d.title(),
                d.contributorId(), d.scoredType(), d.claimedType(), d.reason(), d.status(), d.openedAt(), d.settledAt(),
                dev.merit.contributor.Identity.shortenEmailsIn(d.settledBy()),
                dev.merit.contributor.Identity.shortenEmailsIn(d.settledVia()), d.answer(), d.correctedType(),
                d.contributorName(), d.epochId(), d.epochName(), d.points(), d.typeFactor(), d.askedWeight(),
                d.pointsAsked());
    }

    /** A status named in a request (open, accepted, rejected; blank or all: any, as the dashboard's tab says). */
    public static Dispute.Status status(String status) {
        if (status == null || status.isBlank() || status.strip().equalsIgnoreCase("all")) {
            return null;
        }
        try {
            return Dispute.Status.valueOf(status.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("Unknown status '" + dev.merit.problem.Clip.of(status)
                    + "': open, accepted, rejected or all.");
        }
    }
}
