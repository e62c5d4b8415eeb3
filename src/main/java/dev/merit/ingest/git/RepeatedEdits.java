package dev.merit.ingest.git;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the same edit made over and over in one commit: a changed line whose tokens differ from the line it replaces
 * in the same way as at least {@link #MIN_REPEATS} - 1 other replaced lines of the commit (after the tokens both
 * lines share at the start and at the end are set aside). A rename of an identifier used everywhere, an import path
 * moved, {@code assert_} made {@code assert_true} in every test: search and replace, one decision applied many times.
 * The first replacement of each kind is work; the lines of the others are not.
 *
 * <p>A replacement is a deleted line paired with an added line at the same place in a hunk that deletes and adds the
 * same number of lines (other hunks are left as they are). Tokens are identifiers, numbers and single other
 * characters, so whitespace never makes two edits differ.
 */
final class RepeatedEdits {

    /** How many times the same replacement must occur in a commit before all but its first are mechanical. */
    static final int MIN_REPEATS = 3;
    /** Lines longer than this are not compared (minified or data lines: not what search and replace is about). */
    private static final int MAX_LINE_BYTES = 4096;

    /** One file's side of the search: its texts, its line diff, and lines already judged otherwise (or null). */
    record FileEdits(HashedText old, HashedText now, GitLineDiff.Result diff, DiffLines reformatted) {
    }

    private record Occurrence(int file, int oldLine, int newLine) {
    }

    private RepeatedEdits() {
    }

    /**
     * @return per file (same order as {@code files}), the lines of its repeated replacements (all but the first of
     *         each kind), or null where it has none
     */
    static DiffLines[] find(List<FileEdits> files) {
        Map<Long, List<Occurrence>> byEdit = new HashMap<>();
        for (int f = 0; f < files.size(); f++) {
            FileEdits file = files.get(f);
            if (file == null) {
                continue;
            }
            int fileIndex = f;
            forEachReplacement(file, (oldLine, newLine) -> {
                long edit = edit(file.old(), oldLine, file.now(), newLine);
                if (edit != 0) {
                    byEdit.computeIfAbsent(edit, k -> new ArrayList<>(2)).add(new Occurrence(fileIndex, oldLine, newLine));
                }
            });
        }
        DiffLines[] out = new DiffLines[files.size()];
        for (List<Occurrence> occurrences : byEdit.values()) {
            if (occurrences.size() < MIN_REPEATS) {
                continue;
            }
            for (Occurrence o : occurrences.subList(1, occurrences.size())) {
                if (out[o.file()] == null) {
                    out[o.file()] = new DiffLines(new BitSet(), new BitSet());
                }
                out[o.file()].deleted().set(o.oldLine());
                out[o.file()].added().set(o.newLine());
            }
        }
        return out;
    }

    private interface PairVisitor {
        void visit(int oldLine, int newLine);
    }

    /** The deleted and added lines at the same place of each hunk that deletes as many lines as it adds. */
    private static void forEachReplacement(FileEdits file, PairVisitor visitor) {
        int[] del = file.diff().deleted();
        int[] add = file.diff().added();
        file.diff().forEachHunk(file.old().size(), file.now().size(), (p0, p, q0, q) -> {
            if (p - p0 != q - q0 || file.reformatted() != null && file.reformatted().deleted().get(del[p0])) {
                return;
            }
            for (int k = 0; k < p - p0; k++) {
                visitor.visit(del[p0 + k], add[q0 + k]);
            }
        });
    }

    /**
     * A hash of how the new line's tokens differ from the old line's: the tokens between their common first and
     * common last ones, on each side. 0 when the lines hold the same tokens (a whitespace change: not this rule's).
     */
    static long edit(HashedText old, int oldLine, HashedText now, int newLine) {
        long[] a = tokens(old.content(), old.lineStart(oldLine), old.lineEnd(oldLine));
        long[] b = tokens(now.content(), now.lineStart(newLine), now.lineEnd(newLine));
        if (a == null || b == null) {
            return 0;
        }
        int shorter = Math.min(a.length, b.length);
        int prefix = 0;
        while (prefix < shorter && a[prefix] == b[prefix]) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < shorter - prefix && a[a.length - 1 - suffix] == b[b.length - 1 - suffix]) {
            suffix++;
        }
        if (prefix + suffix == a.length && a.length == b.length) {
            return 0;
        }
        long h = 0x9E3779B97F4A7C15L;
        for (int k = prefix; k < a.length - suffix; k++) {
            h = mix(h, a[k]);
        }
        h = mix(h, 0x2545F4914F6CDD1DL); // between the two sides
        for (int k = prefix; k < b.length - suffix; k++) {
            h = mix(h, b[k]);
        }
        return h == 0 ? 1 : h;
    }

    private static long mix(long h, long token) {
        h = (h ^ token) * 0xC2B2AE3D27D4EB4FL;
        return Long.rotateLeft(h, 29) * 0x9E3779B97F4A7C15L;
    }

    /** Hashes of the line's tokens: identifiers, digit runs, single other non-whitespace bytes; null if too long. */
    private static long[] tokens(byte[] content, int from, int to) {
        if (to - from > MAX_LINE_BYTES) {
            return null;
        }
        long[] out = new long[Math.max(4, (to - from) / 2)];
        int n = 0;
        int k = from;
        while (k < to) {
            byte c = content[k];
            if (HashedText.isWhitespace(c)) {
                k++;
                continue;
            }
            long h = 0xcbf29ce484222325L;
            int start = k;
            if (isWordStart(c)) {
                while (k < to && (isWordStart(content[k]) || isDigit(content[k]))) {
                    h = (h ^ (content[k++] & 0xff)) * 0x100000001b3L;
                }
            } else if (isDigit(c)) {
                while (k < to && isDigit(content[k])) {
                    h = (h ^ (content[k++] & 0xff)) * 0x100000001b3L;
                }
            } else {
                h = (h ^ (c & 0xff)) * 0x100000001b3L;
                k++;
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = h ^ (k - start);
        }
        return Arrays.copyOf(out, n);
    }

    private static boolean isWordStart(byte c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c < 0;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
