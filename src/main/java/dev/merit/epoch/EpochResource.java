package dev.merit.epoch;

import dev.merit.problem.Problem;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;

@Path("/api/epochs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Epochs", description = "Pay periods, their budgets and payout policies")
public class EpochResource {

    @Schema(description = "Payout policy; amounts are token base units as decimal strings")
    public record PolicyView(@Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                     examples = "0") BigInteger minPayout,
                             @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                     nullable = true) BigInteger cap,
                             boolean sqrtDampening, boolean includeBots) {
        PayoutPolicy toPolicy() {
            return new PayoutPolicy(minPayout, cap, sqrtDampening, includeBots);
        }

        static PolicyView of(PayoutPolicy p) {
            return new PolicyView(p.minPayout(), p.cap(), p.sqrtDampening(), p.includeBots());
        }
    }

    public record CreateEpoch(@NotBlank @Size(max = 128) String name,
                              @NotNull @Schema(examples = "2026-11-01T00:00:00Z") Instant startsAt,
                              @NotNull @Schema(examples = "2026-12-01T00:00:00Z") Instant endsAt,
                              @NotNull @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                      description = "Token base units", examples = "1000000000000000000000") BigInteger budget,
                              @Schema(description = "Decimals of the payout token (default 18)") Integer tokenDecimals,
                              @Valid PolicyView policy) {
    }

    public record EpochView(long id, String name, Instant startsAt, Instant endsAt,
                            @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING) BigInteger budget,
                            int tokenDecimals, PolicyView policy, Instant createdAt) {
        public static EpochView of(Epoch e) {
            return new EpochView(e.id, e.name, e.startsAt, e.endsAt, e.budget, e.tokenDecimals,
                    PolicyView.of(e.policy()), e.createdAt);
        }
    }

    private final EpochService epochs;

    public EpochResource(EpochService epochs) {
        this.epochs = epochs;
    }

    @GET
    @Operation(summary = "List epochs")
    @APIResponse(responseCode = "200", description = "All epochs, oldest first")
    public List<EpochView> list() {
        return epochs.list().stream().map(EpochView::of).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One epoch")
    @APIResponse(responseCode = "200", description = "The epoch")
    @APIResponse(responseCode = "404", description = "No such epoch",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public EpochView get(@PathParam("id") long id) {
        return EpochView.of(epochs.get(id));
    }

    @POST
    @Operation(summary = "Create an epoch")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "400", description = "Invalid dates, budget or policy (e.g. cap below minimum)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "An epoch with this name exists",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(@Valid @NotNull CreateEpoch request, UriInfo uri) {
        Epoch epoch = epochs.create(new EpochService.NewEpoch(request.name(), request.startsAt(), request.endsAt(),
                request.budget(), request.tokenDecimals(), request.policy() == null ? null : request.policy().toPolicy()));
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(epoch.id)).build())
                .entity(EpochView.of(epoch)).build();
    }
}
