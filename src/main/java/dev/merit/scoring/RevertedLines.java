package dev.merit.scoring;

import dev.merit.audit.IdSlices;
import dev.merit.audit.SqlValues;
import dev.merit.epoch.Epoch;
import dev.merit.ingest.ChangedLines;
import dev.merit.ingest.ContributionEvent;
import io.quarkus.hibernate.orm.panache.Panache;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Lines a revert took out of a commit, for {@link UndoneLines}: added back later by that commit's own authors in the
 * same repository (the change landed again, with or without a fix), they are paid once, in the commit that first
 * added them. Without this, land, revert and land again with a one-line fix paid the change twice: the revert takes no
 * part in the pairing of undone lines (it would take away the pay of the work it undoes), and the new landing is not a
 * copy (its patch differs).
 *
 * <p>A revert names what it undoes as git writes it ({@code This reverts commit <sha>.} as the body's first line,
 * {@link GitRevert}); the reverted commit is looked up in the same repository. A reverted merge commit
 * ({@code git revert -m 1}, a forge's revert of a pull request merged with a merge commit) stands for the commits it
 * brought onto the branch. Only lines both added by the reverted commit and deleted by the revert are taken out (a
 * revert with conflicts resolved by hand deletes other lines too).
 *
 * <p>Reverts of the {@link #WINDOW} before the epoch count too: what they took out was paid there. Each line taken out
 * is added back once: the authors' commits between the revert and the epoch use up what they add back first, so a
 * block re-landed in February is not taken off an unrelated commit of May that happens to add the same lines.
 */
final class RevertedLines {

    /** How far back a revert still takes lines out of what its authors add: a re-landing within a year. */
    static final Duration WINDOW = Duration.ofDays(365);

    /** The lines revert {@code revert} took out of commit {@code reverted}, of {@code ledger} (repository and authors). */
    record TakenOut(String revert, String reverted, Order order, String ledger, long[] keys) {
    }

    /** Time order of the commits the pairing walks: when each reached the branch, its own date, then its hash. */
    static final Comparator<Order> ORDER = Comparator.comparing(Order::at).thenComparing(Order::written)
            .thenComparing(Order::sha);

    /**
     * When a commit reached the branch, in SQL over {@code c}: its date, or the date it had before it was counted as late
     * work (moved past a period paid without it). Epochs select by {@code occurred_at}; time order reads this, so that a
     * late commit stays before the commits built on it that were not late.
     */
    static final String HAPPENED = "coalesce(c.late_from, c.occurred_at)";

    record Order(Instant at, Instant written, String sha) {

        /** From a row: {@link #HAPPENED}, {@code committed_at} (null before V29: the commit's own date then) and the hash. */
        static Order of(Object occurredAt, Object committedAt, String sha) {
            Instant at = SqlValues.instant(occurredAt);
            return new Order(at, committedAt == null ? at : SqlValues.instant(committedAt), sha);
        }

        /** From an event not stored yet (a change the CI hook previews). */
        static Order of(ContributionEvent e) {
            return new Order(e.occurredAt(), e.committedAt() == null ? e.occurredAt() : e.committedAt(), e.externalId());
        }
    }

    /** The ledger of a commit: its repository and its authors ({@link UndoneLines#authors}). */
    static String ledger(Object repository, String authors) {
        return (repository instanceof Number n ? String.valueOf(n.longValue()) : String.valueOf(repository)) + "|"
                + authors;
    }

    private RevertedLines() {
    }

    /**
     * What reverts took out and no commit has added back yet, by ledger and line key, the oldest revert first. A line
     * is added back by a commit of the same ledger strictly after the revert and within {@link #WINDOW} of it.
     */
    static final class Pool {
        private final Map<String, Map<Long, ArrayDeque<TakenOut>>> open = new HashMap<>();

        Pool(List<TakenOut> takenOut) {
            List<TakenOut> byTime = new ArrayList<>(takenOut);
            byTime.sort(Comparator.comparing(TakenOut::order, ORDER));
            for (TakenOut x : byTime) {
                for (long key : x.keys()) {
                    open.computeIfAbsent(x.ledger(), k -> new HashMap<>())
                            .computeIfAbsent(key, k -> new ArrayDeque<>()).add(x);
                }
            }
        }

        /** Line {@code key}, added by a commit of {@code ledger} at {@code order}: what it adds back (used up), or null. */
        TakenOut addBack(String ledger, long key, Order order) {
            Map<Long, ArrayDeque<TakenOut>> byKey = open.get(ledger);
            ArrayDeque<TakenOut> queue = byKey == null ? null : byKey.get(key);
            if (queue == null) {
                return null;
            }
            for (Iterator<TakenOut> it = queue.iterator(); it.hasNext(); ) {
                TakenOut x = it.next();
                if (ORDER.compare(x.order(), order) >= 0) {
                    return null; // this revert and the ones after it are not before the commit
                }
                if (!order.at().isAfter(x.order().at().plus(WINDOW))) {
                    it.remove();
                    return x;
                }
            }
            return null;
        }
    }

    /**
     * What reverts of the epoch's repositories, from {@link #WINDOW} before the epoch to its end, took out of the
     * commits they name, less what their authors added back before the epoch began.
     */
    @SuppressWarnings("unchecked")
    static Pool upTo(Epoch epoch, Set<Long> bots) {
        var em = Panache.getEntityManager();
        Instant since = epoch.startsAt.minus(WINDOW);
        List<Object[]> reverts = em.createNativeQuery("select r.external_id, r.repository_id, r.title, r.body, "
                        + "r.changed_lines, coalesce(r.late_from, r.occurred_at), r.committed_at from contribution r "
                        + "where r.source = 'git' "
                        + "and r.changed_lines is not null and r.occurred_at >= ?3 and r.occurred_at < ?2 "
                        + "and r.body like '%This reverts commit %' and r.repository_id in (select c.repository_id "
                        + "from contribution c where c.occurred_at >= ?1 and c.occurred_at < ?2 "
                        + "and c.changed_lines is not null) order by coalesce(r.late_from, r.occurred_at), r.external_id")
                .setParameter(1, epoch.startsAt).setParameter(2, epoch.endsAt).setParameter(3, since).getResultList();
        List<Object[]> pairs = new ArrayList<>(); // revert row, reverted commit row (id, external_id, changed_lines)
        for (Object[] r : reverts) {
            Optional<String> sha = GitRevert.revertedCommit((String) r[2], (String) r[3]);
            if (sha.isPresent() && r[1] != null) {
                reverted(((Number) r[1]).longValue(), sha.get()).forEach(a -> pairs.add(new Object[]{r, a}));
            }
        }
        if (pairs.isEmpty()) {
            return null;
        }
        Set<Long> revertedIds = new HashSet<>();
        pairs.forEach(p -> revertedIds.add(((Number) ((Object[]) p[1])[0]).longValue()));
        Map<Long, String> authors = UndoneLines.authors(revertedIds, bots);
        List<TakenOut> out = new ArrayList<>();
        Map<String, long[]> left = new HashMap<>(); // per revert, its deletions not yet matched to a reverted commit
        for (Object[] pair : pairs) {
            Object[] r = (Object[]) pair[0];
            Object[] a = (Object[]) pair[1];
            String revert = (String) r[0];
            long[] deleted = left.computeIfAbsent(revert, k -> ChangedLines.unpack((byte[]) r[4]).deleted());
            long[] keys = common(ChangedLines.unpack((byte[]) a[2]).added(), deleted);
            left.put(revert, minus(deleted, keys));
            String who = authors.get(((Number) a[0]).longValue());
            if (keys.length > 0 && who != null) {
                out.add(new TakenOut(revert, (String) a[1], Order.of(r[5], r[6], revert), ledger(r[1], who), keys));
            }
        }
        Pool pool = new Pool(out);
        usedUpBefore(epoch, pool, out, revertedIds, bots);
        return pool;
    }

    /**
     * The commit {@code sha} names in {@code repository} (id, external id, changed lines), or, for a merge commit, the
     * commits it brought onto the branch, oldest first; none when it is not ingested or a short hash names two.
     */
    @SuppressWarnings("unchecked")
    private static List<Object[]> reverted(long repository, String sha) {
        var em = Panache.getEntityManager();
        boolean whole = sha.length() == 40 || sha.length() == 64;
        List<Object[]> found = em.createNativeQuery("select a.id, a.external_id, a.changed_lines, a.kind "
                        + "from contribution a where a.source = 'git' and a.repository_id = ?1 and a.external_id "
                        + (whole ? "= ?2" : "like ?2"))
                .setParameter(1, repository).setParameter(2, whole ? sha : sha + "%").setMaxResults(2).getResultList();
        if (found.size() != 1) {
            return List.of();
        }
        Object[] a = found.get(0);
        if (!"merge".equals(a[3])) {
            return a[2] == null ? List.of() : List.<Object[]>of(a);
        }
        // Git ingestion writes the merge that brought a commit into its raw record: "landed":{"with":"<sha>",...}.
        return em.createNativeQuery("select a.id, a.external_id, a.changed_lines, a.kind from contribution a "
                        + "where a.source = 'git' and a.repository_id = ?1 and a.changed_lines is not null "
                        + "and a.raw like ?2 order by coalesce(a.committed_at, a.occurred_at), a.external_id")
                .setParameter(1, repository).setParameter(2, "%\"with\":\"" + a[1] + "\"%").getResultList();
    }

    /**
     * Uses up in {@code pool} what the same authors added back in the same repository after each revert and before the
     * epoch: every line their commits added then (re-landings of earlier epochs, reverts of the revert, copies) was
     * added back then, as those epochs' runs counted it.
     */
    @SuppressWarnings("unchecked")
    private static void usedUpBefore(Epoch epoch, Pool pool, List<TakenOut> takenOut, Set<Long> revertedIds,
                                     Set<Long> bots) {
        Instant first = takenOut.stream().map(t -> t.order().at()).min(Comparator.naturalOrder()).orElse(epoch.startsAt);
        if (!first.isBefore(epoch.startsAt)) {
            return;
        }
        Set<Long> people = new HashSet<>();
        var em = Panache.getEntityManager();
        for (Object[] row : IdSlices.list(revertedIds, slice -> (List<Object[]>) em.createNativeQuery(
                CreditedAuthors.SELECT + " where cc.contribution_id in (:ids)").setParameter("ids", slice)
                .getResultList())) {
            people.add(((Number) row[1]).longValue());
        }
        if (people.isEmpty()) {
            return; // no person's lines to add back (and "in ()" is no SQL)
        }
        List<Object[]> before = em.createNativeQuery("select c.id, c.external_id, c.changed_lines, " + HAPPENED + ", "
                        + "c.committed_at, c.repository_id from contribution c where c.source = 'git' "
                        + "and c.changed_lines is not null and c.occurred_at >= :from and c.occurred_at < :to "
                        + "and exists (select 1 from contribution_credit cc where cc.contribution_id = c.id "
                        + "and cc.contributor_id in (:people)) "
                        + "order by " + HAPPENED + ", coalesce(c.committed_at, c.occurred_at), c.external_id")
                .setParameter("from", first).setParameter("to", epoch.startsAt).setParameter("people", people)
                .getResultList();
        Map<Long, String> whose = UndoneLines.authors(before.stream().map(c -> ((Number) c[0]).longValue()).toList(),
                bots);
        for (Object[] c : before) {
            Order order = Order.of(c[3], c[4], (String) c[1]);
            String ledger = ledger(c[5], whose.getOrDefault(((Number) c[0]).longValue(), "?"));
            for (long key : ChangedLines.unpack((byte[]) c[2]).added()) {
                pool.addBack(ledger, key, order);
            }
        }
    }

    /** The keys in both (as many times as in both), sorted. */
    static long[] common(long[] a, long[] b) {
        long[] x = a.clone();
        long[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        long[] out = new long[Math.min(x.length, y.length)];
        int n = 0;
        for (int i = 0, j = 0; i < x.length && j < y.length; ) {
            if (x[i] == y[j]) {
                out[n++] = x[i];
                i++;
                j++;
            } else if (x[i] < y[j]) {
                i++;
            } else {
                j++;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** {@code a} less one of each key of {@code b} (a sorted sub-multiset of it), sorted. */
    static long[] minus(long[] a, long[] b) {
        long[] x = a.clone();
        Arrays.sort(x);
        long[] out = new long[x.length];
        int n = 0;
        int j = 0;
        for (long key : x) {
            if (j < b.length && b[j] == key) {
                j++;
            } else {
                out[n++] = key;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
