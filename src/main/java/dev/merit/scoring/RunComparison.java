package dev.merit.scoring;

import dev.merit.audit.IdSlices;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Set;
import java.util.TreeSet;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.merit.scoring.policy.PolicyFormats;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.contributor.Contributor;
import dev.merit.problem.ProblemException;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What changed between two scoring runs of one epoch: after a dispute is answered, an issue declined, a policy or a
 * model changed, a maintainer re-scores; before proposing that run's payout, this shows whose totals moved, which
 * contributions moved most, and which of their factors changed (the new factor's reason says why).
 */
@ApplicationScoped
public class RunComparison {

    /** A factor as stored with a score. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StoredFactor(String name, String op, BigDecimal value, String detail) {
    }

    public record FactorChange(String name, BigDecimal before, BigDecimal after, String detail) {
    }

    public record ContributionChange(long contributionId, String contribution, String title, long contributorId,
                                     BigDecimal before, BigDecimal after, BigDecimal delta, String typeBefore,
                                     String typeAfter, List<FactorChange> factors) {
    }

    public record ContributorChange(long contributorId, String displayName, BigDecimal before, BigDecimal after,
                                    BigDecimal delta, Integer rankBefore, Integer rankAfter,
                                    @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "Counted as "
                                            + "a bot by the earlier run; absent when it did not score them")
                                    Boolean botBefore,
                                    @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "Counted as "
                                            + "a bot by this run (a maintainer's mark in between moves pay, not points)")
                                    Boolean botAfter) {
    }

    /**
     * @param policyChanged     the policy hash differs
     * @param policyRulesChanged the rules differ; false with policyChanged when only the document's format changed
     */
    public record Comparison(long fromRun, long toRun, long epochId, boolean modelChanged, boolean policyChanged,
                             boolean policyRulesChanged, String policyNote, boolean inputsChanged, BigDecimal totalBefore, BigDecimal totalAfter,
                             int changedContributions, List<ContributorChange> contributors,
                             List<ContributionChange> contributions) {
    }

    private static final TypeReference<List<StoredFactor>> FACTORS = new TypeReference<>() {
    };

    private final ScoringService scoring;
    private final ObjectMapper json;

    public RunComparison(ScoringService scoring, ObjectMapper json) {
        this.scoring = scoring;
        this.json = json;
    }

    /** An epoch as a refusal names it: by its name, with its id. */
    private static String epochName(long epochId) {
        dev.merit.epoch.Epoch e = dev.merit.epoch.Epoch.findById(epochId);
        return e == null ? "#" + epochId : "'" + e.name + "' (id " + epochId + ")";
    }

    /**
     * Changes from run {@code from} to run {@code to}: every contributor whose total or rank moved, and the
     * {@code limit} contributions whose score moved most (a score is per contribution and credited contributor).
     */
    @SuppressWarnings("unchecked")
    public Comparison compare(long from, long to, int limit) {
        ScoringRun a = scoring.get(from);
        ScoringRun b = scoring.get(to);
        if (!a.epochId.equals(b.epochId)) {
            throw ProblemException.unprocessable("different-epochs", "Runs of different epochs",
                    "Run " + from + " scored epoch " + epochName(a.epochId) + " and run " + to + " epoch "
                            + epochName(b.epochId) + ": compare two runs of one epoch.");
        }
        var em = Panache.getEntityManager();
        Map<List<Long>, Object[]> before = new HashMap<>();
        for (Object[] r : (List<Object[]>) em.createNativeQuery("select contribution_id, contributor_id, score, "
                + "contribution_type from contribution_score where run_id = ?1").setParameter(1, from).getResultList()) {
            before.put(List.of(((Number) r[0]).longValue(), ((Number) r[1]).longValue()), r);
        }
        List<Object[]> moved = new ArrayList<>();
        for (Object[] r : (List<Object[]>) em.createNativeQuery("select contribution_id, contributor_id, score, "
                + "contribution_type from contribution_score where run_id = ?1").setParameter(1, to).getResultList()) {
            Object[] old = before.remove(List.of(((Number) r[0]).longValue(), ((Number) r[1]).longValue()));
            BigDecimal was = old == null ? BigDecimal.ZERO : (BigDecimal) old[2];
            if (old == null || was.compareTo((BigDecimal) r[2]) != 0 || !Objects.equals(old[3], r[3])) {
                moved.add(new Object[]{r[0], r[1], old == null ? null : was, r[2], old == null ? null : old[3], r[3]});
            }
        }
        for (Object[] old : before.values()) {
            moved.add(new Object[]{old[0], old[1], old[2], null, old[3], null});
        }
        moved.sort(Comparator.comparing((Object[] m) -> delta(m).abs()).reversed()
                .thenComparing(m -> ((Number) m[0]).longValue()).thenComparing(m -> ((Number) m[1]).longValue()));
        List<ContributionChange> changes = new ArrayList<>();
        for (Object[] m : moved.subList(0, Math.min(limit, moved.size()))) {
            long contribution = ((Number) m[0]).longValue();
            long contributor = ((Number) m[1]).longValue();
            Object[] c = (Object[]) em.createNativeQuery("select source, external_id, title from contribution where id = ?1")
                    .setParameter(1, contribution).getSingleResult();
            changes.add(new ContributionChange(contribution, c[0] + ":" + c[1], (String) c[2], contributor,
                    (BigDecimal) m[2], (BigDecimal) m[3], delta(m), (String) m[4], (String) m[5],
                    factorChanges(factors(from, contribution, contributor), factors(to, contribution, contributor))));
        }
        boolean policyChanged = !a.policyHash.equals(b.policyHash);
        boolean rulesChanged = policyChanged && !sameRules(a.policy, b.policy);
        String note = !policyChanged ? "the same policy" : rulesChanged ? "the policy's rules changed"
                : "the policy's format changed (it is stored as data now), not its rules";
        return new Comparison(from, to, a.epochId, !a.modelHash.equals(b.modelHash), policyChanged, rulesChanged, note,
                !Objects.equals(a.inputHash, b.inputHash), a.totalScore, b.totalScore, moved.size(), contributors(from, to),
                changes);
    }

    private boolean sameRules(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        try {
            return PolicyFormats.sameRules(json.readTree(a), json.readTree(b));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static BigDecimal delta(Object[] m) {
        BigDecimal was = m[2] == null ? BigDecimal.ZERO : (BigDecimal) m[2];
        BigDecimal is = m[3] == null ? BigDecimal.ZERO : (BigDecimal) m[3];
        return is.subtract(was);
    }

    private List<ContributorChange> contributors(long from, long to) {
        Map<Long, ContributorScore> a = new HashMap<>();
        ContributorScore.<ContributorScore>list("runId", from).forEach(s -> a.put(s.contributorId, s));
        Map<Long, ContributorScore> b = new HashMap<>();
        ContributorScore.<ContributorScore>list("runId", to).forEach(s -> b.put(s.contributorId, s));
        Set<Long> moved = new TreeSet<>();
        a.keySet().stream().filter(id -> !b.containsKey(id)).forEach(moved::add);
        b.forEach((id, y) -> {
            ContributorScore x = a.get(id);
            // A change of bot or person moves the payout (a bot's points are paid only under a policy that pays
            // bots) without moving a point: it is listed too.
            if (x == null || x.total.compareTo(y.total) != 0 || x.rank != y.rank || x.bot != y.bot) {
                moved.add(id);
            }
        });
        Map<Long, String> names = new HashMap<>();
        if (!moved.isEmpty()) {
            IdSlices.list(moved, slice -> Contributor.<Contributor>list("id in ?1", slice))
                    .forEach(c -> names.put(c.id, c.displayName));
        }
        List<ContributorChange> out = new ArrayList<>();
        for (Long id : moved) {
            ContributorScore x = a.get(id);
            ContributorScore y = b.get(id);
            BigDecimal delta = (y == null ? BigDecimal.ZERO : y.total).subtract(x == null ? BigDecimal.ZERO : x.total);
            out.add(new ContributorChange(id, names.get(id), x == null ? null : x.total, y == null ? null : y.total, delta,
                    x == null ? null : x.rank, y == null ? null : y.rank, x == null ? null : x.bot,
                    y == null ? null : y.bot));
        }
        out.sort(Comparator.comparing((ContributorChange c) -> c.delta().abs()).reversed()
                .thenComparing(ContributorChange::contributorId));
        return out;
    }

    private List<StoredFactor> factors(long run, long contribution, long contributor) {
        List<?> rows = Panache.getEntityManager().createNativeQuery("select factors from contribution_score where "
                        + "run_id = ?1 and contribution_id = ?2 and contributor_id = ?3")
                .setParameter(1, run).setParameter(2, contribution).setParameter(3, contributor).getResultList();
        if (rows.isEmpty()) {
            return List.of();
        }
        try {
            return json.readValue((String) rows.get(0), FACTORS);
        } catch (IOException e) {
            throw new IllegalStateException("factors of contribution " + contribution + " in run " + run + " are unreadable", e);
        }
    }

    /** Factors added, removed, or with another value; the detail is the new factor's (else the old one's). */
    static List<FactorChange> factorChanges(List<StoredFactor> before, List<StoredFactor> after) {
        Map<String, StoredFactor> a = new LinkedHashMap<>();
        before.forEach(f -> a.putIfAbsent(f.name(), f));
        Map<String, StoredFactor> b = new LinkedHashMap<>();
        after.forEach(f -> b.putIfAbsent(f.name(), f));
        List<FactorChange> out = new ArrayList<>();
        for (StoredFactor f : after) {
            StoredFactor old = a.get(f.name());
            if (b.get(f.name()) == f && (old == null || old.value().compareTo(f.value()) != 0)) {
                out.add(new FactorChange(f.name(), old == null ? null : old.value(), f.value(), f.detail()));
            }
        }
        for (StoredFactor f : before) {
            if (!b.containsKey(f.name()) && a.get(f.name()) == f) {
                out.add(new FactorChange(f.name(), f.value(), null, f.detail()));
            }
        }
        return out;
    }
}
