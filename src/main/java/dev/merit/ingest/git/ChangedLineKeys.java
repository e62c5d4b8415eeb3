package dev.merit.ingest.git;

import dev.merit.ingest.ChangedLines;
import dev.merit.ingest.ChangedFile.Category;

import java.util.Arrays;
import java.util.List;

/**
 * A commit's changed work lines as keys (ChangedLines): each line hashed with its neighbours in its run, so that the
 * lines one commit adds and another deletes can be told apart from mere look-alikes (UndoneLines).
 */
final class ChangedLineKeys {

    private ChangedLineKeys() {
    }

    /**
     * Keys of the effective lines (source files only): each work line hashed with the work lines before and after it
     * in the same run of consecutive changed lines (or a run boundary), whitespace left out, and with the file's path
     * in a run of one or two. Lines that are not work (blank, moved, reformatted) are passed over without ending the
     * run.
     */
    static ChangedLines changedLines(List<FileDiff> diffs) {
        KeyBuffer added = new KeyBuffer();
        KeyBuffer deleted = new KeyBuffer();
        for (FileDiff d : diffs) {
            if (d.category != Category.SOURCE) {
                continue;
            }
            if (d.workAddedLines != null) {
                RunKeys run = new RunKeys(added, d.path);
                MovedLines.forEachAdded(d, line -> run.line(line, d.workAddedLines.get(line) ? d.newText.normalizedHash(line) : 0));
                run.end();
            }
            if (d.registered != null) {
                RunKeys run = new RunKeys(deleted, d.path);
                int[] next = {0};
                MovedLines.forEachDeleted(d, line -> {
                    long key = 0;
                    if (next[0] < d.registered.size() && d.registered.get(next[0]).line == line) {
                        MovedLineLedger.Deleted entry = d.registered.get(next[0]++);
                        key = entry.matched ? 0 : entry.normalized;
                    }
                    run.line(line, key);
                });
                run.end();
            }
        }
        return added.size == 0 && deleted.size == 0 ? null : new ChangedLines(added.toArray(), deleted.toArray());
    }

    /** A growable array of keys. */
    static final class KeyBuffer {
        long[] keys = new long[64];
        int size;

        void add(long key) {
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
            }
            keys[size++] = key;
        }

        long[] toArray() {
            return Arrays.copyOf(keys, size);
        }
    }

    /**
     * Turns one side of one file's changed lines, in order, into keys of its work lines. A run of fewer than
     * {@link #SHORT_RUN} work lines is keyed with the file's path as well: a lone {@code import re} or version line
     * is the same line only in the same file, while a block is the same block wherever it moved.
     */
    static final class RunKeys {
        private static final int SHORT_RUN = 3;
        private static final long RUN_EDGE = 0x5bd1e9955bd1e995L;
        private final KeyBuffer out;
        private final long path;
        private final KeyBuffer run = new KeyBuffer();
        private int last = -2;

        RunKeys(KeyBuffer out, String path) {
            this.out = out;
            long h = 0xcbf29ce484222325L;
            for (int i = 0; i < path.length(); i++) {
                h = (h ^ path.charAt(i)) * 0x100000001b3L;
            }
            this.path = h;
        }

        /** @param hash the line's whitespace-free hash when it is a work line, else 0 */
        void line(int line, long hash) {
            if (line != last + 1) {
                end();
            }
            last = line;
            if (hash != 0) {
                run.add(hash);
            }
        }

        void end() {
            int n = run.size;
            for (int i = 0; i < n; i++) {
                long key = key(i == 0 ? RUN_EDGE : run.keys[i - 1], run.keys[i], i == n - 1 ? RUN_EDGE : run.keys[i + 1]);
                out.add(n < SHORT_RUN ? key(path, key, RUN_EDGE) : key);
            }
            run.size = 0;
        }

        private static long key(long before, long line, long after) {
            long h = line * 0x9E3779B97F4A7C15L;
            h = Long.rotateLeft(h ^ before * 0xC2B2AE3D27D4EB4FL, 27) * 0x94D049BB133111EBL;
            h = Long.rotateLeft(h ^ after * 0xFF51AFD7ED558CCDL, 31) * 0xC4CEB9FE1A85EC53L;
            return h ^ (h >>> 33);
        }
    }
}
