package dev.merit.ingest.git;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Finds the hunks of a file's diff that a code formatter could have written: the deleted lines and the added lines
 * between the same two unchanged lines hold the same code once whitespace (line breaks included), the kind of
 * quotes and trailing commas before a closing bracket are ignored. Re-wrapping a call over several lines, black's
 * switch to double quotes and prettier's trailing commas are such hunks; a hunk that also changes a name, a value
 * or an operator is not. Lines of such hunks are no more work than whitespace changes.
 */
final class Reformatting {

    /** Hunks larger than this (in bytes, either side) are not compared: formatting is judged on ordinary code. */
    private static final int MAX_HUNK_BYTES = 1 << 20;

    private Reformatting() {
    }

    /** The lines of reformatted hunks. */
    static DiffLines find(HashedText old, HashedText now, GitLineDiff.Result diff) {
        int[] del = diff.deleted();
        int[] add = diff.added();
        BitSet deleted = new BitSet();
        BitSet added = new BitSet();
        diff.forEachHunk(old.size(), now.size(), (p0, p, q0, q) -> {
            if (p > p0 && q > q0 && sameCode(old, del[p0], del[p - 1], now, add[q0], add[q - 1])) {
                deleted.set(del[p0], del[p - 1] + 1);
                added.set(add[q0], add[q - 1] + 1);
            }
        });
        return new DiffLines(deleted, added);
    }

    private static boolean sameCode(HashedText a, int aFirst, int aLast, HashedText b, int bFirst, int bLast) {
        int aFrom = a.lineStart(aFirst);
        int aTo = a.lineEnd(aLast);
        int bFrom = b.lineStart(bFirst);
        int bTo = b.lineEnd(bLast);
        if (aTo - aFrom > MAX_HUNK_BYTES || bTo - bFrom > MAX_HUNK_BYTES) {
            return false;
        }
        byte[] x = dropTrailingComma(normalize(a.content(), aFrom, aTo), a, aLast + 1);
        byte[] y = dropTrailingComma(normalize(b.content(), bFrom, bTo), b, bLast + 1);
        return x.length > 0 && Arrays.equals(x, y);
    }

    /** A comma ending the hunk is a trailing comma when the next (unchanged) line starts with a closing bracket. */
    private static byte[] dropTrailingComma(byte[] code, HashedText text, int nextLine) {
        if (code.length == 0 || code[code.length - 1] != ',' || nextLine >= text.size()) {
            return code;
        }
        byte[] content = text.content();
        for (int k = text.lineStart(nextLine); k < text.lineEnd(nextLine); k++) {
            byte c = content[k];
            if (c == ')' || c == ']' || c == '}') {
                return Arrays.copyOf(code, code.length - 1);
            }
            if (!HashedText.isWhitespace(c)) {
                break;
            }
        }
        return code;
    }

    /** The bytes without whitespace, single quotes as double quotes, and no comma right before a closing bracket. */
    static byte[] normalize(byte[] content, int from, int to) {
        byte[] out = new byte[to - from];
        int n = 0;
        for (int k = from; k < to; k++) {
            byte c = content[k];
            if (HashedText.isWhitespace(c)) {
                continue;
            }
            switch (c) {
                case '\'' -> c = '"';
                case ')', ']', '}' -> {
                    if (n > 0 && out[n - 1] == ',') {
                        n--;
                    }
                }
                default -> {
                }
            }
            out[n++] = c;
        }
        return Arrays.copyOf(out, n);
    }
}
