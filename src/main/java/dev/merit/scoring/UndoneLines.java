package dev.merit.scoring;

import dev.merit.audit.IdSlices;
import dev.merit.contributor.ActorRef;
import dev.merit.epoch.Epoch;
import dev.merit.ingest.ChangedLines;
import dev.merit.ingest.ContributionEvent;
import io.quarkus.hibernate.orm.panache.Panache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Lines a contributor undid within the epoch: a line of work added in one commit and deleted in another by the same
 * authors, or deleted and added back, is paid in neither commit, as a line moved within one commit is not. So code
 * moved in two commits (deleted in one, added in the next), and code written and thrown away again, count what is
 * left at the end of the epoch, not every step. Lines are compared by their {@link ChangedLines} keys (the line with
 * its neighbours in its block, whitespace left out), in commit order (when each reached the branch, then its own commit
 * date); a deletion pairs with the most recent open
 * addition of the same key by an earlier commit, and an addition with the most recent open deletion.
 *
 * <p>Reverts and copies take no part: a revert weighs little already and a copy is paid nothing, and counting them
 * would take away the pay of the work they undo or repeat. Land, revert, land again pays the change once: through the
 * copy rule when it lands unchanged, and through {@link RevertedLines} when it lands with changes. Only the epoch's own
 * commits are paired; the reverts {@link RevertedLines} reads from earlier epochs are named in the run's input record.
 */
final class UndoneLines {

    private static final int PARTNERS_SHOWN = 3;

    /**
     * @param factors per contribution, a LINES factor taking its undone lines off its effective lines
     * @param digests per contribution with changed lines, their SHA-256 (for the run's input record)
     * @param relanded per contribution, a LINES factor taking off the lines a revert took out of its authors' earlier
     *                 commit and that it adds back ({@link RevertedLines}): paid once, in that commit
     */
    record Result(Map<Long, Factor> factors, Map<Long, String> digests, Map<Long, Factor> relanded) {
    }

    private UndoneLines() {
    }

    /**
     * Reads the epoch's commits with changed lines among {@code scored} and pairs them; {@code net} false only reads
     * the digests.
     */
    @SuppressWarnings("unchecked")
    static Result of(Epoch epoch, Set<Long> copies, boolean net, Set<Long> bots, Set<Long> scored) {
        List<Object[]> rows = Panache.getEntityManager().createNativeQuery("select c.id, c.external_id, c.title, "
                        + "c.body, c.changed_lines, " + RevertedLines.HAPPENED + ", c.committed_at, c.repository_id from contribution c "
                        + "where c.changed_lines is not null "
                        + "and c.occurred_at >= ?1 and c.occurred_at < ?2 "
                        + "order by " + RevertedLines.HAPPENED + ", coalesce(c.committed_at, c.occurred_at), "
                        + "c.external_id")
                .setParameter(1, epoch.startsAt).setParameter(2, epoch.endsAt).getResultList();
        Map<Long, String> digests = new HashMap<>();
        List<Commit> commits = new ArrayList<>();
        for (Object[] row : rows) {
            long id = ((Number) row[0]).longValue();
            if (!scored.contains(id)) {
                continue; // stored after the run began: the next run's
            }
            byte[] packed = (byte[]) row[4];
            digests.put(id, ChangedLines.digest(packed));
            if (net) {
                // Reverts and copies pair no undone lines, but what they add back of a reverted change is added back.
                boolean addsBackOnly = copies.contains(id) || GitRevert.of((String) row[2], (String) row[3]).isPresent();
                commits.add(new Commit(id, (String) row[1], ChangedLines.unpack(packed),
                        RevertedLines.Order.of(row[5], row[6], (String) row[1]),
                        row[7] == null ? null : ((Number) row[7]).longValue(), addsBackOnly));
            }
        }
        if (commits.isEmpty()) {
            return new Result(Map.of(), digests, Map.of());
        }
        Map<Long, String> authors = authors(commits.stream().map(Commit::id).toList(), bots);
        Pairing pairing = pair(commits, authors, "epoch", RevertedLines.upTo(epoch, bots));
        return new Result(pairing.undone(), digests, pairing.relanded());
    }

    /**
     * @param order        where it stands in time; null where nothing was reverted before (a change the CI hook previews)
     * @param repository   its repository's id, or null
     * @param addsBackOnly a revert or a copy: it pairs no undone lines and is given no factor here, but what it adds
     *                     of a reverted change uses that up ({@link RevertedLines.Pool})
     */
    record Commit(long id, String sha, ChangedLines lines, RevertedLines.Order order, Long repository,
                  boolean addsBackOnly) {
        Commit(long id, String sha, ChangedLines lines) {
            this(id, sha, lines, null, null, false);
        }
    }

    /** Per commit, its undone lines and its lines added back after a revert, each as a LINES factor. */
    record Pairing(Map<Long, Factor> undone, Map<Long, Factor> relanded) {
    }

    /**
     * The same pairing over commits not stored yet (a change previewed by the CI hook), in commit order, the authors
     * told apart by their e-mails: per commit's position in {@code commits}, its factor.
     */
    static Map<Integer, Factor> within(List<ContributionEvent> commits, Predicate<ActorRef> bot) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < commits.size(); i++) {
            ContributionEvent e = commits.get(i);
            if (e.lines() != null && !e.lines().isEmpty() && GitRevert.of(e.title(), e.body()).isEmpty()) {
                order.add(i);
            }
        }
        // As an epoch orders them: commits one merge brought share its date, and their own commit dates order them.
        order.sort(Comparator.comparing(i -> RevertedLines.Order.of(commits.get(i)), RevertedLines.ORDER));
        List<Commit> paired = new ArrayList<>(order.size());
        Map<Long, String> authors = new HashMap<>();
        for (int i : order) {
            ContributionEvent e = commits.get(i);
            paired.add(new Commit(i, e.externalId(), e.lines()));
            authors.put((long) i, CreditedAuthors.sharing(e.credited(), bot).stream()
                    .map(a -> String.valueOf(a.effectiveEmail()).toLowerCase(Locale.ROOT)).sorted()
                    .reduce((a, b) -> a + "," + b).orElse(""));
        }
        Map<Integer, Factor> out = new TreeMap<>();
        pair(paired, authors, "change").forEach((i, f) -> out.put(i.intValue(), f));
        return out;
    }

    /**
     * Pairs additions and deletions of equal keys between different commits of the same authors, in commit order.
     * {@code commits} are in commit order; {@code authors} names each one's set of credited contributors;
     * {@code scope} names what the commits are in the factors' wording ("epoch", "change").
     */
    static Map<Long, Factor> pair(List<Commit> commits, Map<Long, String> authors, String scope) {
        return pair(commits, authors, scope, null).undone();
    }

    /**
     * As {@link #pair(List, Map, String)}; then each line a commit adds uses up a line {@code reverted} says a revert
     * before it took out of an earlier commit of the same authors and repository, and one not paired already is paid
     * there, not again here ({@code reverted} may be null: nothing was reverted).
     */
    static Pairing pair(List<Commit> commits, Map<Long, String> authors, String scope, RevertedLines.Pool reverted) {
        int[] relanded = new int[commits.size()];
        Map<Integer, Map<String, Integer>> relandedFrom = new HashMap<>();
        Map<String, Ledger> ledgers = new HashMap<>();
        int[] undone = new int[commits.size()];
        Map<Integer, Map<Integer, Integer>> partners = new HashMap<>();
        for (int t = 0; t < commits.size(); t++) {
            Commit c = commits.get(t);
            String revertLedger = reverted == null || c.order() == null ? null
                    : RevertedLines.ledger(c.repository(), authors.getOrDefault(c.id(), "?" + c.id()));
            if (c.addsBackOnly()) {
                if (revertLedger != null) {
                    for (long key : c.lines().added()) {
                        reverted.addBack(revertLedger, key, c.order());
                    }
                }
                continue;
            }
            Ledger ledger = ledgers.computeIfAbsent(authors.getOrDefault(c.id(), "?" + c.id()), k -> new Ledger());
            // Pair with earlier commits first; what is left open is registered after, so a commit never pairs with itself.
            long[] deleted = c.lines().deleted();
            long[] added = c.lines().added();
            boolean[] deletedPaired = new boolean[deleted.length];
            boolean[] addedPaired = new boolean[added.length];
            for (int i = 0; i < deleted.length; i++) {
                deletedPaired[i] = pairWith(ledger.added, deleted[i], t, undone, partners);
            }
            for (int i = 0; i < added.length; i++) {
                addedPaired[i] = pairWith(ledger.deleted, added[i], t, undone, partners);
            }
            for (int i = 0; i < deleted.length; i++) {
                if (!deletedPaired[i]) {
                    ledger.deleted.computeIfAbsent(deleted[i], k -> new Stack()).push(t);
                }
            }
            for (int i = 0; i < added.length; i++) {
                RevertedLines.TakenOut back = revertLedger == null ? null
                        : reverted.addBack(revertLedger, added[i], c.order());
                if (back != null && !addedPaired[i]) {
                    addedPaired[i] = true;
                    relanded[t]++;
                    relandedFrom.computeIfAbsent(t, k -> new TreeMap<>())
                            .merge(back.reverted() + " " + back.revert(), 1, Integer::sum);
                }
                if (!addedPaired[i]) {
                    ledger.added.computeIfAbsent(added[i], k -> new Stack()).push(t);
                }
            }
        }
        Map<Long, Factor> out = new TreeMap<>();
        Map<Long, Factor> back = new TreeMap<>();
        for (int t = 0; t < commits.size(); t++) {
            if (undone[t] > 0) {
                out.put(commits.get(t).id(), Factor.lines("undone", -undone[t],
                        detail(commits, partners.get(t), scope)));
            }
            if (relanded[t] > 0) {
                back.put(commits.get(t).id(), Factor.lines("relanded", -relanded[t], relandedDetail(relandedFrom.get(t))));
            }
        }
        return new Pairing(out, back);
    }

    /** "lines revert R took out of commit A, added back by the same authors: paid once, in commit A" (up to three). */
    private static String relandedDetail(Map<String, Integer> from) {
        StringBuilder b = new StringBuilder("lines a revert took out of an earlier commit of the same authors and that "
                + "this one adds back, paid once, in that commit: ");
        int shown = 0;
        for (Map.Entry<String, Integer> e : from.entrySet()) {
            if (shown == PARTNERS_SHOWN) {
                b.append(more(from.values().stream().skip(PARTNERS_SHOWN).toList()));
                break;
            }
            String[] shas = e.getKey().split(" ");
            b.append(shown++ == 0 ? "" : ", ").append("commit ").append(shas[0], 0, Math.min(12, shas[0].length()))
                    .append(" reverted by ").append(shas[1], 0, Math.min(12, shas[1].length()))
                    .append(" (").append(e.getValue()).append(')');
        }
        return b.toString();
    }

    /** Pairs {@code key} of commit {@code t} with the most recent open occurrence in {@code open}, if any. */
    private static boolean pairWith(Map<Long, Stack> open, long key, int t, int[] undone,
                                    Map<Integer, Map<Integer, Integer>> partners) {
        Stack stack = open.get(key);
        if (stack == null) {
            return false;
        }
        int earlier = stack.pop();
        if (stack.size == 0) {
            open.remove(key);
        }
        undone[t]++;
        undone[earlier]++;
        partners.computeIfAbsent(t, k -> new TreeMap<>()).merge(earlier, 1, Integer::sum);
        partners.computeIfAbsent(earlier, k -> new TreeMap<>()).merge(t, 1, Integer::sum);
        return true;
    }

    /** One author set's lines added and deleted so far in the epoch and not paired yet, by key. */
    private static final class Ledger {
        final Map<Long, Stack> added = new HashMap<>();
        final Map<Long, Stack> deleted = new HashMap<>();
    }

    /** Commit indexes, most recent on top. */
    private static final class Stack {
        int[] items = new int[1];
        int size;

        void push(int t) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = t;
        }

        int pop() {
            return items[--size];
        }
    }

    private static String detail(List<Commit> commits, Map<Integer, Integer> partners, String scope) {
        List<Map.Entry<Integer, Integer>> ranked = new ArrayList<>(partners.entrySet());
        ranked.sort(Map.Entry.<Integer, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        StringBuilder b = new StringBuilder("lines the same author added in one commit and deleted in another in this "
                + scope + " (or deleted and added back), paid in neither: with ");
        for (int i = 0; i < Math.min(PARTNERS_SHOWN, ranked.size()); i++) {
            String sha = commits.get(ranked.get(i).getKey()).sha();
            b.append(i == 0 ? "" : ", ").append("commit ").append(sha, 0, Math.min(12, sha.length()))
                    .append(" (").append(ranked.get(i).getValue()).append(')');
        }
        if (ranked.size() > PARTNERS_SHOWN) {
            b.append(more(ranked.stream().skip(PARTNERS_SHOWN).map(Map.Entry::getValue).toList()));
        }
        return b.toString();
    }

    /** The commits not named, with their lines, so that all add up to the count: " and 15 more (21)". */
    private static String more(List<Integer> lines) {
        return " and " + lines.size() + " more (" + lines.stream().mapToInt(Integer::intValue).sum() + ")";
    }

    /** Each contribution's authors ({@link CreditedAuthors}: a bot beside a person is not one), as one sorted key. */
    @SuppressWarnings("unchecked")
    static Map<Long, String> authors(Collection<Long> ids, Set<Long> bots) {
        List<Object[]> rows = IdSlices.list(ids, slice -> (List<Object[]>) Panache.getEntityManager()
                .createNativeQuery(CreditedAuthors.SELECT + " where cc.contribution_id in (:ids)")
                .setParameter("ids", slice).getResultList());
        Map<Long, String> out = new HashMap<>();
        CreditedAuthors.of(rows, bots).forEach((id, people) -> out.put(id, people.stream().map(String::valueOf)
                .reduce((a, b) -> a + "," + b).orElse("")));
        return out;
    }
}
