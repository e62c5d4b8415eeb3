package dev.merit.ingest.git;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Pairs the lines a commit adds with lines it deletes anywhere in the same commit. An added line equal to a
 * deleted one is moved code; equal but for whitespace, a whitespace change; blank, whitespace. Neither is
 * new work. Deleted lines are all registered before any added line is classified.
 */
final class MovedLineLedger {

    enum Kind { WORK, MOVED, WHITESPACE }

    /** A registered deleted line; {@link #matched} once an added line paired with it. */
    static final class Deleted {
        final int file;
        final int line;
        final long exact;
        final long normalized;
        boolean matched;

        Deleted(int file, int line, long exact, long normalized) {
            this.file = file;
            this.line = line;
            this.exact = exact;
            this.normalized = normalized;
        }
    }

    private final Map<Long, ArrayDeque<Deleted>> byExact = new HashMap<>();
    private final Map<Long, ArrayDeque<Deleted>> byNormalized = new HashMap<>();
    /** Per file: deleted lines matched as moved / as whitespace changes. */
    final int[] movedDeleted;
    final int[] whitespaceDeleted;
    /** For an added line classified MOVED: the file its twin was deleted from. */
    int lastSourceFile = -1;

    MovedLineLedger(int files) {
        movedDeleted = new int[files];
        whitespaceDeleted = new int[files];
    }

    /** Registers a deleted non-blank line ({@code line} of the old text of {@code file}). */
    Deleted deleted(int file, int line, long exact, long normalized) {
        Deleted d = new Deleted(file, line, exact, normalized);
        byExact.computeIfAbsent(exact, k -> new ArrayDeque<>()).add(d);
        byNormalized.computeIfAbsent(normalized, k -> new ArrayDeque<>()).add(d);
        return d;
    }

    /** Classifies a non-blank added line, consuming the deleted line it pairs with. */
    Kind added(long exact, long normalized) {
        Deleted twin = take(byExact.get(exact));
        if (twin != null) {
            movedDeleted[twin.file]++;
            lastSourceFile = twin.file;
            return Kind.MOVED;
        }
        twin = take(byNormalized.get(normalized));
        if (twin != null) {
            whitespaceDeleted[twin.file]++;
            lastSourceFile = twin.file;
            return Kind.WHITESPACE;
        }
        return Kind.WORK;
    }

    private static Deleted take(ArrayDeque<Deleted> queue) {
        if (queue == null) {
            return null;
        }
        while (!queue.isEmpty()) {
            Deleted d = queue.pollFirst();
            if (!d.matched) {
                d.matched = true;
                return d;
            }
        }
        return null;
    }
}
