package dev.merit.audit;

import io.quarkus.panache.common.Page;

/**
 * The optional paging of a list endpoint that returned every row before it was paged: without {@code page} and
 * {@code size}, no page (every row, as clients of the unpaged list expect); with either, that page, 50 rows unless a
 * size is given. The bounds are the endpoint's validation (a page at most 1,000,000 and a size at most 1000, so that
 * the first row's offset fits an int).
 */
public final class Pages {

    /** Rows a page when only the page number is given. */
    public static final int DEFAULT_SIZE = 50;

    private Pages() {
    }

    /** The page asked for, or null for every row. */
    public static Page optional(Integer page, Integer size) {
        return page == null && size == null ? null : Page.of(page == null ? 0 : page, size == null ? DEFAULT_SIZE : size);
    }
}
