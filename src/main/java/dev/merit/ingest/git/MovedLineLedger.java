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

    private static final class Deleted {
        final int file;
        final long exact;
        final long normalized;
        boolean matched;

        Deleted(int file, long exact, long normalized) {
            this.file = file;
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

    /** Registers a deleted non-blank line. */
    void deleted(int file, long exact, long normalized) {
        Deleted d = new Deleted(file, exact, normalized);
        byExact.computeIfAbsent(exact, k -> new ArrayDeque<>()).add(d);
        byNormalized.computeIfAbsent(normalized, k -> new ArrayDeque<>()).add(d);
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
