package dev.merit.scoring;

import io.quarkus.panache.common.Page;

import dev.merit.audit.RecordedText;

import dev.merit.security.MaintainerCall;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import dev.merit.events.Lifecycle;
import jakarta.enterprise.event.Event;
import java.util.HashMap;
import dev.merit.epoch.Epoch;
import dev.merit.ingest.Contribution;
import dev.merit.problem.ProblemException;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Disputes of a contribution's type: a contributor says the model got the type of one of their commits or pull
 * requests wrong in a scoring run (a feature taken for a chore weighs 0.3 instead of 1); a maintainer accepts,
 * correcting the type for every scoring run from then on, or rejects with a reason the contributor reads. Only types
 * the classifier gives are disputed: reviews, issues and comments are what their source says they are.
 */
@ApplicationScoped
public class DisputeService {

    /** The classifier's types: what a dispute may claim and a maintainer may set. */
    public static final List<String> TYPES = List.of("feature", "fix", "perf", "refactor", "test", "docs", "build",
            "chore", "style", "revert");
    static final int MAX_TEXT = 2000;
    /** Open disputes one contributor may have at a time: maintainers answer them by hand. */
    static final int MAX_OPEN = 25;

    /** A dispute as the API and the CLI show it. */
    public record View(long id, long runId, long contributionId, String contribution, String title, long contributorId,
                       String scoredType, String claimedType, String reason, String status, Instant openedAt,
                       Instant settledAt, String settledBy,
                       @Schema(description = "How Merit knew a maintainer answered (see the bot marks' markedVia); "
                               + "absent before Merit kept it") String settledVia,
                       String answer, String correctedType,
                       @Schema(description = "The contributor's name") String contributorName,
                       @Schema(description = "The epoch of the run disputed") long epochId,
                       @Schema(description = "The epoch's name") String epochName,
                       @Schema(description = "The contribution's points for this contributor in the run disputed")
                       String points,
                       @Schema(description = "The type factor those points were scored with") String typeFactor,
                       @Schema(description = "The weight of the type asked for: the corrected type once accepted, "
                               + "else the one claimed; null when no type was named") String askedWeight,
                       @Schema(description = "The points with that weight instead, all else as in the run disputed: "
                               + "what the next scoring run gives it if the type is set (a share of the budget, "
                               + "so the others' pay moves too)") String pointsAsked) {
    }

    private final Event<Lifecycle> lifecycle;
    private final dev.merit.contributor.Wallets wallets;

    private final Map<ContributionType, java.math.BigDecimal> weights;

    public DisputeService(Event<Lifecycle> lifecycle, dev.merit.contributor.Wallets wallets, ScoringConfig config) {
        this.lifecycle = lifecycle;
        this.wallets = wallets;
        this.weights = FormulaModel.weights(config.typeWeights());
    }

    /**
     * Whether {@code s} was paid as its type's own weight. The learned scorer pays the median (or expected) weight
     * over the model's probabilities: a commit it calls a feature while unsure may be paid as a refactor (0.8), and
     * its contributor may then dispute it "as a feature", which pays it a feature's weight once accepted.
     */
    private boolean paidAsItsType(ContributionScore s) {
        java.math.BigDecimal own = weights.get(ContributionType.ofLabel(s.contributionType));
        java.math.BigDecimal factor = typeFactor(s);
        return own == null || factor == null || factor.compareTo(own) == 0; // unreadable: taken as paid
    }

    /** The type factor a score was multiplied by (its breakdown's "type"), or null where it has none. */
    private static java.math.BigDecimal typeFactor(ContributionScore s) {
        try {
            for (com.fasterxml.jackson.databind.JsonNode f : FACTORS.readTree(s.factors)) {
                if ("type".equals(f.path("name").asText()) && "MULTIPLY".equals(f.path("op").asText())
                        && f.hasNonNull("value")) {
                    // Exact numbers are stored as text ("0.8": ExactNumbers), read as written.
                    return new java.math.BigDecimal(f.get("value").asText());
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return null;
        }
        return null;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper FACTORS = new com.fasterxml.jackson.databind.ObjectMapper();

    /** {@code dispute.opened}, {@code dispute.accepted} or {@code dispute.rejected}, published once committed. */
    private void fire(View d) {
        Map<String, Object> data = new TreeMap<>();
        data.put("disputeId", d.id());
        data.put("runId", d.runId());
        data.put("contribution", d.contribution());
        data.put("contributorId", d.contributorId());
        data.put("scoredType", d.scoredType());
        if (d.claimedType() != null) {
            data.put("claimedType", d.claimedType());
        }
        if (d.correctedType() != null) {
            data.put("correctedType", d.correctedType());
        }
        lifecycle.fire(new Lifecycle("dispute." + d.status().replace("open", "opened"), "dispute/" + d.id(),
                data));
    }

    @Transactional
    public View open(long contributorId, long runId, long contributionId, String claimedType, String reason) {
        String why = text("reason", reason, "Say why the type is wrong (what the change does); the maintainer answering reads it.");
        String claimed = claimedType == null || claimedType.isBlank() ? null : type(claimedType);
        ContributionScore score = ContributionScore.<ContributionScore>find(
                        "runId = ?1 and contributionId = ?2 and contributorId = ?3", runId, contributionId, contributorId)
                .firstResultOptional().orElseThrow(() -> new ProblemException(ProblemException.Kind.NOT_FOUND, "not-scored", "Not scored",
                        "Contribution " + contributionId + " has no score of contributor " + contributorId + " in scoring run "
                                + runId + ". Dispute your own contributions, in a run that scored them.", null));
        // Locked, the contributor first: two requests at once (two tabs, a double tap, a script) neither open two
        // disputes of one contribution nor count the same open disputes under the cap.
        dev.merit.contributor.Contributor.findById(contributorId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        Contribution c = Contribution.findById(contributionId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (ContributionType.ofKind(c.kind).isPresent() || !TYPES.contains(score.contributionType)) {
            throw ProblemException.unprocessable("not-disputable", "Type not from the model",
                    "This " + c.kind + " is typed '" + score.contributionType + "' by what it is, not by the model; only "
                            + "the types of commits and pull requests can be disputed.");
        }
        if (score.contributionType.equals(claimed) && paidAsItsType(score)) {
            throw ProblemException.invalid("Run " + runId + " already gave it type '" + claimed + "'.");
        }
        // One open dispute per contribution, whoever opened it: two co-authors' disputes answered apart would each set
        // its type, and the one settled last would win without a word to either maintainer.
        Dispute.<Dispute>find("contributionId = ?1 and status = ?2", contributionId, Dispute.Status.OPEN)
                .firstResultOptional().ifPresent(d -> {
            String by = d.contributorId.equals(contributorId) ? "" : ", opened by a co-author,";
            throw ProblemException.conflict("Dispute " + d.id + " about this contribution" + by + " is open: a maintainer "
                    + "answers it before another can be opened.");
        });
        // A run before a correction, disputed toward it (or toward "not this"), asks for what is done already; a run
        // after it may dispute the correction itself.
        Dispute.<Dispute>find("contributionId = ?1 and status = ?2 order by settledAt desc, id desc", contributionId,
                Dispute.Status.ACCEPTED).firstResultOptional()
                .filter(d -> !d.correctedType.equals(score.contributionType)
                        && (claimed == null || d.correctedType.equals(claimed)))
                .ifPresent(d -> {
                    throw ProblemException.conflict("Dispute " + d.id + " already corrected it to '" + d.correctedType
                            + "': scoring runs from " + dev.merit.problem.Moments.of(d.settledAt) + " on give it that type (score the epoch again).");
                });
        // A claim a maintainer rejected is not asked again as it was (another type may be): the answer stands, and the
        // queue maintainers work through is not filled with the same question.
        Dispute.<Dispute>find("contributionId = ?1 and status = ?2 order by settledAt desc, id desc", contributionId,
                Dispute.Status.REJECTED).list().stream()
                // "Not this type" (no claimed type) asks the same only of the same scored type.
                .filter(d -> java.util.Objects.equals(d.claimedType, claimed)
                        && (claimed != null || d.scoredType.equals(score.contributionType))).findFirst()
                .ifPresent(d -> {
                    throw new ProblemException(ProblemException.Kind.CONFLICT, "already-rejected", "Already answered",
                            "Dispute " + d.id + " claimed the same on " + dev.merit.problem.Moments.of(d.openedAt)
                                    + " and a maintainer rejected it: \"" + d.answer + "\". Raise it with the "
                                    + "maintainers if something is new.", null);
                });
        long open = Dispute.count("contributorId = ?1 and status = ?2", contributorId, Dispute.Status.OPEN);
        if (open >= MAX_OPEN) {
            throw new ProblemException(ProblemException.Kind.TOO_MANY, "too-many-disputes", "Too many open disputes", "You have "
                    + open + " open disputes, the most one may have; wait for answers before opening more.", null);
        }
        Dispute d = new Dispute();
        d.contributionId = contributionId;
        d.runId = runId;
        d.contributorId = contributorId;
        d.scoredType = score.contributionType;
        d.claimedType = claimed;
        d.reason = why;
        d.status = Dispute.Status.OPEN;
        d.openedAt = Instant.now();
        // Kept with the epoch disputed, or not at all: a dispute of a run deleted meanwhile had no run to show.
        dev.merit.epoch.EpochService.holdAgainstDeletion(ScoringRun.<ScoringRun>findByIdOptional(runId)
                .map(r -> r.epochId).orElse(-1L));
        d.persist();
        View v = view(d, c);
        fire(v);
        return v;
    }

    /** Accepts an open dispute: {@code type} (else the claimed one) is the contribution's type in every later run. */
    @Transactional
    public View accept(long id, String type, String answer, String by) {
        Dispute d = openOne(id);
        String corrected = type == null || type.isBlank() ? d.claimedType : type(type);
        if (corrected == null) {
            throw ProblemException.invalid("Dispute " + id + " claims no type: name the correct one (" + String.join(", ", TYPES) + ").");
        }
        if (corrected.equals(d.scoredType) && ContributionScore.<ContributionScore>find("runId = ?1 and contributionId = ?2 "
                + "and contributorId = ?3", d.runId, d.contributionId, d.contributorId).firstResultOptional()
                .map(this::paidAsItsType).orElse(true)) {
            throw ProblemException.invalid("'" + corrected + "' is the type the run gave; to keep it, reject the dispute.");
        }
        settle(d, Dispute.Status.ACCEPTED, text("answer", answer, null), by);
        d.correctedType = corrected;
        View v = view(d, Contribution.findById(d.contributionId));
        fire(v);
        return v;
    }

    @Transactional
    public View reject(long id, String answer, String by) {
        Dispute d = openOne(id);
        settle(d, Dispute.Status.REJECTED, text("answer", answer, "Say why the type stands: the contributor reads the answer."), by);
        View v = view(d, Contribution.findById(d.contributionId));
        fire(v);
        return v;
    }

    public View get(long id) {
        Dispute d = Dispute.<Dispute>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("dispute", id));
        return view(d, Contribution.findById(d.contributionId));
    }

    /** Disputes, oldest first; {@code status} and {@code contributorId} filter when given. */
    public List<View> list(Dispute.Status status, Long contributorId) {
        return list(status, contributorId, null, null);
    }

    /**
     * As {@link #list(Dispute.Status, Long)}, one page of it when {@code page} is given (read from the database). With
     * {@code after}, the page is of the disputes opened after that one (in the order they were opened, which is their
     * ids'): a list being answered while it is read neither skips nor repeats one, as an offset would.
     */
    public List<View> list(Dispute.Status status, Long contributorId, Page page, Long after) {
        StringBuilder q = new StringBuilder("1 = 1");
        Map<String, Object> params = new TreeMap<>();
        if (status != null) {
            q.append(" and status = :status");
            params.put("status", status);
        }
        if (contributorId != null) {
            q.append(" and contributorId = :contributor");
            params.put("contributor", contributorId);
        }
        if (after != null) {
            q.append(" and id > :after");
            params.put("after", after);
        }
        var query = Dispute.<Dispute>find(q + (after != null ? " order by id" : " order by openedAt, id"), params);
        List<Dispute> found = (page == null ? query : query.page(page)).list();
        Map<Long, Contribution> contributions = new HashMap<>();
        preload(Contribution.class, found.stream().map(d -> d.contributionId).distinct().toList())
                .forEach(c -> contributions.put(c.id, c));
        preload(dev.merit.contributor.Contributor.class, found.stream().map(d -> d.contributorId).distinct().toList());
        List<Long> runIds = found.stream().map(d -> d.runId).distinct().toList();
        preload(ScoringRun.class, runIds);
        preload(Epoch.class, runIds.stream().map(id -> ScoringRun.<ScoringRun>findById(id).epochId).distinct().toList());
        // Each dispute's score, for what its answer is worth: one query per list, not per dispute.
        Map<List<Long>, ContributionScore> scores = new HashMap<>();
        if (!found.isEmpty()) {
            ContributionScore.<ContributionScore>list("runId in ?1 and contributionId in ?2", runIds,
                            found.stream().map(d -> d.contributionId).distinct().toList())
                    .forEach(s -> scores.putIfAbsent(List.of(s.runId, s.contributionId, s.contributorId), s));
        }
        return found.stream().map(d -> view(d, contributions.get(d.contributionId),
                scores.get(List.of(d.runId, d.contributionId, d.contributorId)))).toList();
    }

    /** Loads these rows into the session in pages of 1,000 (so that findById finds them there), and returns them. */
    private static <T> List<T> preload(Class<T> entity, List<Long> ids) {
        List<T> out = new java.util.ArrayList<>(ids.size());
        for (int from = 0; from < ids.size(); from += 1000) {
            out.addAll(Panache.getEntityManager().createQuery("from " + entity.getSimpleName() + " where id in :ids", entity)
                    .setParameter("ids", ids.subList(from, Math.min(ids.size(), from + 1000))).getResultList());
        }
        return out;
    }

    /**
     * Type corrections in effect for the epoch's contributions: of each contribution's accepted disputes, the one
     * answered last.
     */
    @SuppressWarnings("unchecked")
    public Map<Long, ScoringModel.Correction> corrections(Epoch epoch) {
        List<Object[]> rows = Panache.getEntityManager().createNativeQuery("select d.contribution_id, d.corrected_type, "
                        + "d.id, d.answer from dispute d join contribution c on c.id = d.contribution_id where d.status = "
                        + "'ACCEPTED' and c.occurred_at >= ?1 and c.occurred_at < ?2 order by d.contribution_id, "
                        + "d.settled_at, d.id")
                .setParameter(1, epoch.startsAt).setParameter(2, epoch.endsAt).getResultList();
        Map<Long, ScoringModel.Correction> out = new TreeMap<>();
        for (Object[] row : rows) {
            String why = "corrected to " + row[1] + " by dispute " + row[2] + (row[3] == null ? "" : ": " + row[3]);
            out.put(((Number) row[0]).longValue(), new ScoringModel.Correction(ContributionType.ofLabel((String) row[1]), why));
        }
        return out;
    }

    /**
     * A maintainer does not answer a dispute of their own contribution: signed in with a wallet linked to the disputing
     * contributor, they would both ask and grant. Another maintainer answers it. (The shared token and an identity
     * provider's user name no contributor, so this is known only of a wallet.)
     */
    private void requireNotOwn(Dispute d) {
        java.util.Optional<Long> signedIn = dev.merit.security.MaintainerCall.wallet().flatMap(wallets::owner)
                .map(dev.merit.contributor.ContributorMerge::current);
        if (signedIn.isEmpty()) {
            return;
        }
        long own = signedIn.get();
        if (dev.merit.contributor.ContributorMerge.current(d.contributorId) == own) {
            throw new ProblemException(ProblemException.Kind.FORBIDDEN, "own-dispute", "Your own dispute",
                    "Dispute " + d.id + " is about a contribution of contributor " + own + ", whose wallet you signed in "
                            + "with: another maintainer answers it.", null);
        }
        // A co-author's dispute of a contribution the maintainer shares: its type sets their pay too.
        List<?> credited = Panache.getEntityManager().createNativeQuery("select contributor_id from contribution_credit "
                + "where contribution_id = ?1").setParameter(1, d.contributionId).getResultList();
        if (credited.stream().anyMatch(c -> dev.merit.contributor.ContributorMerge.current(((Number) c).longValue()) == own)) {
            throw new ProblemException(ProblemException.Kind.FORBIDDEN, "own-dispute", "Your own dispute",
                    "Dispute " + d.id + " is about a contribution credited to you too (contributor " + own + ", whose "
                            + "wallet you signed in with): its type sets your pay as well, so another maintainer answers it.",
                    null);
        }
    }

    /** The open dispute {@code id}, locked, for the current maintainer to answer (not their own). */
    private Dispute openOne(long id) {
        // Locked until the answer is stored: of two maintainers answering at once, the second reads it settled.
        Dispute d = Dispute.<Dispute>findByIdOptional(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> ProblemException.notFound("dispute", id));
        if (d.status != Dispute.Status.OPEN) {
            throw ProblemException.conflict("Dispute " + id + " was " + d.status.name().toLowerCase(Locale.ROOT) + " on "
                    + dev.merit.problem.Moments.of(d.settledAt) + (d.settledBy == null ? "" : " by " + d.settledBy) + "; a settled dispute stays settled.");
        }
        requireNotOwn(d);
        return d;
    }

    private void settle(Dispute d, Dispute.Status status, String answer, String by) {
        d.status = status;
        d.answer = answer;
        d.settledBy = RecordedText.name("by", by, MaintainerCall.nameOr("maintainer"));
        d.settledVia = MaintainerCall.proof();
        d.settledAt = Instant.now();
    }

    /**
     * Other words people write for a type, as in Conventional Commits prefixes ({@code feat}, {@code ci}): a
     * contributor or maintainer who writes one is understood, not refused. Only unambiguous ones (not "update").
     */
    static final java.util.Map<String, String> SPELLINGS = java.util.Map.ofEntries(
            java.util.Map.entry("feat", "feature"), java.util.Map.entry("features", "feature"),
            java.util.Map.entry("bugfix", "fix"), java.util.Map.entry("bug", "fix"), java.util.Map.entry("hotfix", "fix"),
            java.util.Map.entry("doc", "docs"), java.util.Map.entry("documentation", "docs"),
            java.util.Map.entry("tests", "test"), java.util.Map.entry("testing", "test"),
            java.util.Map.entry("performance", "perf"), java.util.Map.entry("refactoring", "refactor"),
            java.util.Map.entry("ci", "build"), java.util.Map.entry("chores", "chore"),
            java.util.Map.entry("deps", "chore"), java.util.Map.entry("dep", "chore"), java.util.Map.entry("bump", "chore"),
            java.util.Map.entry("lint", "style"), java.util.Map.entry("format", "style"),
            java.util.Map.entry("formatting", "style"));

    private static String type(String label) {
        String t = label.strip().toLowerCase(Locale.ROOT);
        t = SPELLINGS.getOrDefault(t, t);
        if (!TYPES.contains(t)) {
            throw ProblemException.invalid("'" + dev.merit.problem.Clip.of(label) + "' is not a contribution type; one of "
                    + String.join(", ", TYPES) + ".");
        }
        return t;
    }

    private static String text(String field, String value, String ifMissing) {
        String t = RecordedText.prose(field, value, MAX_TEXT, null);
        if (t == null && ifMissing != null) {
            throw ProblemException.invalid(ifMissing);
        }
        return t;
    }

    private View view(Dispute d, Contribution c) {
        return view(d, c, ContributionScore.<ContributionScore>find("runId = ?1 and contributionId = ?2 and "
                + "contributorId = ?3", d.runId, d.contributionId, d.contributorId).firstResult());
    }

    /** The dispute as read, with {@code s}, its contributor's score of the contribution in the run disputed. */
    private View view(Dispute d, Contribution c, ContributionScore s) {
        // Found in the session when a list loaded them together (see list): one query per list, not per dispute.
        dev.merit.contributor.Contributor who = dev.merit.contributor.Contributor.findById(d.contributorId);
        ScoringRun run = ScoringRun.findById(d.runId);
        Epoch epoch = Epoch.findById(run.epochId);
        // What the answer is worth: the points disputed, and with the asked type's weight instead (the score is its
        // size times its factors, so the type's factor is swapped exactly; rounded to the millionth, as scores are).
        java.math.BigDecimal factor = s == null ? null : typeFactor(s);
        String asked = d.correctedType != null ? d.correctedType : d.claimedType;
        java.math.BigDecimal weight = asked == null ? null : weights.get(ContributionType.ofLabel(asked));
        java.math.BigDecimal pointsAsked = factor == null || factor.signum() == 0 || weight == null ? null
                : s.score.multiply(weight).divide(factor, 6, java.math.RoundingMode.HALF_EVEN);
        return new View(d.id, d.runId, d.contributionId, c.source + ":" + c.externalId, c.title, d.contributorId,
                d.scoredType, d.claimedType, d.reason, d.status.name().toLowerCase(Locale.ROOT), d.openedAt, d.settledAt,
                d.settledBy, d.settledVia, d.answer, d.correctedType, who.displayName, epoch.id, epoch.name,
                s == null ? null : s.score.toPlainString(), plain(factor), plain(weight), plain(pointsAsked));
    }

    private static String plain(java.math.BigDecimal v) {
        return v == null ? null : v.stripTrailingZeros().toPlainString();
    }
}
