package dev.merit.scoring;

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
import dev.merit.scoring.graph.ContributionGraph;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Scores an epoch's contributions with the current model and stores the run, per contribution and per contributor. */
@ApplicationScoped
public class ScoringService {

    private static final Logger LOG = Logger.getLogger(ScoringService.class);
    private static final int PAGE = 1000;

    private final ScoringModel model;
    private final ContributionGraph graph;
    private final EpochService epochs;
    private final ObjectMapper json;
    private final jakarta.enterprise.event.Event<dev.merit.events.Lifecycle> lifecycle;
    private final ScoringConfig config;

    private final DisputeService disputes;

    public ScoringService(ScoringModel model, ContributionGraph graph, EpochService epochs, ObjectMapper json,
                          jakarta.enterprise.event.Event<dev.merit.events.Lifecycle> lifecycle, ScoringConfig config,
                          DisputeService disputes) {
        this.disputes = disputes;
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
        return ScoringRun.find("epochId = ?1 order by id desc", epochId).firstResultOptional();
    }

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
                    "Epoch '" + epoch.name + "' has no contributions between " + epoch.startsAt + " and " + epoch.endsAt
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

        Map<Long, ContributionGraph.Credit> graphCredit = graph.enabled()
                ? graph.credit(epoch.startsAt, epoch.endsAt) : Map.of();
        // Per-contribution factors beyond the model's, in the order they apply (before graph credit).
        Map<Long, Factor> copies = copyFactors(epoch);
        Map<Long, ScoringModel.Correction> corrections = disputes.corrections(epoch);
        Map<Long, String> declined = declined(epoch);
        Map<Long, Factor> declinedFactors = new TreeMap<>();
        if (config.declinedFactor().compareTo(BigDecimal.ONE) != 0) {
            declined.forEach((id, why) -> declinedFactors.put(id, Factor.multiply("declined", config.declinedFactor(), why)));
        }
        List<Map<Long, Factor>> adjustments = List.of(copies, withdrawnFactors(epoch), declinedFactors,
                trivialFactors(epoch), repeatFactors(epoch), ciFactors(epoch));
        UndoneLines.Result undone = UndoneLines.of(epoch, copies.keySet(), config.netUndoneLines());
        MessageDigest inputDigest = sha256();
        Map<Long, BigDecimal> totals = new TreeMap<>();
        Map<Long, Integer> counts = new TreeMap<>();
        for (int from = 0; from < ids.size(); from += PAGE) {
            List<Long> page = ids.subList(from, Math.min(ids.size(), from + PAGE));
            List<Contribution> contributions = em.createQuery(
                            "select c from Contribution c where c.id in :ids order by c.source, c.externalId", Contribution.class)
                    .setParameter("ids", page).getResultList();
            List<ScoringModel.Input> inputs = new ArrayList<>(contributions.size());
            for (Contribution c : contributions) {
                ContributionMetrics metrics = readMetrics(c);
                ScoringModel.Correction correction = corrections.get(c.id);
                inputDigest.update(CanonicalJson.write(inputRecord(c, metrics, undone.digests().get(c.id),
                                declined.get(c.id), correction))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                inputDigest.update((byte) '\n');
                Factor undoneFactor = undone.factors().get(c.id);
                inputs.add(new ScoringModel.Input(c.kind, c.title, c.body, metrics, c.files,
                        undoneFactor == null ? List.of() : List.of(undoneFactor), correction));
            }
            List<ScoringModel.Output> outputs = model.scoreAll(inputs);
            for (int i = 0; i < contributions.size(); i++) {
                Contribution c = contributions.get(i);
                ScoringModel.Output out = outputs.get(i);
                String explanation = out.explanation() == null ? null : write(out.explanation());
                List<Factor> base = out.factors();
                ContributionGraph.Credit g = graphCredit.get(c.id);
                List<Factor> adjusting = new ArrayList<>(0);
                for (Map<Long, Factor> adjustment : adjustments) {
                    Factor f = adjustment.get(c.id);
                    if (f != null) {
                        adjusting.add(f);
                    }
                }
                if (g != null || !adjusting.isEmpty()) {
                    base = new ArrayList<>(base);
                    base.addAll(adjusting);
                    if (g != null) {
                        base.add(g.factor());
                    }
                }
                for (Credit credit : c.credits) {
                    List<Factor> factors = withCreditShare(base, c.credits.size());
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
        }
        List<Map.Entry<Long, BigDecimal>> ranked = new ArrayList<>(totals.entrySet());
        ranked.sort(Map.Entry.<Long, BigDecimal>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        BigDecimal total = BigDecimal.ZERO.setScale(Factor.SCALE);
        for (int i = 0; i < ranked.size(); i++) {
            ContributorScore s = new ContributorScore();
            s.runId = runId;
            s.contributorId = ranked.get(i).getKey();
            s.total = ranked.get(i).getValue();
            s.contributions = counts.get(s.contributorId);
            s.rank = i + 1;
            em.persist(s);
            total = total.add(s.total);
        }
        run = em.find(ScoringRun.class, runId);
        run.inputHash = HexFormat.of().formatHex(inputDigest.digest());
        run.contributionCount = ids.size();
        run.contributorCount = ranked.size();
        run.totalScore = total;
        lifecycle.fire(new dev.merit.events.Lifecycle("scoring-run.finished", "scoring-run/" + run.id, Map.of(
                "runId", run.id, "epochId", run.epochId, "modelVersion", run.modelVersion, "modelHash", run.modelHash,
                "policyHash", run.policyHash, "inputHash", run.inputHash, "contributions", run.contributionCount,
                "totalScore", run.totalScore.toPlainString())));
        io.micrometer.core.instrument.Timer.builder("merit.scoring.run").description("Duration of a scoring run")
                .register(io.micrometer.core.instrument.Metrics.globalRegistry)
                .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        LOG.infof("Scored epoch %s: %d contributions, %d contributors, total %s, in %d ms", epoch.name, ids.size(),
                ranked.size(), total.toPlainString(), (System.nanoTime() - started) / 1_000_000);
        return run;
    }

    /**
     * The policy a run applies, as the document stored with the run and shown on the dashboard: the model's (scorer,
     * type weights, size curve), the graph credit settings and the CI factors. Its canonical SHA-256 is the policy hash.
     */
    public Map<String, Object> policy() {
        Map<String, Object> policy = new TreeMap<>();
        policy.put("scoring", model.policy());
        policy.put("graph", graph.policy());
        policy.put("ciFailureFactor", config.ciFailureFactor());
        policy.put("ciSuccessFactor", config.ciSuccessFactor());
        policy.put("repeatFactor", config.repeatFactor());
        policy.put("trivialComments", config.trivialCommentWords() <= 0 ? "paid like any comment"
                : "x0 below " + config.trivialCommentWords() + " words of their own, or a stock phrase: "
                + new java.util.TreeSet<>(TrivialComments.STOCK_PHRASES));
        policy.put("copies", "paid once per epoch");
        policy.put("corrections", "a maintainer's answer to a dispute sets the type of a commit or pull request");
        policy.put("withdrawn", "x0 for what the forge reports deleted");
        policy.put("declined", config.declinedFactor().compareTo(BigDecimal.ONE) == 0 ? "paid like any other"
                : "x" + config.declinedFactor().stripTrailingZeros().toPlainString() + " for issues closed as not planned"
                + " or duplicate or with a declining label, and pull requests closed without merge, until reopened");
        policy.put("undoneLines", config.netUndoneLines()
                ? "paid in neither commit (same authors, same epoch)" : "paid in each commit");
        return policy;
    }

    /**
     * For a change not stored yet (the CI hook's preview): the lines each commit's authors undo in another of its
     * commits, as the epoch will count them; per commit's position in {@code commits}. Empty when the policy pays them.
     */
    public Map<Integer, Factor> undoneWithin(List<ContributionEvent> commits) {
        return config.netUndoneLines() ? UndoneLines.within(commits) : Map.of();
    }

    public String policyHash() {
        return CanonicalJson.hash(policy());
    }

    /**
     * CI outcomes as a quality signal: a git commit that a CI run was for (its head commit) gets the failure factor if
     * any run on it failed, else the success factor. The runs and their conclusions are named in the detail.
     */
    @SuppressWarnings("unchecked")
    private Map<Long, Factor> ciFactors(Epoch epoch) {
        List<Object[]> rows = Panache.getEntityManager().createNativeQuery("select c.id, r.conclusion, r.external_id "
                        + "from contribution c join ci_result r on r.head_sha = c.external_id where c.source = 'git' and "
                        + "c.occurred_at >= ?1 and c.occurred_at < ?2 order by c.id, r.external_id")
                .setParameter(1, epoch.startsAt).setParameter(2, epoch.endsAt).getResultList();
        Map<Long, List<String>> failed = new TreeMap<>();
        Map<Long, List<String>> passed = new TreeMap<>();
        for (Object[] row : rows) {
            long id = ((Number) row[0]).longValue();
            String conclusion = (String) row[1];
            boolean failure = conclusion.equals("failure") || conclusion.equals("failed") || conclusion.equals("timed_out");
            (failure ? failed : passed).computeIfAbsent(id, k -> new ArrayList<>()).add(row[2] + " " + conclusion);
        }
        Map<Long, Factor> out = new TreeMap<>();
        passed.forEach((id, runs) -> out.put(id, Factor.multiply("ci", config.ciSuccessFactor(), "CI passed: " + runs)));
        failed.forEach((id, runs) -> out.put(id, Factor.multiply("ci", config.ciFailureFactor(), "CI failed: " + runs)));
        return out;
    }

    /** Contributions the forge reported deleted (a {@code withdraws} link to them): factor 0, naming the event. */
    @SuppressWarnings("unchecked")
    private Map<Long, Factor> withdrawnFactors(Epoch epoch) {
        List<Object[]> rows = Panache.getEntityManager().createNativeQuery("select c.id, c.source, l.from_external_id "
                        + "from contribution c join contribution_link l on l.source = c.source and l.to_external_id = "
                        + "c.external_id and l.kind = 'withdraws' where c.occurred_at >= ?1 and c.occurred_at < ?2 "
                        + "order by c.id")
                .setParameter(1, epoch.startsAt).setParameter(2, epoch.endsAt).getResultList();
        Map<Long, Factor> out = new TreeMap<>();
        for (Object[] row : rows) {
            out.put(((Number) row[0]).longValue(), Factor.multiply("withdrawn", BigDecimal.ZERO,
                    "deleted on " + row[1] + " (" + row[2] + "): maintainers delete spam and abuse"));
        }
        return out;
    }

    /**
     * The epoch's issues and pull requests that the forge's last word declined, with that word (who, and why) and
     * the source. In the input record whatever the factor, so the input hash covers the verdicts a run saw.
     */
    @SuppressWarnings("unchecked")
    private Map<Long, String> declined(Epoch epoch) {
        List<Object[]> rows = Panache.getEntityManager().createNativeQuery("select c.id, c.source, s.reason "
                        + "from contribution c join contribution_state s on s.source = c.source and s.external_id = "
                        + "c.external_id where s.declined = true and c.occurred_at >= ?1 and c.occurred_at < ?2 order by c.id")
                .setParameter(1, epoch.startsAt).setParameter(2, epoch.endsAt).getResultList();
        Map<Long, String> out = new TreeMap<>();
        for (Object[] row : rows) {
            out.put(((Number) row[0]).longValue(), row[2] + " (" + row[1] + ")");
        }
        return out;
    }

    /**
     * Comments that are reactions ({@link TrivialComments}): factor 0, with the comment quoted in the reason. Closing or
     * resolving an issue is recorded as a comment without text that closes it: an action, never a reaction.
     */
    @SuppressWarnings("unchecked")
    private Map<Long, Factor> trivialFactors(Epoch epoch) {
        Map<Long, Factor> out = new TreeMap<>();
        if (config.trivialCommentWords() <= 0) {
            return out;
        }
        List<Object[]> rows = Panache.getEntityManager().createNativeQuery("select c.id, c.body from contribution c "
                        + "where c.kind = 'comment' and c.occurred_at >= ?1 and c.occurred_at < ?2 and not exists ("
                        + "select 1 from contribution_link l where l.source = c.source and l.from_external_id = c.external_id "
                        + "and l.kind = 'closes') order by c.id")
                .setParameter(1, epoch.startsAt).setParameter(2, epoch.endsAt).getResultList();
        for (Object[] row : rows) {
            TrivialComments.why((String) row[1], config.trivialCommentWords()).ifPresent(why ->
                    out.put(((Number) row[0]).longValue(), Factor.multiply("trivial", BigDecimal.ZERO, why)));
        }
        return out;
    }

    /**
     * Repeated activity: reviews of one pull request, or comments on one issue or pull request, by the same person in
     * the epoch, in time order. The first counts in full, the n-th gets {@code repeatFactor^(n-1)}, so however many
     * there are they add up to less than {@code 1 / (1 - repeatFactor)} times one (twice, by default).
     */
    @SuppressWarnings("unchecked")
    private Map<Long, Factor> repeatFactors(Epoch epoch) {
        Map<Long, Factor> out = new TreeMap<>();
        if (config.repeatFactor().compareTo(BigDecimal.ONE) >= 0) {
            return out;
        }
        List<Object[]> rows = Panache.getEntityManager().createNativeQuery("select c.id, cc.contributor_id, l.kind, "
                        + "l.to_external_id, c.source from contribution c join contribution_link l on l.source = c.source and "
                        + "l.from_external_id = c.external_id join contribution_credit cc on cc.contribution_id = c.id "
                        + "where l.kind in ('reviews', 'comments-on') and c.occurred_at >= ?1 and c.occurred_at < ?2 "
                        + "order by c.source, l.kind, l.to_external_id, cc.contributor_id, c.occurred_at, c.external_id")
                .setParameter(1, epoch.startsAt).setParameter(2, epoch.endsAt).getResultList();
        String group = null;
        int n = 0;
        for (Object[] row : rows) {
            String key = row[4] + "\u0000" + row[1] + "\u0000" + row[2] + "\u0000" + row[3];
            n = key.equals(group) ? n + 1 : 0;
            group = key;
            if (n == 0) {
                continue;
            }
            long id = ((Number) row[0]).longValue();
            String what = row[2].equals("reviews") ? "review of " : "comment on ";
            Factor f = Factor.multiply("repeat", config.repeatFactor().pow(n)
                    .setScale(Factor.SCALE, java.math.RoundingMode.HALF_EVEN), ordinal(n + 1) + " " + what + row[3]
                    + " by the same person in this epoch: x" + config.repeatFactor().stripTrailingZeros().toPlainString()
                    + " for each one before it");
            out.merge(id, f, (a, b) -> a.value().compareTo(b.value()) <= 0 ? a : b);
        }
        return out;
    }

    /**
     * Copies: a commit whose patch identity (its changed lines, whitespace and positions left out) is that of an earlier
     * commit of the same repository in the epoch makes a change already paid for (a cherry-pick, or the same change
     * applied again on a branch merged back): factor 0, naming the first. The first is the one committed first (then
     * the smaller hash). Only the epoch's own commits are compared, so a run stays a function of its epoch's inputs.
     */
    @SuppressWarnings("unchecked")
    private Map<Long, Factor> copyFactors(Epoch epoch) {
        List<Object[]> rows = Panache.getEntityManager().createNativeQuery("select c.id, o.external_id from contribution c "
                        + "join contribution o on o.repository_id = c.repository_id and o.patch_id = c.patch_id "
                        + "and (o.occurred_at < c.occurred_at or (o.occurred_at = c.occurred_at "
                        + "and o.external_id < c.external_id)) "
                        + "where c.patch_id is not null and c.occurred_at >= ?1 and c.occurred_at < ?2 "
                        + "and o.occurred_at >= ?1 order by c.id, o.occurred_at, o.external_id")
                .setParameter(1, epoch.startsAt).setParameter(2, epoch.endsAt).getResultList();
        Map<Long, Factor> out = new TreeMap<>();
        for (Object[] row : rows) {
            String original = (String) row[1];
            out.putIfAbsent(((Number) row[0]).longValue(), Factor.multiply("copy", BigDecimal.ZERO,
                    "the same change as commit " + original.substring(0, Math.min(12, original.length()))
                            + " (cherry-picked or applied again): paid once, there"));
        }
        return out;
    }

    private static String ordinal(int n) {
        int mod100 = n % 100;
        String suffix = mod100 >= 11 && mod100 <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }

    public static List<Factor> withCreditShare(List<Factor> factors, int credits) {
        if (credits <= 1) {
            return factors;
        }
        List<Factor> shared = new ArrayList<>(factors);
        shared.add(Factor.multiply("credit_share", BigDecimal.ONE.divide(BigDecimal.valueOf(credits),
                        new MathContext(20, RoundingMode.HALF_EVEN)),
                "shared equally by " + credits + " authors (Co-authored-by)"));
        return shared;
    }

    /** @param changedLines SHA-256 of the commit's packed {@link dev.merit.ingest.ChangedLines}, or null */
    private static Map<String, Object> inputRecord(Contribution c, ContributionMetrics metrics, String changedLines,
                                                   String declined, ScoringModel.Correction correction) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("contribution", c.source + ":" + c.externalId);
        record.put("kind", c.kind);
        record.put("at", c.occurredAt.toString());
        record.put("title", c.title);
        record.put("metrics", metrics);
        record.put("credits", c.credits.stream().map(cr -> cr.contributorId).sorted(Comparator.naturalOrder()).toList());
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
