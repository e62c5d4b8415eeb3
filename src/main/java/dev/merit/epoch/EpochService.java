package dev.merit.epoch;

import dev.merit.audit.RecordedText;
import dev.merit.problem.ProblemException;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.merit.audit.TokenAmounts;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
public class EpochService {

    /** What a new epoch needs; amounts in token base units. */
    public record NewEpoch(String name, Instant startsAt, Instant endsAt, BigInteger budget, Integer tokenDecimals,
                           PayoutPolicy policy) {
    }

    /** Epochs lie in [1970, 2200) and last at most 100 years: dates outside are typing mistakes, not pay periods. */
    public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("2200-01-01T00:00:00Z");
    public static final Duration LONGEST = Duration.ofDays(36_525);

    public List<Epoch> list() {
        return Epoch.listAll(Sort.by("startsAt").and("id"));
    }

    public Epoch get(long id) {
        return Epoch.<Epoch>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("epoch", id));
    }

    /**
     * Holds epoch {@code id} against deletion until the transaction ends, for a write that refers to it (a scoring run,
     * a dispute of one): a deletion at the same moment then either came first, and this is refused (409
     * deleted-meanwhile, nothing kept), or waits and then removes or refuses what this wrote. Taken just before the
     * end, so held briefly: FOR SHARE on PostgreSQL (scorings and disputes of one epoch do not wait for each other),
     * FOR UPDATE on H2, which has no shared row lock (they wait for each other there, at most H2's lock timeout). A
     * deletion locks FOR UPDATE first ({@code EpochRemoval}); a command that scores and then proposes in one
     * transaction locks the epoch for writing before it scores. Without it the embedded database kept runs of an epoch
     * that no longer existed.
     */
    public static void holdAgainstDeletion(long id) {
        List<Epoch> still = Epoch.getEntityManager().createQuery("select e from Epoch e where e.id = :id", Epoch.class)
                .setParameter("id", id).setLockMode(jakarta.persistence.LockModeType.PESSIMISTIC_READ).getResultList();
        if (still.isEmpty()) {
            throw new ProblemException(ProblemException.Kind.CONFLICT, "deleted-meanwhile", "Deleted meanwhile",
                    "The epoch was deleted while this request ran (a maintainer removed it as a mistake); nothing "
                            + "of this request was kept.", java.util.Map.of("epochId", id));
        }
    }

    /**
     * The other epochs whose periods share time with {@code epoch} (periods are half-open: one that ends as another
     * starts does not overlap it), oldest first. A contribution in the shared time is scored in each, and any stretch
     * of time is paid once (a payout of a period overlapping one paid or on chain is refused).
     */
    public List<Epoch> overlapping(Epoch epoch) {
        return Epoch.list("startsAt < ?1 and endsAt > ?2 and id <> ?3", Sort.by("startsAt").and("id"), epoch.endsAt,
                epoch.startsAt, epoch.id);
    }

    /**
     * {@link #overlapping} of every epoch of {@code all} (in {@link #list}'s order: by start, then id), among them: one
     * pass, not a query each. Each list comes out in that order too (an epoch meets those before it first, in order,
     * then those after it).
     */
    public static Map<Long, List<Epoch>> overlaps(List<Epoch> all) {
        Map<Long, List<Epoch>> out = new java.util.HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            Epoch a = all.get(i);
            // Sorted by start: once one starts at or after a's end, so do all the rest.
            for (int j = i + 1; j < all.size() && all.get(j).startsAt.isBefore(a.endsAt); j++) {
                Epoch b = all.get(j);
                if (a.overlaps(b)) {
                    out.computeIfAbsent(a.id, k -> new java.util.ArrayList<>()).add(b);
                    out.computeIfAbsent(b.id, k -> new java.util.ArrayList<>()).add(a);
                }
            }
        }
        return out;
    }

    /**
     * Time just before an epoch that no epoch covers: from the latest end among the epochs that start before it
     * ({@code after}) to its start. Work dated then is in no epoch, so no payout pays it; and once a later period is
     * approved, no payout ever can (the vault pays periods once and in order).
     */
    public record Gap(Instant from, Instant to, Epoch after) {
    }

    /**
     * {@link #gapBefore} of every epoch of {@code all} (in {@link #list}'s order: by start, then id) that has one,
     * among them: one pass. The first epoch has none: work before it is history from before the DAO paid.
     */
    public static Map<Long, Gap> gapsBefore(List<Epoch> all) {
        Map<Long, Gap> out = new java.util.HashMap<>();
        Epoch latest = null; // of the epochs that start before the one at hand, the one that ends last
        int folded = 0;
        for (Epoch e : all) {
            while (folded < all.size() && all.get(folded).startsAt.isBefore(e.startsAt)) {
                Epoch f = all.get(folded++);
                if (latest == null || f.endsAt.isAfter(latest.endsAt)) {
                    latest = f;
                }
            }
            if (latest != null && latest.endsAt.isBefore(e.startsAt)) {
                out.put(e.id, new Gap(latest.endsAt, e.startsAt, latest));
            }
        }
        return out;
    }

    /** The time just before {@code epoch} that no epoch covers, if there is any (see {@link Gap}). */
    public Optional<Gap> gapBefore(Epoch epoch) {
        // Of those ending last, the first by start, then id: the one gapsBefore names from the list.
        return Epoch.<Epoch>find("startsAt < ?1", Sort.by("endsAt").descending().and("startsAt").and("id"),
                        epoch.startsAt)
                .firstResultOptional().filter(latest -> latest.endsAt.isBefore(epoch.startsAt))
                .map(latest -> new Gap(latest.endsAt, epoch.startsAt, latest));
    }

    /** How many contributions are dated in {@code [from, to)}. */
    public long contributionsBetween(Instant from, Instant to) {
        return ((Number) Epoch.getEntityManager().createNativeQuery("select count(*) from contribution where "
                + "occurred_at >= ?1 and occurred_at < ?2").setParameter(1, from).setParameter(2, to)
                .getSingleResult()).longValue();
    }

    /**
     * The epoch of this name, as epochs are named: stripped, in one Unicode form (NFC); else the one epoch whose name
     * differs from it only by case ("may-2026" for "May-2026"), when there is exactly one.
     */
    public Optional<Epoch> findByName(String name) {
        List<Epoch> found = named(RecordedText.sameName(name), 2);
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    /** The epoch of exactly this name, else at most {@code most} of those whose names differ from it only by case. */
    private static List<Epoch> named(String name, int most) {
        Optional<Epoch> exact = Epoch.find("name", name).firstResultOptional();
        // The key (Java's lower case) as well as the database's lower(): the two differ past ASCII on a database
        // that folds only ASCII letters, and a name the key alone refused would be refused for good as a conflict.
        return exact.map(List::of).orElseGet(() -> Epoch.<Epoch>find("lower(name) = lower(?1) or nameKey = ?2 "
                + "order by id", name, name.toLowerCase(java.util.Locale.ROOT)).page(0, most).list());
    }

    @Transactional
    public Epoch create(NewEpoch request) {
        PayoutPolicy policy = request.policy() == null
                ? new PayoutPolicy(BigInteger.ZERO, null, false, false) : request.policy();
        validate(request, policy);
        String name = RecordedText.name("name", request.name(), 128, null);
        List<Epoch> sameName = named(name, 1);
        if (!sameName.isEmpty()) {
            Epoch existing = sameName.get(0);
            throw new ProblemException(ProblemException.Kind.CONFLICT, "epoch-exists", "Epoch exists",
                    "An epoch named '" + existing.name + "' already exists (id " + existing.id + ")"
                            + (existing.name.equals(name) ? "." : ": names that differ only by case read as one."),
                    Map.of("epochId", existing.id));
        }
        Epoch epoch = new Epoch();
        epoch.name = name;
        epoch.nameKey = name.toLowerCase(java.util.Locale.ROOT);
        epoch.startsAt = request.startsAt();
        epoch.endsAt = request.endsAt();
        epoch.budget = request.budget();
        epoch.tokenDecimals = request.tokenDecimals() == null ? 18 : request.tokenDecimals();
        epoch.minPayout = policy.minPayout();
        epoch.cap = policy.cap();
        epoch.sqrtDampening = policy.sqrtDampening();
        epoch.includeBots = policy.includeBots();
        epoch.createdAt = Instant.now();
        epoch.persistAndFlush(); // a name taken at the same moment breaks its key's index here: a 409, not a 500
        return epoch;
    }

    /**
     * Checks a budget against a policy (base units; messages in tokens); shared by epoch creation and proposals that
     * override the budget. Everything must fit the vault's 128-bit accounting.
     */
    public static void validateBudget(BigInteger budget, PayoutPolicy policy, int decimals) {
        if (budget == null || budget.signum() <= 0) {
            throw ProblemException.invalid("The budget must be more than 0 tokens, got "
                    + TokenAmounts.format(budget, decimals) + ".");
        }
        TokenAmounts.requireFits("The budget", budget, decimals);
        TokenAmounts.requireFits("The minimum payout", policy.minPayout(), decimals);
        TokenAmounts.requireFits("The cap", policy.cap(), decimals);
        if (policy.minPayout().signum() < 0) {
            throw ProblemException.invalid("The minimum payout cannot be negative, got "
                    + TokenAmounts.words(policy.minPayout(), decimals) + ".");
        }
        if (policy.cap() != null && policy.cap().signum() <= 0) {
            throw ProblemException.invalid("The cap must be more than 0 tokens when set, got "
                    + TokenAmounts.words(policy.cap(), decimals) + ".");
        }
        if (policy.cap() != null && policy.cap().compareTo(policy.minPayout()) < 0) {
            throw ProblemException.invalid("The cap (" + TokenAmounts.words(policy.cap(), decimals)
                    + ") is below the minimum payout (" + TokenAmounts.words(policy.minPayout(), decimals)
                    + "): no payout could satisfy both. Raise the cap or lower the minimum.");
        }
        if (budget.compareTo(policy.minPayout()) < 0) {
            throw ProblemException.invalid("The budget (" + TokenAmounts.words(budget, decimals)
                    + ") is below the minimum payout (" + TokenAmounts.words(policy.minPayout(), decimals)
                    + "): nobody could be paid.");
        }
    }

    /** Decimals of a new epoch's token: 18 (ether-like tokens) unless given; checked to be 0..36. */
    public static int decimals(Integer requested) {
        if (requested != null && (requested < 0 || requested > 36)) {
            throw ProblemException.invalid("tokenDecimals must be between 0 and 36, got " + requested + ".");
        }
        return requested == null ? 18 : requested;
    }

    private static void validate(NewEpoch request, PayoutPolicy policy) {
        if (request.name() == null || request.name().isBlank()) {
            throw ProblemException.invalid("name is required, e.g. \"2026-11\".");
        }
        // One line of text a person reads (on the dashboard, in the vote's description): no control characters.
        RecordedText.name("name", request.name(), 128, null);
        if (request.startsAt() == null || request.endsAt() == null) {
            throw ProblemException.invalid("startsAt and endsAt are required (ISO-8601 instants).");
        }
        if (!request.startsAt().isBefore(request.endsAt())) {
            throw ProblemException.invalid("startsAt (" + request.startsAt() + ") must be before endsAt ("
                    + request.endsAt() + ").");
        }
        if (request.startsAt().isBefore(EARLIEST) || request.endsAt().isAfter(LATEST)) {
            throw ProblemException.invalid("An epoch lies between " + EARLIEST + " and " + LATEST + " (Git's dates "
                    + "begin in 1970), got " + request.startsAt() + " to " + request.endsAt() + ".");
        }
        if (Duration.between(request.startsAt(), request.endsAt()).compareTo(LONGEST) > 0) {
            throw ProblemException.invalid("An epoch lasts at most " + LONGEST.toDays() + " days (100 years), got "
                    + Duration.between(request.startsAt(), request.endsAt()).toDays() + " days.");
        }
        int decimals = decimals(request.tokenDecimals());
        validateBudget(request.budget(), policy, decimals);
    }
}
