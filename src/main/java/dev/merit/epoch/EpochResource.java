package dev.merit.epoch;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.merit.audit.TokenAmounts;
import dev.merit.audit.TokenText;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

@Path("/api/epochs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Epochs", description = "Pay periods, their budgets and payout policies")
public class EpochResource {

    @Schema(description = "Payout policy of a new epoch; amounts are whole tokens as decimal strings")
    public record PolicyRequest(@JsonDeserialize(using = TokenText.class) @Schema(type = SchemaType.STRING,
                                        examples = "0", description = "Least payout in tokens; smaller shares go to others")
                                String minPayoutTokens,
                                @JsonDeserialize(using = TokenText.class) @Schema(type = SchemaType.STRING,
                                        examples = "250", description = "Most one contributor gets, in tokens (absent: no cap)")
                                String capTokens,
                                boolean sqrtDampening, boolean includeBots) {
        PayoutPolicy toPolicy(int decimals) {
            return new PayoutPolicy(TokenAmounts.parse("policy.minPayoutTokens", minPayoutTokens, decimals),
                    TokenAmounts.parse("policy.capTokens", capTokens, decimals), sqrtDampening, includeBots);
        }
    }

    @Schema(description = "Payout policy; every amount in tokens and in base units (tokens x 10^tokenDecimals)")
    public record PolicyView(String minPayoutTokens, @Schema(type = SchemaType.STRING) BigInteger minPayoutBaseUnits,
                             @Schema(nullable = true) String capTokens,
                             @Schema(type = SchemaType.STRING, nullable = true) BigInteger capBaseUnits,
                             boolean sqrtDampening, boolean includeBots) {
        static PolicyView of(PayoutPolicy p, int decimals) {
            return new PolicyView(TokenAmounts.format(p.minPayout(), decimals), p.minPayout(),
                    TokenAmounts.format(p.cap(), decimals), p.cap(), p.sqrtDampening(), p.includeBots());
        }
    }

    public record CreateEpoch(@NotBlank @Size(max = 128) String name,
                              @NotNull @Schema(examples = "2026-11-01T00:00:00Z") Instant startsAt,
                              @NotNull @Schema(examples = "2026-12-01T00:00:00Z") Instant endsAt,
                              @NotNull @JsonDeserialize(using = TokenText.class) @Schema(type = SchemaType.STRING,
                                      description = "Budget in whole tokens, a decimal string (\"1000\", \"12.5\"); "
                                              + "JSON numbers are refused", examples = "1000") String budgetTokens,
                              @Schema(description = "Decimals of the payout token (default merit.payroll.token-decimals, 18)") Integer tokenDecimals,
                              @Valid PolicyRequest policy) {
    }

    public record EpochView(long id, String name, Instant startsAt, Instant endsAt, String budgetTokens,
                            @Schema(type = SchemaType.STRING) BigInteger budgetBaseUnits,
                            int tokenDecimals, PolicyView policy, Instant createdAt,
                            @Schema(description = "Other epochs whose periods share time with this one: a contribution "
                                    + "in the shared time is scored in each, and any stretch of time is paid once")
                            List<EpochRef> overlaps,
                            @Schema(nullable = true, description = "The payout that paid this epoch (approved on chain "
                                    + "by the vault); null while unpaid")
                            EpochPayments.Payment paidBy,
                            @Schema(nullable = true, description = "Time just before this epoch that no epoch covers, "
                                    + "from the latest end of the epochs that start before it; null when there is none")
                            GapView gapBefore,
                            @Schema(nullable = true, description = "Contributions dated in its period, what a "
                                    + "scoring run would read (none: nothing to score yet); given for one epoch, "
                                    + "null in the list")
                            Long contributions) {
        /**
         * The view of {@code e}, {@code overlapping} it, with what paid each of them in {@code paid}, the time
         * before it no epoch covers ({@code gap}, with the contributions dated then; null), and the contributions dated
         * in it (null when not counted).
         */
        public static EpochView of(Epoch e, List<Epoch> overlapping, Map<Long, EpochPayments.Payment> paid,
                                   GapView gap, Long contributions) {
            return new EpochView(e.id, e.name, e.startsAt, e.endsAt, TokenAmounts.format(e.budget, e.tokenDecimals),
                    e.budget, e.tokenDecimals, PolicyView.of(e.policy(), e.tokenDecimals), e.createdAt,
                    overlapping.stream().map(o -> EpochRef.of(o, paid.get(o.id))).toList(), paid.get(e.id), gap,
                    contributions);
        }
    }

    @Schema(description = "Time no epoch covers, just before an epoch: work dated then is paid by no payout, and once "
            + "a later period is approved it never can be (periods are paid once and in order). An epoch created for "
            + "it closes it.")
    public record GapView(Instant from, Instant to,
                          @Schema(description = "The epoch that ends last among those starting earlier: the gap "
                                  + "follows it") EpochRef after,
                          @Schema(description = "Contributions dated in the gap") long contributions) {
        static GapView of(EpochService.Gap gap, Map<Long, EpochPayments.Payment> paid, EpochService epochs) {
            return gap == null ? null : new GapView(gap.from(), gap.to(), EpochRef.of(gap.after(),
                    paid.get(gap.after().id)), epochs.contributionsBetween(gap.from(), gap.to()));
        }
    }

    public record EpochRef(long id, String name, Instant startsAt, Instant endsAt,
                           @Schema(nullable = true, description = "The payout that paid that epoch; null while unpaid")
                           EpochPayments.Payment paidBy) {
        static EpochRef of(Epoch e, EpochPayments.Payment paidBy) {
            return new EpochRef(e.id, e.name, e.startsAt, e.endsAt, paidBy);
        }
    }

    private final EpochService epochs;
    private final EpochPayments payments;
    private final int defaultDecimals;
    private final EpochRemover remover;

    public EpochResource(EpochService epochs, EpochPayments payments,
                         @org.eclipse.microprofile.config.inject.ConfigProperty(
                                 name = "merit.payroll.token-decimals", defaultValue = "18") int defaultDecimals,
                         EpochRemover remover) {
        this.epochs = epochs;
        this.payments = payments;
        this.defaultDecimals = defaultDecimals;
        this.remover = remover;
    }

    /** The view of one epoch: the epochs it shares time with, and what paid it and each of them. */
    public static EpochView view(Epoch epoch, EpochService epochs, EpochPayments payments) {
        List<Epoch> overlapping = epochs.overlapping(epoch);
        EpochService.Gap gap = epochs.gapBefore(epoch).orElse(null);
        List<Long> ids = new java.util.ArrayList<>(overlapping.stream().map(o -> o.id).toList());
        ids.add(epoch.id);
        if (gap != null) {
            ids.add(gap.after().id);
        }
        Map<Long, EpochPayments.Payment> paid = payments.paidBy(ids);
        return EpochView.of(epoch, overlapping, paid, GapView.of(gap, paid, epochs),
                epochs.contributionsBetween(epoch.startsAt, epoch.endsAt));
    }

    @GET
    @Operation(summary = "List epochs")
    @APIResponse(responseCode = "200", description = "All epochs, oldest first")
    public List<EpochView> list() {
        List<Epoch> all = epochs.list();
        Map<Long, List<Epoch>> overlaps = EpochService.overlaps(all);
        Map<Long, EpochService.Gap> gaps = EpochService.gapsBefore(all);
        Map<Long, EpochPayments.Payment> paid = payments.paidBy(all.stream().map(e -> e.id).toList());
        return all.stream().map(e -> EpochView.of(e, overlaps.getOrDefault(e.id, List.of()), paid,
                GapView.of(gaps.get(e.id), paid, epochs), null)).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One epoch")
    @APIResponse(responseCode = "200", description = "The epoch")
    @APIResponse(responseCode = "404", description = "No such epoch")
    public EpochView get(@PathParam("id") long id) {
        return view(epochs.get(id), epochs, payments);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete an epoch made by mistake", description = "With the scoring runs made of it and its "
            + "drafts withdrawn or replaced before any went on chain, while no payout of it went on chain, none is a "
            + "draft, and no contributor disputed a type in its scoring. Contributions stay: they count in whichever "
            + "epoch covers their time.")
    @APIResponse(responseCode = "200", description = "Deleted: its name, how many scoring runs and which withdrawn "
            + "drafts went with it")
    @APIResponse(responseCode = "404", description = "No such epoch")
    @APIResponse(responseCode = "409", description = "A payout of it went on chain (epoch-has-payouts: it stays on "
            + "record), it has a draft (epoch-has-payouts: withdraw it first), or a type in its scoring was disputed "
            + "(epoch-has-disputes: it stays on record)")
    public EpochRemover.Removed delete(@PathParam("id") long id) {
        return remover.delete(id);
    }

    @POST
    @Operation(summary = "Create an epoch")
    @APIResponse(responseCode = "201", description = "Created; overlaps names the epochs whose periods it shares time "
            + "with (accepted: any stretch of time is paid once), gapBefore the time before it no epoch covers "
            + "(accepted: work dated then is paid by no payout until an epoch covers it)")
    @APIResponse(responseCode = "400", description = "Invalid dates, budget or policy (e.g. cap below minimum)")
    @APIResponse(responseCode = "409", description = "An epoch with this name exists")
    public Response create(@Valid @NotNull CreateEpoch request, UriInfo uri) {
        // Unless given, the payout token's decimals as configured (merit.payroll.token-decimals), as the CLI's epochs.
        int decimals = EpochService.decimals(request.tokenDecimals() != null ? request.tokenDecimals()
                : defaultDecimals);
        Epoch epoch = epochs.create(new EpochService.NewEpoch(request.name(), request.startsAt(), request.endsAt(),
                TokenAmounts.parse("budgetTokens", request.budgetTokens(), decimals), decimals,
                request.policy() == null ? null : request.policy().toPolicy(decimals)));
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(epoch.id)).build())
                .entity(view(epoch, epochs, payments)).build();
    }
}
