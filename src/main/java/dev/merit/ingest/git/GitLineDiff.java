package dev.merit.ingest.git;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Marks the lines a change deletes and adds exactly as {@code git diff} counts them (so ingest totals equal
 * {@code git log --numstat}). Git's default diff is not a minimal Myers diff: it trims the common head and tail,
 * treats lines found in only one file as changed without searching, also treats very frequent lines as changed
 * when they sit among such unmatched lines, and stops an expensive search at a good-enough split. This class
 * follows the same rules and constants, as git's xdiff (libxdiff by Davide Libenzi) defines them.
 */
final class GitLineDiff {

    private static final int KPDIS_RUN = 4;
    private static final int MAX_EQLIMIT = 1024;
    private static final int SIMSCAN_WINDOW = 100;
    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The old lines deleted and the new lines added (line numbers from 0, ascending). */
    record Result(int[] deleted, int[] added) {
        int deletedCount() {
            return deleted.length;
        }

        int addedCount() {
            return added.length;
        }

        /**
         * Visits each hunk: the deleted lines {@code deleted[d0..d1)} and the added lines {@code added[a0..a1)} between
         * the same two unchanged lines (either range may be empty). {@code oldSize} and {@code newSize} are the two
         * texts' line counts; stops if the result is not a diff of texts of those sizes.
         */
        void forEachHunk(int oldSize, int newSize, HunkVisitor visitor) {
            int i = 0;
            int j = 0;
            int p = 0;
            int q = 0;
            while (p < deleted.length || q < added.length) {
                int nextDeleted = p < deleted.length ? deleted[p] : oldSize;
                int nextAdded = q < added.length ? added[q] : newSize;
                int unchanged = Math.min(nextDeleted - i, nextAdded - j);
                i += unchanged;
                j += unchanged;
                int p0 = p;
                int q0 = q;
                while (p < deleted.length && deleted[p] == i) {
                    i++;
                    p++;
                }
                while (q < added.length && added[q] == j) {
                    j++;
                    q++;
                }
                if (p == p0 && q == q0) {
                    return;
                }
                visitor.hunk(p0, p, q0, q);
            }
        }
    }

    /** One hunk of a {@link Result}, as index ranges into its deleted and added arrays. */
    interface HunkVisitor {
        void hunk(int d0, int d1, int a0, int a1);
    }

    static Result diff(HashedText a, HashedText b) {
        int n1 = a.size();
        int n2 = b.size();
        // The common head and tail, found on bytes first: identical leading bytes are identical leading lines.
        int dstart = commonHeadLines(a, b);
        int tail = commonTailLines(a, b, dstart);
        int dend1 = n1 - tail - 1;
        int dend2 = n2 - tail - 1;

        // Work arrays cover only the lines between the common head and tail (indices relative to dstart): a
        // one-line change in a large file costs a few small arrays, not ten of the file's size.
        int mid1 = Math.max(0, dend1 - dstart + 1);
        int mid2 = Math.max(0, dend2 - dstart + 1);
        int[] cls1 = new int[mid1];
        int[] cls2 = new int[mid2];
        LineClasses classes = new LineClasses(mid1 + mid2);
        for (int i = 0; i < mid1; i++) {
            cls1[i] = classes.add(a, dstart + i, 0);
        }
        for (int i = 0; i < mid2; i++) {
            cls2[i] = classes.add(b, dstart + i, 1);
        }
        // Head and tail lines are in both files: they count for a class only if the middle has that class.
        for (int i = 0; i < dstart; i++) {
            classes.countShared(a, i);
        }
        for (int i = dend1 + 1; i < n1; i++) {
            classes.countShared(a, i);
        }
        int[] len1 = classes.len1;
        int[] len2 = classes.len2;

        boolean[] rchg1 = new boolean[mid1];
        boolean[] rchg2 = new boolean[mid2];
        byte[] dis1 = new byte[mid1 + 1];
        byte[] dis2 = new byte[mid2 + 1];
        long mlim1 = Math.min(bogosqrt(n1), MAX_EQLIMIT);
        for (int i = 0; i < mid1; i++) {
            int nm = len2[cls1[i]];
            dis1[i] = (byte) (nm == 0 ? 0 : nm >= mlim1 ? 2 : 1);
        }
        long mlim2 = Math.min(bogosqrt(n2), MAX_EQLIMIT);
        for (int i = 0; i < mid2; i++) {
            int nm = len1[cls2[i]];
            dis2[i] = (byte) (nm == 0 ? 0 : nm >= mlim2 ? 2 : 1);
        }
        int[] rindex1 = new int[mid1];
        int[] ha1 = new int[mid1];
        int nreff1 = 0;
        for (int i = 0; i < mid1; i++) {
            if (dis1[i] == 1 || (dis1[i] == 2 && !cleanMultiMatch(dis1, i, 0, mid1 - 1))) {
                rindex1[nreff1] = i;
                ha1[nreff1] = cls1[i];
                nreff1++;
            } else {
                rchg1[i] = true;
            }
        }
        int[] rindex2 = new int[mid2];
        int[] ha2 = new int[mid2];
        int nreff2 = 0;
        for (int i = 0; i < mid2; i++) {
            if (dis2[i] == 1 || (dis2[i] == 2 && !cleanMultiMatch(dis2, i, 0, mid2 - 1))) {
                rindex2[nreff2] = i;
                ha2[nreff2] = cls2[i];
                nreff2++;
            } else {
                rchg2[i] = true;
            }
        }
        if (nreff1 > 0 || nreff2 > 0) {
            new XdiffSearch(nreff1, nreff2, ha1, ha2, rindex1, rindex2, rchg1, rchg2)
                    .compare(0, nreff1, 0, nreff2, false);
        }
        return new Result(lineNumbers(rchg1, dstart), lineNumbers(rchg2, dstart));
    }

    private static int[] lineNumbers(boolean[] changed, int offset) {
        int[] lines = new int[count(changed)];
        int k = 0;
        for (int i = 0; i < changed.length; i++) {
            if (changed[i]) {
                lines[k++] = offset + i;
            }
        }
        return lines;
    }

    /** Whole lines at the start that both files share. */
    private static int commonHeadLines(HashedText a, HashedText b) {
        int mismatch = Arrays.mismatch(a.content(), b.content());
        int lines = 0;
        int limit = Math.min(a.size(), b.size());
        // Lines ending (terminator included) at or before the first differing byte are common.
        while (lines < limit && (mismatch < 0 || a.lineEnd(lines) <= mismatch) && a.lineEnd(lines) == b.lineEnd(lines)) {
            lines++;
        }
        return lines;
    }

    /** Whole lines at the end that both files share, not overlapping the common head. */
    private static int commonTailLines(HashedText a, HashedText b, int head) {
        byte[] x = a.content();
        byte[] y = b.content();
        int i = x.length;
        int j = y.length;
        while (i >= 8 && j >= 8 && (long) LONGS.get(x, i - 8) == (long) LONGS.get(y, j - 8)) {
            i -= 8;
            j -= 8;
        }
        while (i > 0 && j > 0 && x[i - 1] == y[j - 1]) {
            i--;
            j--;
        }
        int common = x.length - i;
        int lines = 0;
        int limit = Math.min(a.size(), b.size()) - head;
        while (lines < limit) {
            int line1 = a.size() - 1 - lines;
            int line2 = b.size() - 1 - lines;
            // A tail line is common when its bytes lie in the common byte suffix and it starts a line in both.
            if (x.length - a.lineStart(line1) > common
                    || a.lineEnd(line1) - a.lineStart(line1) != b.lineEnd(line2) - b.lineStart(line2)) {
                break;
            }
            lines++;
        }
        return lines;
    }

    /**
     * A frequent line is treated as changed only inside a run of unmatched (or frequent) lines in which frequent
     * lines are rare: the same test git applies, over at most {@link #SIMSCAN_WINDOW} lines each way.
     */
    private static boolean cleanMultiMatch(byte[] dis, int i, int s, int e) {
        if (i - s > SIMSCAN_WINDOW) {
            s = i - SIMSCAN_WINDOW;
        }
        if (e - i > SIMSCAN_WINDOW) {
            e = i + SIMSCAN_WINDOW;
        }
        long rdis0 = 0;
        long rpdis0 = 1;
        for (int r = 1; i - r >= s; r++) {
            if (dis[i - r] == 0) {
                rdis0++;
            } else if (dis[i - r] == 2) {
                rpdis0++;
            } else {
                break;
            }
        }
        if (rdis0 == 0) {
            return false;
        }
        long rdis1 = 0;
        long rpdis1 = 1;
        for (int r = 1; i + r <= e; r++) {
            if (dis[i + r] == 0) {
                rdis1++;
            } else if (dis[i + r] == 2) {
                rpdis1++;
            } else {
                break;
            }
        }
        if (rdis1 == 0) {
            return false;
        }
        rdis1 += rdis0;
        rpdis1 += rpdis0;
        return rpdis1 * KPDIS_RUN < rpdis1 + rdis1;
    }

    static long bogosqrt(long n) {
        long i = 1;
        for (; n > 0; n >>= 2) {
            i <<= 1;
        }
        return i;
    }

    private static int count(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            if (f) {
                n++;
            }
        }
        return n;
    }
}
