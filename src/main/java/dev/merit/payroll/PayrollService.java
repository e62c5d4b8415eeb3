package dev.merit.payroll;

import dev.merit.audit.IdSlices;
import dev.merit.events.Lifecycle;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import java.util.function.LongFunction;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashMap;
import java.util.Locale;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.audit.CanonicalJson;
import dev.merit.audit.TokenAmounts;
import dev.merit.contributor.Contributor;
import dev.merit.epoch.Epoch;
import dev.merit.epoch.EpochService;
import dev.merit.epoch.PayoutPolicy;
import dev.merit.problem.ProblemException;
import dev.merit.scoring.ScoringRun;
import dev.merit.scoring.ScoringService;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Turns a scoring run into a payout proposal with exact amounts and a content hash, and verifies proposals. */
@ApplicationScoped
public class PayrollService {

    /** The outcome of {@link #verify}: ok only when nothing differs; each mismatch names what differs. */
    public record Verification(long proposalId, String storedHash, String recomputedHash, boolean hashMatches,
                               boolean amountsMatch, List<String> mismatches) {
        @JsonProperty("ok")
        public boolean ok() {
            return hashMatches && amountsMatch && mismatches.isEmpty();
        }
    }

    private final EpochService epochs;
    private final ScoringService scoring;
    private final ObjectMapper json;

    private final Event<Lifecycle> lifecycle;
    private final Instance<ProposalCheck> checks;

    public PayrollService(EpochService epochs, ScoringService scoring, ObjectMapper json,
                          Event<Lifecycle> lifecycle, Instance<ProposalCheck> checks) {
        this.lifecycle = lifecycle;
        this.checks = checks;
        this.epochs = epochs;
        this.scoring = scoring;
        this.json = json;
    }

    public PayoutProposal get(long id) {
        return PayoutProposal.<PayoutProposal>findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("payout proposal", id));
    }

    public List<PayoutProposal> list(Long epochId) {
        return epochId == null ? PayoutProposal.list("order by id desc")
                : PayoutProposal.list("epochId = ?1 order by id desc", epochId);
    }

    public List<PayoutLine> lines(long proposalId) {
        get(proposalId);
        return PayoutLine.list("proposalId = ?1 order by rank", proposalId);
    }

    /**
     * As {@link #lines}, to be read, not changed ({@link PayoutLine#readOnly}): never in a transaction that then
     * changes lines, as {@link #lines} would return these instances.
     */
    public List<PayoutLine> linesToRead(long proposalId) {
        get(proposalId);
        return PayoutLine.readOnly("proposalId = ?1 order by rank", proposalId);
    }

    /**
     * A period is paid once: when a payout of this epoch, or of an epoch whose period overlaps it, was executed on
     * chain, a new proposal could never be paid (the vault refuses it), so none is made, and the maintainer learns it
     * now rather than at the vote (the command line: before it scores the epoch for nothing).
     */
    public static void requireUnpaidPeriod(Epoch epoch) {
        List<PayoutProposal> paid = PayoutProposal.list("approvedAt is not null and epochId in (select e.id from Epoch e "
                + "where e.startsAt < ?1 and ?2 < e.endsAt) order by approvedAt", epoch.endsAt, epoch.startsAt);
        if (!paid.isEmpty()) {
            PayoutProposal first = paid.get(0);
            Epoch other = Epoch.findById(first.epochId);
            String which = other.id.equals(epoch.id) ? "This epoch" : "Epoch '" + other.name + "' ("
                    + dev.merit.problem.Moments.period(other.startsAt, other.endsAt) + "), which overlaps '" + epoch.name
                    + "',";
            throw new ProblemException(ProblemException.Kind.CONFLICT, "period-already-paid", "Period already paid",
                    which + " was paid on " + dev.merit.problem.Moments.of(first.approvedAt) + " by payout proposal " + first.id + ". A period is "
                            + "paid once: choose an epoch after it.", Map.of("paidPayoutProposalId", first.id,
                    "paidEpoch", other.name));
        }
    }

    /**
     * Proposes a payout of an epoch from a scoring run (the epoch's latest when null) and a budget (the epoch's
     * when null). A budget above the epoch's is refused unless {@code aboveEpochBudget} says it is meant: the epoch's
     * budget is what the DAO set aside, and a slipped digit would otherwise reach the vote. Nothing is stored if the
     * policy cannot be met.
     */
    @Transactional
    public PayoutProposal propose(long epochId, Long scoringRunId, BigInteger budgetOverride,
                                  boolean aboveEpochBudget) {
        Epoch epoch = epochs.get(epochId);
        // One proposal of an epoch at a time: the second waits for the first and then supersedes its draft, instead of
        // both checking for drafts at the same moment and both standing.
        io.quarkus.hibernate.orm.panache.Panache.getEntityManager().lock(epoch, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        ScoringRun run = scoringRunId != null ? scoring.get(scoringRunId) : scoring.latest(epochId)
                .orElseThrow(() -> ProblemException.unprocessable("not-scored", "Epoch not scored",
                        "Epoch '" + epoch.name + "' has no scoring run yet. Score it first (POST /api/scoring-runs)."));
        if (!Objects.equals(run.epochId, epoch.id)) {
            throw ProblemException.invalid("Scoring run " + run.id + " belongs to epoch " + run.epochId
                    + ", not to epoch " + epoch.id + ".");
        }
        requireBotsAsMarked(epoch, run);
        requireIdentitiesAsMerged(epoch, run);
        requireUnpaidPeriod(epoch);
        BigInteger budget = budgetOverride != null ? budgetOverride : epoch.budget;
        requireWithinBudget(epoch, budget, aboveEpochBudget);
        PayoutPolicy policy = epoch.policy();
        EpochService.validateBudget(budget, policy, epoch.tokenDecimals);

        PayoutInputs inputs = inputs(epoch, run, budget);
        String canonical = CanonicalJson.write(inputs);
        List<PayoutCalculator.Line> computed = PayoutCalculator.compute(inputs);

        PayoutProposal proposal = new PayoutProposal();
        proposal.epochId = epoch.id;
        proposal.scoringRunId = run.id;
        proposal.budget = budget;
        proposal.modelVersion = run.modelVersion;
        proposal.inputs = canonical;
        proposal.contentHash = CanonicalJson.sha256(canonical);
        proposal.status = ProposalState.DRAFT;
        proposal.createdAt = Instant.now();
        proposal.persist();
        // A newer proposal of the epoch replaces its older drafts (those on chain: when it goes on chain).
        PayoutProposal.update("status = ?1, supersededBy = ?2 where epochId = ?3 and status = ?4 and id <> ?2",
                ProposalState.SUPERSEDED, proposal.id, epoch.id, ProposalState.DRAFT);

        List<PayoutCalculator.Line> ranked = PayoutCalculator.ranked(computed);
        for (int i = 0; i < ranked.size(); i++) {
            PayoutCalculator.Line l = ranked.get(i);
            PayoutLine line = new PayoutLine();
            line.proposalId = proposal.id;
            line.contributorId = PayoutInputs.contributorId(l.contributor());
            line.score = l.score();
            line.amount = l.amount();
            line.status = l.status();
            line.rank = i + 1;
            line.persist();
        }
        lifecycle.fire(new Lifecycle("proposal.created", "payout-proposal/" + proposal.id, Map.of(
                "proposalId", proposal.id, "epochId", proposal.epochId, "contentHash", proposal.contentHash,
                "budget", proposal.budget.toString(), "lines", ranked.size())));
        return proposal;
    }

    /**
     * Refuses a budget above what the epoch set aside unless {@code meant}: a slipped digit must not reach the vote.
     */
    public static void requireWithinBudget(Epoch epoch, BigInteger budget, boolean meant) {
        requireWithinBudget(epoch, budget, meant, "\"aboveEpochBudget\": true (the CLI's --above-epoch-budget)");
    }

    /** As {@link #requireWithinBudget(Epoch, BigInteger, boolean)}; {@code sayIt}: how the caller says it is meant. */
    public static void requireWithinBudget(Epoch epoch, BigInteger budget, boolean meant, String sayIt) {
        if (budget.compareTo(epoch.budget) > 0 && !meant) {
            throw new ProblemException(ProblemException.Kind.REFUSED, "budget-above-epoch", "Budget above the epoch's",
                    "The budget asked, " + TokenAmounts.format(budget, epoch.tokenDecimals) + " tokens, is more than "
                            + "epoch '" + epoch.name + "' set aside (" + TokenAmounts.format(epoch.budget,
                            epoch.tokenDecimals) + " tokens). To pay more than its budget, say so: "
                            + sayIt + ".",
                    Map.of("epochBudgetTokens", TokenAmounts.format(epoch.budget, epoch.tokenDecimals)));
        }
    }

    /**
     * Recomputes the content hash and every line from the proposal's stored inputs, compares the inputs with the
     * records they came from (epoch, scoring run, budget), and runs the checks of what went on chain. Every
     * difference is named: "line of Ada Lovelace (merit:3): amount stored X, recomputed Y".
     */
    public Verification verify(long proposalId) {
        PayoutProposal proposal = get(proposalId);
        PayoutInputs inputs = inputs(proposal);
        String recomputed = CanonicalJson.sha256(proposal.inputs);
        boolean hashMatches = recomputed.equals(proposal.contentHash);
        List<String> mismatches = new ArrayList<>();
        if (!hashMatches) {
            mismatches.add(hashDifference(proposal, recomputed));
        }
        if (!CanonicalJson.write(inputs).equals(proposal.inputs)) {
            mismatches.add("inputs: not in canonical form (re-serialised, they hash to " + CanonicalJson.hash(inputs) + ")");
        }
        Epoch epoch = epochs.get(proposal.epochId);
        ScoringRun run = scoring.get(proposal.scoringRunId);
        InputsCheck.compare(inputs, inputs(epoch, run, proposal.budget), run.id, mismatches);
        if (!Objects.equals(proposal.modelVersion, inputs.model() == null ? null : inputs.model().version())) {
            mismatches.add("model version: stored with the proposal " + proposal.modelVersion + ", inputs "
                    + (inputs.model() == null ? null : inputs.model().version()));
        }

        List<PayoutLine> lines = lines(proposalId);
        List<PayoutCalculator.Line> ranked = PayoutCalculator.ranked(PayoutCalculator.compute(inputs));
        LongFunction<String> name = PayrollService::lineName;
        int before = mismatches.size();
        LinesCheck.compare(lines, ranked, inputs.budget(), proposal.budget, name, mismatches);
        boolean amountsMatch = mismatches.stream().skip(before).noneMatch(m -> m.contains("amount"));
        for (ProposalCheck check : checks) {
            mismatches.addAll(check.differences(proposal, lines, name));
        }
        return new Verification(proposalId, proposal.contentHash, recomputed, hashMatches, amountsMatch, mismatches);
    }

    /**
     * A payout goes on chain only as it verifies against itself: its stored inputs hash to its content hash, and its
     * stored lines are the lines those inputs compute, summing to its budget. A draft the database kept in part (a
     * crash it did not roll back whole), one edited there since, or one a later Merit computes otherwise is refused
     * with its first differences, before anything is sent.
     */
    public void requireIntact(PayoutProposal proposal) {
        List<String> differences = new ArrayList<>();
        String recomputed = CanonicalJson.sha256(proposal.inputs);
        if (!recomputed.equals(proposal.contentHash)) {
            differences.add(hashDifference(proposal, recomputed)); // inputs changed: nothing computed from them counts
        } else {
            PayoutInputs inputs = null;
            List<PayoutCalculator.Line> ranked = null;
            try {
                inputs = inputs(proposal);
                ranked = PayoutCalculator.ranked(PayoutCalculator.compute(inputs));
            } catch (RuntimeException e) { // unreadable, or no longer computable: a difference, not a server error
                differences.add("inputs: cannot be computed again (" + e.getMessage() + ")");
            }
            if (ranked != null) {
                List<PayoutLine> lines = lines(proposal.id);
                LinesCheck.compare(lines, ranked, inputs.budget(), proposal.budget, PayrollService::lineName,
                        differences);
            }
        }
        if (!differences.isEmpty()) {
            int decimals = epochs.get(proposal.epochId).tokenDecimals;
            throw new ProblemException(ProblemException.Kind.CONFLICT, "payout-does-not-verify",
                    "Payout does not verify", "Payout #" + proposal.id + " does not verify against its own inputs ("
                            + differences.size() + " difference" + (differences.size() == 1 ? "" : "s") + "; "
                            + String.join("; ", differences.stream().limit(3).toList()) + "; amounts in base units, "
                            + "10^-" + decimals + " of a token). Nothing was sent. `merit verify " + proposal.id
                            + "` (or GET /api/payout-proposals/" + proposal.id + "/verification) lists every "
                            + "difference; draft the epoch's payout again to pay it.",
                    Map.of("differences", differences.stream().limit(20).toList()));
        }
    }

    private PayoutInputs inputs(PayoutProposal proposal) {
        try {
            return json.readValue(proposal.inputs, PayoutInputs.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("inputs of proposal " + proposal.id + " are unreadable", e);
        }
    }

    private static String hashDifference(PayoutProposal proposal, String recomputed) {
        return "content hash: stored " + proposal.contentHash + ", sha256 of the stored inputs " + recomputed;
    }

    /**
     * Each contributor as a difference names them, "Ann (merit:7)", the key the inputs document uses. Read when a
     * difference names them, one by one: a payout that verifies reads none (one query of every contributor of a
     * payout of tens of thousands would pass the database's limit of bound values), and a line that was lost is named
     * as well as one that is stored.
     */
    private static String lineName(long contributorId) {
        Contributor c = Contributor.findById(contributorId);
        return (c == null ? "?" : c.displayName) + " (" + PayoutInputs.contributorKey(contributorId) + ")";
    }

    /**
     * A run computed its credit shares with the bots of its time, and a proposal pays by the run's: a run that counts
     * someone otherwise than a maintainer has marked them since would pay a marked bot as a person (or the reverse)
     * without a word. Such a run is refused; scoring the epoch again takes the mark.
     */
    private static void requireBotsAsMarked(Epoch epoch, ScoringRun run) {
        List<Object[]> changed = Panache.getEntityManager().createQuery("select c.id, c.displayName, s.bot from "
                        + "ContributorScore s, Contributor c where s.runId = :run and c.id = s.contributorId and "
                        + "c.bot <> s.bot order by c.id", Object[].class)
                .setParameter("run", run.id).setMaxResults(4).getResultList();
        if (changed.isEmpty()) {
            return;
        }
        List<String> named = changed.stream().limit(3).map(r -> r[1] + " (#" + r[0] + ") as " + ((Boolean) r[2]
                ? "a bot" : "a person")).toList();
        throw ProblemException.conflict("Scoring run " + run.id + " counted " + String.join(", ", named)
                + (changed.size() > 3 ? " and others" : "") + "; a maintainer has marked "
                + (changed.size() == 1 ? "it" : "them") + " otherwise since. Score epoch '" + epoch.name
                + "' again (merit score, or POST /api/scoring-runs), then propose from the new run.");
    }

    /**
     * A run scored before a maintainer merged two of its contributors (one person known twice) would pay that person as
     * two lines: the cap and the minimum payout applied to each part, both lines to one wallet. One scored before an
     * unmerge would pay one person for another's work. Either way: score again first.
     */
    private static void requireIdentitiesAsMerged(Epoch epoch, ScoringRun run) {
        String inRun = " in (select s.contributorId from ContributorScore s where s.runId = ?2)";
        // Merged since, both parts scored apart by the run; or merged before it and undone since (the run credited
        // the one merged into with the other's work).
        List<dev.merit.contributor.ContributorMerge> since = dev.merit.contributor.ContributorMerge.list(
                "(mergedAt > ?1 and unmergedAt is null and intoId" + inRun + " and fromId" + inRun + ") or (mergedAt <= ?1 "
                        + "and unmergedAt > ?1 and intoId" + inRun + ") order by id", run.createdAt, run.id);
        if (since.isEmpty()) {
            return;
        }
        dev.merit.contributor.ContributorMerge m = since.get(0);
        String into = name(m.intoId);
        String from = name(m.fromId);
        throw ProblemException.conflict("Scoring run " + run.id + " was scored before a maintainer "
                + (m.standing() ? "merged " + from + " into " + into + " (one person known twice)"
                : "undid the merge of " + from + " into " + into) + (since.size() > 1 ? ", and " + (since.size() - 1)
                + " more such change" + (since.size() > 2 ? "s" : "") : "") + ": its lines would pay people as the run "
                + "counted them. Score epoch '" + epoch.name + "' again (merit score, or POST /api/scoring-runs), then "
                + "propose from the new run.");
    }

    private static String name(long contributorId) {
        Contributor c = Contributor.findById(contributorId);
        return (c == null ? "a contributor" : c.displayName) + " (#" + contributorId + ")";
    }

    private PayoutInputs inputs(Epoch epoch, ScoringRun run, BigInteger budget) {
        List<Object[]> rows = Panache.getEntityManager().createQuery(
                        "select c.source, c.externalId, s.contributorId, s.score from ContributionScore s, Contribution c "
                                + "where s.runId = :run and c.id = s.contributionId", Object[].class)
                .setParameter("run", run.id).getResultList();
        List<PayoutInputs.Score> scores = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            scores.add(new PayoutInputs.Score(r[0] + ":" + r[1], PayoutInputs.contributorKey((Long) r[2]),
                    (BigDecimal) r[3]));
        }
        scores.sort(Comparator.comparing(PayoutInputs.Score::contribution).thenComparing(PayoutInputs.Score::contributor));
        // The bots the run counted (its credit shares were computed with them), not today's marks: see propose.
        List<String> bots = Panache.getEntityManager().createQuery(
                        "select s.contributorId from ContributorScore s where s.runId = :run and s.bot = true", Long.class)
                .setParameter("run", run.id).getResultList().stream().sorted()
                .map(PayoutInputs::contributorKey).toList();
        PayoutPolicy p = epoch.policy();
        return new PayoutInputs(PayoutInputs.FORMAT, new PayoutInputs.Epoch(epoch.name, epoch.startsAt, epoch.endsAt),
                budget, epoch.tokenDecimals, new PayoutInputs.Policy(p.minPayout(), p.cap(), p.sqrtDampening(),
                p.includeBots()), new PayoutInputs.Model(run.modelVersion, run.modelHash, run.policyHash), scores, bots);
    }

    /** A line's contributor as a payout's page names them. */
    public record Named(String displayName, boolean bot) {
    }

    /** Names of the lines' contributors, by contributor id (read as values: no entity to track). */
    public Map<Long, Named> contributors(List<PayoutLine> lines) {
        if (lines.isEmpty()) {
            return Map.of();
        }
        String select = "select c.id, c.displayName, c.bot from Contributor c where c.id in ";
        Long proposal = lines.get(0).proposalId;
        // Many lines of one proposal: by the proposal, in one statement instead of one for each 1,000 ids.
        List<Object[]> rows = lines.size() > IdSlices.SIZE && proposal != null
                && lines.stream().allMatch(l -> proposal.equals(l.proposalId))
                ? Panache.getEntityManager().createQuery(select + "(" + PayoutLedger.LINES_OF + ")", Object[].class)
                        .setParameter("proposal", proposal).getResultList()
                : IdSlices.list(lines.stream().map(l -> l.contributorId).toList(), slice -> Panache.getEntityManager()
                        .createQuery(select + ":ids", Object[].class).setParameter("ids", slice).getResultList());
        Map<Long, Named> byId = new HashMap<>();
        for (Object[] r : rows) {
            byId.put((Long) r[0], new Named((String) r[1], (Boolean) r[2]));
        }
        return byId;
    }
}
