package dev.merit.scoring;

import dev.merit.contributor.ActorRef;
import dev.merit.audit.Progress;
import dev.merit.events.Lifecycle;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.event.Event;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.audit.CanonicalJson;
import dev.merit.epoch.Epoch;
import dev.merit.epoch.EpochService;
import dev.merit.ingest.Contribution;
import dev.merit.ingest.ContributionEvent;
import dev.merit.ingest.ContributionMetrics;
import dev.merit.ingest.Credit;
import dev.merit.problem.ProblemException;
import dev.merit.scoring.adjust.Adjustment;
import dev.merit.scoring.adjust.Adjustments;
import dev.merit.scoring.graph.ContributionGraph;
import dev.merit.scoring.policy.PolicyDocument;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/** Scores an epoch's contributions with the current model and stores the run, per contribution and per contributor. */
@ApplicationScoped
public class ScoringService {

    private static final Logger LOG = Logger.getLogger(ScoringService.class);
    private static final int PAGE = 1000;

    private final ScoringModel model;
    private final ContributionGraph graph;
    private final EpochService epochs;
    private final ObjectMapper json;
    private final Event<Lifecycle> lifecycle;
    private final ScoringConfig config;

    private final DisputeService disputes;
    private final Adjustments adjustments;

    public ScoringService(ScoringModel model, ContributionGraph graph, EpochService epochs, ObjectMapper json,
                          Event<Lifecycle> lifecycle, ScoringConfig config,
                          DisputeService disputes, Adjustments adjustments) {
        this.disputes = disputes;
        this.adjustments = adjustments;
        this.lifecycle = lifecycle;
        this.config = config;
        this.model = model;
        this.graph = graph;
        this.epochs = epochs;
        this.json = json;
    }

    public ScoringModel model() {
        return model;
    }

    public ScoringRun get(long runId) {
        return ScoringRun.<ScoringRun>findByIdOptional(runId)
                .orElseThrow(() -> ProblemException.notFound("scoring run", runId));
    }

    public Optional<ScoringRun> latest(long epochId) {
        // By time, not id: ids come in blocks per process (a CLI's run can have a higher id than a later server's).
        return ScoringRun.find("epochId = ?1 order by createdAt desc, id desc", epochId).firstResultOptional();
    }

    /**
     * Scores the epoch in a transaction of its own that reads one snapshot ({@link OneSnapshot}): an ingest or a
     * contributor merge committed meanwhile is wholly in the next run, never half in this one.
     */
    public ScoringRun runAlone(long epochId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            OneSnapshot.forThisTransaction();
            return run(epochId);
        });
    }

    /** Scores the epoch in the caller's transaction (or a new one), at the transaction's isolation. */
    @Transactional
    public ScoringRun run(long epochId) {
        long started = System.nanoTime();
        Epoch epoch = epochs.get(epochId);
        EntityManager em = Panache.getEntityManager();
        List<Long> ids = em.createQuery("select c.id from Contribution c where c.occurredAt >= :from and "
                        + "c.occurredAt < :to order by c.source, c.externalId", Long.class)
                .setParameter("from", epoch.startsAt).setParameter("to", epoch.endsAt).getResultList();
        if (ids.isEmpty()) {
            throw ProblemException.unprocessable("empty-epoch", "Nothing to score",
                    "Epoch '" + epoch.name + "' has no contributions between " + dev.merit.problem.Moments.of(epoch.startsAt)
                            + " and " + dev.merit.problem.Moments.of(epoch.endsAt)
                            + ". Ingest a repository with activity in that period, or widen the epoch.");
        }
        ScoringRun run = new ScoringRun();
        run.epochId = epoch.id;
        run.modelVersion = model.version();
        run.modelHash = model.hash();
        Map<String, Object> policy = policy();
        run.policy = CanonicalJson.write(policy);
        run.policyHash = CanonicalJson.sha256(run.policy);
        run.inputHash = "";
        run.totalScore = BigDecimal.ZERO;
        run.createdAt = Instant.now();
        run.persist();
        Long runId = run.id;

        // Who is a bot, read once: every rule of this run (credit shares, graph credit, undone lines, the input record)
        // sees the same accounts as bots, whatever a maintainer marks while it runs.
        Set<Long> bots = Set.copyOf(em.createQuery("select c.id from Contributor c where c.bot = true", Long.class)
                .getResultList());
        // Over the contributions read above only: one stored meanwhile (at READ COMMITTED, as in merit payroll) is wholly
        // in the next run, not in this one's graph or pairings without a score of its own.
        Set<Long> scored = new java.util.HashSet<>(ids);
        Map<Long, ContributionGraph.Credit> graphCredit = graph.enabled()
                ? graph.credit(epoch.startsAt, epoch.endsAt, bots, scored) : Map.of();
        // Per-contribution factors of the rules beyond the model's, in the order they apply (before graph credit).
        List<Map<Long, Factor>> adjusted = new ArrayList<>();
        for (Adjustment adjustment : adjustments.all()) {
            adjusted.add(adjustment.factors(epoch));
        }
        Map<Long, Factor> copies = adjusted.get(0);
        Map<Long, ScoringModel.Correction> corrections = disputes.corrections(epoch);
        Map<Long, String> declined = adjustments.declined().declined(epoch);
        UndoneLines.Result undone = UndoneLines.of(epoch, copies.keySet(), config.netUndoneLines(), bots, scored);
        Map<Long, List<String>> links = links(em, epoch);
        MessageDigest inputDigest = sha256();
        Map<Long, BigDecimal> totals = new TreeMap<>();
        Map<Long, Integer> counts = new TreeMap<>();
        Progress progress = Progress.start(LOG, "Scoring " + epoch.name, "contributions", ids.size());
        for (int from = 0; from < ids.size(); from += PAGE) {
            List<Long> page = ids.subList(from, Math.min(ids.size(), from + PAGE));
            List<Contribution> contributions = em.createQuery(
                            "select c from Contribution c where c.id in :ids order by c.source, c.externalId", Contribution.class)
                    .setParameter("ids", page).getResultList();
            List<ScoringModel.Input> inputs = new ArrayList<>(contributions.size());
            List<List<Factor>> adjustingOf = new ArrayList<>(contributions.size()); // read once, used twice
            for (Contribution c : contributions) {
                ContributionMetrics metrics = readMetrics(c);
                ScoringModel.Correction correction = corrections.get(c.id);
                Map<String, Object> record = inputRecord(c, metrics, undone.digests().get(c.id), declined.get(c.id),
                        correction, bots);
                // What the forges and CI said about it (withdrawn, CI failed, repeated, copied) and how it is linked:
                // inputs too, named only when there are some, so a record without any reads as before.
                List<Factor> adjusting = adjusting(adjusted, c.id);
                adjustingOf.add(adjusting);
                if (!adjusting.isEmpty()) {
                    record.put("rules", adjusting.stream()
                            .map(f -> f.name() + " " + f.value().toPlainString() + ": " + f.detail()).toList());
                }
                Factor relanded = undone.relanded().get(c.id);
                if (relanded != null) {
                    // It reads reverts and reverted commits of earlier epochs, which the epoch's own inputs do not name.
                    record.put("relanded", relanded.value().toPlainString() + ": " + relanded.detail());
                }
                List<String> linked = links.get(c.id);
                if (linked != null) {
                    record.put("links", linked);
                }
                inputDigest.update(CanonicalJson.write(record).getBytes(StandardCharsets.UTF_8));
                inputDigest.update((byte) '\n');
                List<Factor> epochLines = new ArrayList<>(0);
                Optional.ofNullable(undone.factors().get(c.id)).ifPresent(epochLines::add);
                Optional.ofNullable(relanded).ifPresent(epochLines::add);
                inputs.add(new ScoringModel.Input(c.kind, c.title, c.body, metrics, c.files, epochLines, correction));
            }
            List<ScoringModel.Output> outputs = model.scoreAll(inputs);
            for (int i = 0; i < contributions.size(); i++) {
                Contribution c = contributions.get(i);
                ScoringModel.Output out = outputs.get(i);
                String explanation = out.explanation() == null ? null : write(out.explanation());
                List<Factor> base = out.factors();
                ContributionGraph.Credit g = graphCredit.get(c.id);
                List<Factor> adjusting = adjustingOf.get(i);
                if (g != null || !adjusting.isEmpty()) {
                    base = new ArrayList<>(base);
                    base.addAll(adjusting);
                    if (g != null) {
                        base.add(g.factor());
                    }
                }
                List<Credit> sharing = CreditedAuthors.sharing(c.credits, credit -> bots.contains(credit.contributorId));
                for (Credit credit : sharing) {
                    List<Factor> factors = withCreditShare(base, sharing.size());
                    BigDecimal score = Factor.fold(factors);
                    ContributionScore cs = new ContributionScore();
                    cs.runId = runId;
                    cs.contributionId = c.id;
                    cs.contributorId = credit.contributorId;
                    cs.contributionType = out.type().label();
                    cs.score = score;
                    cs.factors = write(factors);
                    cs.effectiveLines = Math.toIntExact(Factor.effectiveLines(factors));
                    cs.explanation = explanation;
                    em.persist(cs);
                    totals.merge(credit.contributorId, score, BigDecimal::add);
                    counts.merge(credit.contributorId, 1, Integer::sum);
                }
            }
            em.flush();
            em.clear();
            progress.advance(page.size());
        }
        progress.finish();
        List<Map.Entry<Long, BigDecimal>> ranked = new ArrayList<>(totals.entrySet());
        ranked.sort(Map.Entry.<Long, BigDecimal>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        BigDecimal total = BigDecimal.ZERO.setScale(Factor.SCALE);
        int rank = 0;
        for (int i = 0; i < ranked.size(); i++) {
            ContributorScore s = new ContributorScore();
            s.runId = runId;
            s.contributorId = ranked.get(i).getKey();
            s.total = ranked.get(i).getValue();
            s.contributions = counts.get(s.contributorId);
            // Equal points, equal rank (1, 1, 3): three people tied at the top are not first, second and third.
            if (i == 0 || s.total.compareTo(ranked.get(i - 1).getValue()) != 0) {
                rank = i + 1;
            }
            s.rank = rank;
            s.bot = bots.contains(s.contributorId);
            em.persist(s);
            total = total.add(s.total);
        }
        EpochService.holdAgainstDeletion(epochId); // kept with its epoch, or not at all
        run = em.find(ScoringRun.class, runId);
        run.inputHash = HexFormat.of().formatHex(inputDigest.digest());
        run.contributionCount = ids.size();
        run.contributorCount = ranked.size();
        run.totalScore = total;
        lifecycle.fire(new Lifecycle("scoring-run.finished", "scoring-run/" + run.id, Map.of(
                "runId", run.id, "epochId", run.epochId, "modelVersion", run.modelVersion, "modelHash", run.modelHash,
                "policyHash", run.policyHash, "inputHash", run.inputHash, "contributions", run.contributionCount,
                "totalScore", run.totalScore.toPlainString())));
        Timer.builder("merit.scoring.run").description("Duration of a scoring run")
                .register(Metrics.globalRegistry)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        LOG.infof("Scored epoch %s: %d contributions, %d contributors, total %s, in %d ms", epoch.name, ids.size(),
                ranked.size(), total.toPlainString(), (System.nanoTime() - started) / 1_000_000);
        return run;
    }

    /**
     * The policy a run applies, as data (the document stored with the run; its canonical SHA-256 is the policy hash):
     * the model's part (scorer, type weights, size curve), graph credit's parameters, and every rule beyond the model
     * with its parameters, in the order its factors apply. People read it through {@link PolicyText}.
     */
    public Map<String, Object> policy() {
        List<PolicyDocument.Rule> rules = new ArrayList<>();
        for (Adjustment adjustment : adjustments.all()) {
            rules.add(new PolicyDocument.Rule(adjustment.rule(), adjustment.parameters()));
        }
        rules.add(new PolicyDocument.Rule("undone-lines", config.netUndoneLines()
                ? Map.of("net", true, "relanded", "paid once, in the reverted commit, within "
                + RevertedLines.WINDOW.toDays() + " days of its revert") : Map.of("net", false)));
        rules.add(new PolicyDocument.Rule("correction", Map.of("by", "dispute")));
        rules.add(new PolicyDocument.Rule("credit-share", Map.of("split", "equal", "bots",
                CreditedAuthors.BOTS_BESIDE_PEOPLE)));
        return PolicyDocument.of(model.policy(), graph.policy(), rules);
    }

    /**
     * For a change not stored yet (the CI hook's preview): the lines each commit's authors undo in another of its
     * commits, as the epoch will count them; per commit's position in {@code commits}. Empty when the policy pays them.
     */
    public Map<Integer, Factor> undoneWithin(List<ContributionEvent> commits, Predicate<ActorRef> bot) {
        return config.netUndoneLines() ? UndoneLines.within(commits, bot) : Map.of();
    }

    public String policyHash() {
        return CanonicalJson.hash(policy());
    }

    public static List<Factor> withCreditShare(List<Factor> factors, int credits) {
        return Factor.shared(factors, credits);
    }

    /**
     * @param changedLines SHA-256 of the commit's packed {@link dev.merit.ingest.ChangedLines}, or null
     * @param bots         the contributors counted as bots: which of the credited are bots decides the credit share, so
     *                     it is an input (named only when one is, so records without a bot read as before)
     */
    private static Map<String, Object> inputRecord(Contribution c, ContributionMetrics metrics, String changedLines,
                                                   String declined, ScoringModel.Correction correction, Set<Long> bots) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("contribution", c.source + ":" + c.externalId);
        record.put("kind", c.kind);
        record.put("at", c.occurredAt.toString());
        if (c.committedAt != null) {
            // Orders the commits one merge brought (they share its date): graph credit, undone lines and copies read it.
            record.put("committedAt", c.committedAt.toString());
        }
        if (c.lateFrom != null) {
            // It reached Merit after its own period was paid without it: it counts from "at", not from this date.
            record.put("lateFrom", c.lateFrom.toString());
        }
        record.put("title", c.title);
        record.put("metrics", metrics);
        record.put("credits", c.credits.stream().map(cr -> cr.contributorId).sorted(Comparator.naturalOrder()).toList());
        List<Long> creditedBots = c.credits.stream().map(cr -> cr.contributorId).filter(bots::contains).distinct()
                .sorted().toList();
        if (!creditedBots.isEmpty()) {
            record.put("bots", creditedBots);
        }
        record.put("files", c.files.stream().map(f -> f.path + ":" + f.category).toList());
        if (c.patchId != null) {
            record.put("patchId", c.patchId);
        }
        if (changedLines != null) {
            record.put("changedLines", changedLines);
        }
        if (declined != null) {
            record.put("declined", declined);
        }
        if (correction != null) {
            record.put("correctedType", correction.type().label());
        }
        return record;
    }

    /** The factors the rules beyond the model give a contribution, in the order they apply. */
    private static List<Factor> adjusting(List<Map<Long, Factor>> adjusted, long contributionId) {
        List<Factor> out = new ArrayList<>(0);
        for (Map<Long, Factor> adjustment : adjusted) {
            Factor f = adjustment.get(contributionId);
            if (f != null) {
                out.add(f);
            }
        }
        return out;
    }

    /** The reported links from or to each of the epoch's contributions ("reviews a->b"), sorted. */
    @SuppressWarnings("unchecked")
    private static Map<Long, List<String>> links(EntityManager em, Epoch epoch) {
        List<Object[]> rows = em.createNativeQuery("select c.id, l.kind, l.from_external_id, l.to_external_id "
                        + "from contribution c join contribution_link l on l.source = c.source "
                        + "and (l.from_external_id = c.external_id or l.to_external_id = c.external_id) "
                        + "where c.occurred_at >= ?1 and c.occurred_at < ?2")
                .setParameter(1, epoch.startsAt).setParameter(2, epoch.endsAt).getResultList();
        Map<Long, List<String>> out = new HashMap<>();
        for (Object[] row : rows) {
            out.computeIfAbsent(((Number) row[0]).longValue(), k -> new ArrayList<>())
                    .add(row[1] + " " + row[2] + "->" + row[3]);
        }
        out.values().forEach(list -> list.sort(Comparator.naturalOrder()));
        return out;
    }

    private ContributionMetrics readMetrics(Contribution c) {
        try {
            return json.readValue(c.metrics, ContributionMetrics.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metrics of contribution " + c.id + " are unreadable", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
