package dev.merit.scoring;

import dev.merit.audit.SqlValues;
import dev.merit.epoch.Epoch;
import dev.merit.ingest.ChangedLines;
import io.quarkus.hibernate.orm.panache.Panache;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Lines a revert took out of a commit, for {@link UndoneLines}: added back later by that commit's own authors (the
 * change landed again, with or without a fix), they are paid once, in the commit that first added them. Without this,
 * land, revert and land again with a one-line fix paid the change twice: the revert takes no part in the pairing of
 * undone lines (it would take away the pay of the work it undoes), and the new landing is not a copy (its patch
 * differs).
 *
 * <p>A revert names what it undoes as git writes it ({@code This reverts commit <sha>.} as the body's first line,
 * {@link GitRevert}); the reverted commit is looked up in the same repository. Reverts from any earlier epoch count:
 * what they took out was paid there. Only lines both added by the reverted commit and deleted by the revert are taken
 * out (a revert with conflicts resolved by hand deletes other lines too).
 */
final class RevertedLines {

    /** The lines revert {@code revert} took out of commit {@code reverted}, whose authors are {@code authors}. */
    record TakenOut(String revert, String reverted, Instant at, Instant written, String authors, long[] keys) {
    }

    /** Time order of the commits the pairing walks: when each reached the branch, its own date, then its hash. */
    static final Comparator<Order> ORDER = Comparator.comparing(Order::at).thenComparing(Order::written)
            .thenComparing(Order::sha);

    record Order(Instant at, Instant written, String sha) {
    }

    private RevertedLines() {
    }

    /** What reverts of the epoch's repositories, up to the epoch's end, took out of the commits they name. */
    @SuppressWarnings("unchecked")
    static List<TakenOut> upTo(Epoch epoch, Set<Long> bots) {
        var em = Panache.getEntityManager();
        List<Object[]> reverts = em.createNativeQuery("select r.external_id, r.repository_id, r.title, r.body, "
                        + "r.changed_lines, r.occurred_at, r.committed_at from contribution r where r.source = 'git' "
                        + "and r.changed_lines is not null and r.occurred_at < ?2 "
                        + "and r.body like '%This reverts commit %' and r.repository_id in (select c.repository_id "
                        + "from contribution c where c.occurred_at >= ?1 and c.occurred_at < ?2 "
                        + "and c.changed_lines is not null) order by r.occurred_at, r.external_id")
                .setParameter(1, epoch.startsAt).setParameter(2, epoch.endsAt).getResultList();
        List<TakenOut> out = new ArrayList<>();
        Map<Long, Object[]> revertedById = new HashMap<>();
        List<Object[]> pairs = new ArrayList<>();
        for (Object[] r : reverts) {
            Optional<String> sha = GitRevert.revertedCommit((String) r[2], (String) r[3]);
            if (sha.isEmpty() || r[1] == null) {
                continue;
            }
            List<Object[]> found = em.createNativeQuery("select a.id, a.external_id, a.changed_lines from contribution a "
                            + "where a.source = 'git' and a.repository_id = ?1 and a.external_id like ?2 "
                            + "and a.changed_lines is not null")
                    .setParameter(1, ((Number) r[1]).longValue()).setParameter(2, sha.get() + "%")
                    .setMaxResults(2).getResultList();
            if (found.size() != 1) {
                continue; // not ingested, or a short hash that names two commits
            }
            Object[] a = found.get(0);
            revertedById.put(((Number) a[0]).longValue(), a);
            pairs.add(new Object[]{r, a});
        }
        if (pairs.isEmpty()) {
            return out;
        }
        Map<Long, String> authors = UndoneLines.authors(revertedById.keySet(), bots);
        for (Object[] pair : pairs) {
            Object[] r = (Object[]) pair[0];
            Object[] a = (Object[]) pair[1];
            long[] keys = common(ChangedLines.unpack((byte[]) a[2]).added(), ChangedLines.unpack((byte[]) r[4]).deleted());
            String who = authors.get(((Number) a[0]).longValue());
            if (keys.length > 0 && who != null) {
                Instant at = SqlValues.instant(r[5]);
                out.add(new TakenOut((String) r[0], (String) a[1], at, r[6] == null ? at : SqlValues.instant(r[6]), who,
                        keys));
            }
        }
        return out;
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
}
