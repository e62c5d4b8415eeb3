package dev.merit.payroll;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.merit.audit.TokenAmounts;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * How one contributor's points became their tokens in a payout proposal, step by step and from the proposal's own
 * stored inputs (the ones its content hash covers): their points and share of all points, the square-root dampening
 * when the policy has it, their plain share of the budget, what the cap, the minimum and the rounding to whole base
 * units changed, and the amount with its state.
 */
@ApplicationScoped
public class PayoutWaterfall {

    /** One step: what it is, in words, and the amount after it (absent for steps that are not amounts). */
    public record Step(String label, String detail,
                       @Schema(type = SchemaType.STRING, description = "Amount after this step, base units")
                       BigInteger amountBaseUnits, String amountTokens,
                       @Schema(type = SchemaType.STRING, description = "What this step added (negative: took off), "
                               + "base units; absent for steps that change no amount") BigInteger changeBaseUnits) {

        Step(String label, String detail) {
            this(label, detail, null, null, null);
        }
    }

    public record View(long proposalId, String proposalState, String proposalStateText,
                       @Schema(type = SchemaType.STRING) BigInteger budgetBaseUnits, String budgetTokens,
                       int tokenDecimals, BigDecimal points, BigDecimal allPoints,
                       @Schema(description = "The contributor's part of the weights the budget is shared by (0..1)")
                       BigDecimal weightShare, boolean sqrtDampening,
                       @Schema(type = SchemaType.STRING) BigInteger plainBaseUnits,
                       @Schema(type = SchemaType.STRING) BigInteger amountBaseUnits, String amountTokens,
                       String state, String reason, List<Step> steps,
                       @Schema(description = "The wallet the line pays or paid; absent until it goes on chain with one")
                       String wallet,
                       @Schema(description = "The transaction that paid it; absent until it is paid")
                       String paidTxHash) {
    }

    private static final int SHARE_SCALE = 6;
    private final PayrollService payroll;
    private final PayoutLedger ledger;
    private final ObjectMapper json;

    public PayoutWaterfall(PayrollService payroll, PayoutLedger ledger, ObjectMapper json) {
        this.payroll = payroll;
        this.ledger = ledger;
        this.json = json;
    }

    /**
     * Whether the proposal counted the contributor as a bot, as its stored inputs say (a maintainer's later mark does
     * not change what a proposal computed); empty when its inputs are unreadable.
     */
    public Optional<Boolean> countedAsBot(PayoutProposal p, long contributorId) {
        return Optional.ofNullable(shares(p)).map(in -> in.bots().contains(PayoutInputs.contributorKey(contributorId)));
    }

    private Shares shares(PayoutProposal p) {
        return shares.get(p.id, id -> {
            // Read by query: the entity may come detached from a transaction that ended (a withdrawn draft), and its
            // inputs are loaded lazily.
            String inputs = Panache.getEntityManager().createQuery("select p.inputs from PayoutProposal p where "
                    + "p.id = :id", String.class).setParameter("id", id).getSingleResult();
            try {
                return Shares.of(json.readValue(inputs, PayoutInputs.class));
            } catch (JsonProcessingException | RuntimeException e) {
                // unreadable or incomplete inputs (not kept): verification says so; the page shows the line only
                return null;
            }
        });
    }

    /** The contributor's waterfall in the run's latest proposal that still stands; empty when there is none. */
    public Optional<View> of(long runId, long contributorId) {
        // The run's latest payout that was not withdrawn; else its latest withdrawn one, whose lines say they will not
        // be paid (a contributor reads that, not "not proposed yet", after a treasurer withdrew their payout).
        Optional<PayoutProposal> standing = PayoutProposal.<PayoutProposal>find("scoringRunId = ?1 and status <> ?2 "
                + "order by id desc", runId, ProposalState.WITHDRAWN).firstResultOptional()
                .or(() -> PayoutProposal.<PayoutProposal>find("scoringRunId = ?1 order by id desc", runId)
                        .firstResultOptional());
        if (standing.isEmpty()) {
            return Optional.empty();
        }
        PayoutProposal p = standing.get();
        Optional<PayoutLine> found = PayoutLine.<PayoutLine>find("proposalId = ?1 and contributorId = ?2", p.id,
                contributorId).firstResultOptional();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Shares in = shares(p);
        if (in == null) {
            return Optional.empty();
        }
        PayoutLine line = found.get();
        String passed = ledger.draftPassed(p);
        return Optional.of(view(p, ProposalState.describe(p, passed), line,
                ledger.read(p, List.of(line), passed).get(0).state(), in, contributorId));
    }

    /**
     * What every line of a proposal shares, read once from its stored inputs (which never change: a proposal's
     * inputs are what its content hash covers) instead of parsing them (megabytes for a large epoch) per page view.
     */
    record Shares(Map<String, BigDecimal> totals, Set<String> bots, BigInteger weights, BigDecimal all,
                  BigInteger budget, int tokenDecimals, boolean sqrt, boolean includeBots) {

        static Shares of(PayoutInputs in) {
            Map<String, BigDecimal> totals = new TreeMap<>();
            for (PayoutInputs.Score s : in.scores()) {
                totals.merge(s.contributor(), s.score(), BigDecimal::add);
            }
            Set<String> bots = new HashSet<>(in.bots());
            boolean sqrt = in.policy().sqrtDampening();
            BigInteger weights = BigInteger.ZERO;
            BigDecimal all = BigDecimal.ZERO;
            for (Map.Entry<String, BigDecimal> e : totals.entrySet()) {
                all = all.add(e.getValue());
                if (!bots.contains(e.getKey()) || in.policy().includeBots()) {
                    weights = weights.add(PayoutCalculator.weight(e.getValue(), sqrt));
                }
            }
            return new Shares(totals, bots, weights, all, in.budget(), in.tokenDecimals(), sqrt, in.policy().includeBots());
        }
    }

    private final Cache<Long, Shares> shares = Caffeine.newBuilder().maximumSize(16).build();

    static View view(PayoutProposal p, String stateText, PayoutLine line, LineState state, Shares in, long contributorId) {
        int decimals = in.tokenDecimals();
        String key = PayoutInputs.contributorKey(contributorId);
        Map<String, BigDecimal> totals = in.totals();
        Set<String> bots = in.bots();
        boolean sqrt = in.sqrt();
        BigInteger weights = in.weights();
        BigDecimal all = in.all();
        BigDecimal points = totals.getOrDefault(key, BigDecimal.ZERO);
        boolean excludedBot = bots.contains(key) && !in.includeBots();
        BigInteger weight = excludedBot ? BigInteger.ZERO : PayoutCalculator.weight(points, sqrt);
        BigInteger plain = weights.signum() == 0 ? BigInteger.ZERO : in.budget().multiply(weight).divide(weights);
        BigDecimal weightShare = weights.signum() == 0 ? BigDecimal.ZERO
                : new BigDecimal(weight).divide(new BigDecimal(weights), SHARE_SCALE, RoundingMode.HALF_EVEN);

        List<Step> steps = new ArrayList<>();
        steps.add(new Step("Points", plainNumber(points) + " of " + plainNumber(all) + " points in the epoch ("
                + percent(points, all) + ")"));
        BigDecimal botPoints = BigDecimal.ZERO;
        if (!in.includeBots()) {
            for (String bot : bots) {
                botPoints = botPoints.add(totals.getOrDefault(bot, BigDecimal.ZERO));
            }
        }
        if (excludedBot) {
            steps.add(new Step("Bot", "a bot account: the policy pays people, so its weight is 0"));
        } else {
            if (botPoints.signum() > 0) {
                // The budget is shared among people: a share of the budget above the share of points is the bots' part.
                BigDecimal people = all.subtract(botPoints);
                steps.add(new Step("Bots left out", plainNumber(botPoints) + " points of bot accounts are not paid (the "
                        + "policy pays people)" + (sqrt ? "" : ": yours are " + percent(points, people)
                        + " of the people's " + plainNumber(people))));
            }
        }
        String ofWeights = percent(new BigDecimal(weight), new BigDecimal(weights)); // its part of the budget
        if (!excludedBot && sqrt) {
            steps.add(new Step("Square-root dampening", "the budget is shared by the square root of points, so the "
                    + "largest totals weigh less: " + ofWeights + (botPoints.signum() > 0
                    ? " of the people's weights" : " of all weights")));
        }
        steps.add(new Step("Share of the budget", ofWeights + " of the budget", plain,
                TokenAmounts.format(plain, decimals), plain));
        BigInteger amount = line.amount;
        BigInteger change = amount.subtract(plain);
        if (change.signum() != 0) {
            String why = LineState.reason(line.status);
            if (why == null) {
                why = change.abs().compareTo(BigInteger.valueOf(totals.size())) <= 0
                        ? "rounding to whole base units (left-over units go to the largest fractions)"
                        : "others' shares above the cap or below the minimum, shared again by weight";
            }
            steps.add(new Step(change.signum() > 0 ? "Added" : "Taken off", why, amount,
                    TokenAmounts.format(amount, decimals), change));
        }
        String holding = state.reason() == null || state.reason().equals(LineState.reason(line.status)) ? ""
                : ": " + state.reason();
        steps.add(new Step("Amount", state.state() + holding, amount, TokenAmounts.format(amount, decimals), null));
        return new View(p.id, p.status, stateText, in.budget(),
                TokenAmounts.format(in.budget(), decimals), decimals, points, all, weightShare, sqrt, plain, amount,
                TokenAmounts.format(amount, decimals), state.state(), state.reason(), steps, line.wallet,
                line.paidTxHash);
    }

    private static String plainNumber(BigDecimal d) {
        return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }

    /**
     * {@code part} of {@code whole} as a percentage to two decimals, or four significant digits under 10 %: "0.02850 %
     * of the budget" (100 MPAY) beside 0.0285 MPAY; to two decimals it read "0.03 %", which the amount beside it did
     * not match. From the exact parts, not from a share already rounded to millionths (which has too few digits).
     */
    private static String percent(BigDecimal part, BigDecimal whole) {
        if (whole.signum() == 0) {
            return "0 %";
        }
        BigDecimal pct = part.movePointRight(2).divide(whole, new java.math.MathContext(12, RoundingMode.HALF_EVEN));
        BigDecimal shown = pct.abs().compareTo(BigDecimal.TEN) >= 0 || pct.signum() == 0
                ? pct.setScale(2, RoundingMode.HALF_EVEN)
                : pct.round(new java.math.MathContext(4, RoundingMode.HALF_EVEN));
        return shown.stripTrailingZeros().toPlainString() + " %";
    }
}
