package dev.merit.audit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * A query over a list of ids bound as one {@code in} list, run on slices of the list. PostgreSQL's driver refuses a
 * statement of more than 65,535 bound values, and Hibernate pads an {@code in} list to the next power of two, so an
 * unsliced list of 32,769 ids (the contributors of a large payout) would fail; 1,000 ids a statement also keeps the
 * statements few that both databases cache.
 */
public final class IdSlices {

    /** Ids bound in one statement. */
    public static final int SIZE = 1000;

    private IdSlices() {
    }

    /**
     * The rows {@code query} returns for each slice of {@code ids}, in the slices' order. An id given twice is asked
     * for once (in two slices it would bring its rows twice).
     */
    public static <I, T> List<T> list(Collection<I> ids, Function<List<I>, List<T>> query) {
        List<I> all = new ArrayList<>(new java.util.LinkedHashSet<>(ids));
        List<T> out = new ArrayList<>();
        for (int from = 0; from < all.size(); from += SIZE) {
            out.addAll(query.apply(all.subList(from, Math.min(all.size(), from + SIZE))));
        }
        return out;
    }
}
