package dev.merit.scoring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Who a contribution's authors are for the rules that compare authors (credit share, undone lines, graph credit):
 * its credited people, or every credit when all are bots. A bot or coding agent credited beside a person
 * ({@code Co-authored-by: Claude <noreply@anthropic.com>}) is not one of them, so it takes no share, does not keep a
 * person's own undone lines apart from the rest of their work, and does not make two people look like one author.
 */
public final class CreditedAuthors {

    /** The credit-share rule's {@code bots} parameter: a bot beside a person takes no share (policy documents). */
    public static final String BOTS_BESIDE_PEOPLE = "no-share";

    /**
     * The native SQL select list that {@link #of(List, Set)} reads: contribution id, contributor id. Who is a bot is
     * not read here but passed in: a scoring run reads it once, so a mark landing while it runs cannot make its
     * graph credit, its undone lines and its credit shares disagree.
     */
    public static final String SELECT = "select cc.contribution_id, cc.contributor_id from contribution_credit cc";

    private CreditedAuthors() {
    }

    /** Its credited people, or every credit when all are bots. */
    public static <T> List<T> sharing(List<T> credits, Predicate<T> bot) {
        List<T> people = credits.stream().filter(bot.negate()).toList();
        return people.isEmpty() ? credits : people;
    }

    /** Rows of {@link #SELECT}: each contribution's authors, in ascending order, with the run's bots. */
    public static Map<Long, Set<Long>> of(List<Object[]> rows, Set<Long> bots) {
        Map<Long, List<Object[]>> credited = new LinkedHashMap<>();
        for (Object[] row : rows) {
            credited.computeIfAbsent(((Number) row[0]).longValue(), k -> new ArrayList<>()).add(row);
        }
        Map<Long, Set<Long>> out = new LinkedHashMap<>();
        credited.forEach((id, credits) -> {
            Set<Long> authors = new TreeSet<>();
            sharing(credits, row -> bots.contains(((Number) row[1]).longValue())).forEach(row -> authors.add(((Number) row[1]).longValue()));
            out.put(id, authors);
        });
        return out;
    }
}
