package dev.merit.ingest.git;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Marks the lines a change deletes and adds exactly as {@code git diff} counts them (so ingest totals equal
 * {@code git log --numstat}). Git's default diff is not a minimal Myers diff: it trims the common head and tail,
 * treats lines found in only one file as changed without searching, also treats very frequent lines as changed
 * when they sit among such unmatched lines, and stops an expensive search at a good-enough split. This class
 * follows the same rules and constants, as git's xdiff (libxdiff by Davide Libenzi) defines them.
 */
final class GitLineDiff {

    private static final int MAX_COST_MIN = 256;
    private static final int HEUR_MIN_COST = 256;
    private static final int SNAKE_CNT = 20;
    private static final int K_HEUR = 4;
    private static final int KPDIS_RUN = 4;
    private static final int MAX_EQLIMIT = 1024;
    private static final int SIMSCAN_WINDOW = 100;
    private static final long LINE_MAX = Long.MAX_VALUE;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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

    private final int[] ha1;
    private final int[] ha2;
    private final int[] rindex1;
    private final int[] rindex2;
    private final boolean[] rchg1;
    private final boolean[] rchg2;
    private long[] kvd;
    private int fOff;
    private int bOff;
    private long mxcost;

    private GitLineDiff(int nreff1, int nreff2, int[] ha1, int[] ha2, int[] rindex1, int[] rindex2,
                        boolean[] rchg1, boolean[] rchg2) {
        this.ha1 = ha1;
        this.ha2 = ha2;
        this.rindex1 = rindex1;
        this.rindex2 = rindex2;
        this.rchg1 = rchg1;
        this.rchg2 = rchg2;
        int ndiags = nreff1 + nreff2 + 3;
        this.kvd = new long[2 * ndiags + 2];
        this.fOff = nreff2 + 1;
        this.bOff = ndiags + nreff2 + 1;
        this.mxcost = Math.max(bogosqrt(ndiags), MAX_COST_MIN);
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
        Classes classes = new Classes(mid1 + mid2);
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
            new GitLineDiff(nreff1, nreff2, ha1, ha2, rindex1, rindex2, rchg1, rchg2)
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

    /** Line classes by exact content (terminator included), with each class's count in either file. */
    private static final class Classes {
        final int[] len1;
        final int[] len2;
        private final int[] slots;
        private final int mask;
        private final long[] hash;
        private final HashedText[] text;
        private final int[] line;
        private final BitSet lengths = new BitSet();
        private int count;

        Classes(int capacity) {
            int size = Integer.highestOneBit(Math.max(4, capacity * 2)) << 1;
            slots = new int[size];
            mask = size - 1;
            hash = new long[capacity];
            text = new HashedText[capacity];
            line = new int[capacity];
            len1 = new int[capacity + 1];
            len2 = new int[capacity + 1];
        }

        int add(HashedText t, int l, int side) {
            long h = t.lineHash(l);
            int found = find(t, l, h);
            if (found < 0) {
                found = count++;
                hash[found] = h;
                text[found] = t;
                line[found] = l;
                slots[free(h)] = found + 1;
                lengths.set(signature(t, l));
            }
            if (side == 0) {
                len1[found]++;
            } else {
                len2[found]++;
            }
            return found;
        }

        void countShared(HashedText t, int l) {
            if (count == 0 || !lengths.get(signature(t, l))) {
                return;
            }
            int found = find(t, l, t.lineHash(l));
            if (found >= 0) {
                len1[found]++;
                len2[found]++;
            }
        }

        /** Length and first bytes, folded: most shared lines fail this before being hashed. */
        private static int signature(HashedText t, int l) {
            int start = t.lineStart(l);
            int len = t.lineEnd(l) - start;
            byte[] c = t.content();
            int first = len > 0 ? c[start] : 0;
            int second = len > 1 ? c[start + 1] : 0;
            int last = len > 2 ? c[start + len - 2] : 0;
            return ((len * 31 + first) * 31 + second) * 31 + last & 0xfffff;
        }

        private int find(HashedText t, int l, long h) {
            byte[] content = t.content();
            int start = t.lineStart(l);
            int end = t.lineEnd(l);
            for (int slot = (int) h & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
                int c = slots[slot] - 1;
                if (hash[c] == h) {
                    HashedText ct = text[c];
                    int cl = line[c];
                    if (Arrays.equals(ct.content(), ct.lineStart(cl), ct.lineEnd(cl), content, start, end)) {
                        return c;
                    }
                }
            }
            return -1;
        }

        private int free(long h) {
            int slot = (int) h & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            return slot;
        }
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

    private void compare(int off1, int lim1, int off2, int lim2, boolean needMin) {
        while (true) {
            while (off1 < lim1 && off2 < lim2 && ha1[off1] == ha2[off2]) {
                off1++;
                off2++;
            }
            while (off1 < lim1 && off2 < lim2 && ha1[lim1 - 1] == ha2[lim2 - 1]) {
                lim1--;
                lim2--;
            }
            if (off1 == lim1) {
                for (; off2 < lim2; off2++) {
                    rchg2[rindex2[off2]] = true;
                }
                return;
            }
            if (off2 == lim2) {
                for (; off1 < lim1; off1++) {
                    rchg1[rindex1[off1]] = true;
                }
                return;
            }
            Split split = split(off1, lim1, off2, lim2, needMin);
            compare(off1, (int) split.i1, off2, (int) split.i2, split.minLo);
            // Tail call on the upper half, as a loop: keeps the stack shallow on long files.
            off1 = (int) split.i1;
            off2 = (int) split.i2;
            needMin = split.minHi;
        }
    }

    private record Split(long i1, long i2, boolean minLo, boolean minHi) {
    }

    private long kf(long d) {
        return kvd[(int) (fOff + d)];
    }

    private void kf(long d, long v) {
        kvd[(int) (fOff + d)] = v;
    }

    private long kb(long d) {
        return kvd[(int) (bOff + d)];
    }

    private void kb(long d, long v) {
        kvd[(int) (bOff + d)] = v;
    }

    private Split split(long off1, long lim1, long off2, long lim2, boolean needMin) {
        long dmin = off1 - lim2;
        long dmax = lim1 - off2;
        long fmid = off1 - off2;
        long bmid = lim1 - lim2;
        boolean odd = ((fmid - bmid) & 1) != 0;
        long fmin = fmid;
        long fmax = fmid;
        long bmin = bmid;
        long bmax = bmid;
        kf(fmid, off1);
        kb(bmid, lim1);
        for (long ec = 1; ; ec++) {
            boolean gotSnake = false;
            if (fmin > dmin) {
                kf(--fmin - 1, -1);
            } else {
                ++fmin;
            }
            if (fmax < dmax) {
                kf(++fmax + 1, -1);
            } else {
                --fmax;
            }
            for (long d = fmax; d >= fmin; d -= 2) {
                long i1 = kf(d - 1) >= kf(d + 1) ? kf(d - 1) + 1 : kf(d + 1);
                long prev1 = i1;
                long i2 = i1 - d;
                while (i1 < lim1 && i2 < lim2 && ha1[(int) i1] == ha2[(int) i2]) {
                    i1++;
                    i2++;
                }
                if (i1 - prev1 > SNAKE_CNT) {
                    gotSnake = true;
                }
                kf(d, i1);
                if (odd && bmin <= d && d <= bmax && kb(d) <= i1) {
                    return new Split(i1, i2, true, true);
                }
            }
            if (bmin > dmin) {
                kb(--bmin - 1, LINE_MAX);
            } else {
                ++bmin;
            }
            if (bmax < dmax) {
                kb(++bmax + 1, LINE_MAX);
            } else {
                --bmax;
            }
            for (long d = bmax; d >= bmin; d -= 2) {
                long i1 = kb(d - 1) < kb(d + 1) ? kb(d - 1) : kb(d + 1) - 1;
                long prev1 = i1;
                long i2 = i1 - d;
                while (i1 > off1 && i2 > off2 && ha1[(int) i1 - 1] == ha2[(int) i2 - 1]) {
                    i1--;
                    i2--;
                }
                if (prev1 - i1 > SNAKE_CNT) {
                    gotSnake = true;
                }
                kb(d, i1);
                if (!odd && fmin <= d && d <= fmax && i1 <= kf(d)) {
                    return new Split(i1, i2, true, true);
                }
            }
            if (needMin) {
                continue;
            }
            if (gotSnake && ec > HEUR_MIN_COST) {
                long best = 0;
                long bi1 = 0;
                long bi2 = 0;
                for (long d = fmax; d >= fmin; d -= 2) {
                    long dd = d > fmid ? d - fmid : fmid - d;
                    long i1 = kf(d);
                    long i2 = i1 - d;
                    long v = (i1 - off1) + (i2 - off2) - dd;
                    if (v > K_HEUR * ec && v > best && off1 + SNAKE_CNT <= i1 && i1 < lim1
                            && off2 + SNAKE_CNT <= i2 && i2 < lim2) {
                        for (int k = 1; ha1[(int) (i1 - k)] == ha2[(int) (i2 - k)]; k++) {
                            if (k == SNAKE_CNT) {
                                best = v;
                                bi1 = i1;
                                bi2 = i2;
                                break;
                            }
                        }
                    }
                }
                if (best > 0) {
                    return new Split(bi1, bi2, true, false);
                }
                for (long d = bmax; d >= bmin; d -= 2) {
                    long dd = d > bmid ? d - bmid : bmid - d;
                    long i1 = kb(d);
                    long i2 = i1 - d;
                    long v = (lim1 - i1) + (lim2 - i2) - dd;
                    if (v > K_HEUR * ec && v > best && off1 < i1 && i1 <= lim1 - SNAKE_CNT
                            && off2 < i2 && i2 <= lim2 - SNAKE_CNT) {
                        for (int k = 0; ha1[(int) (i1 + k)] == ha2[(int) (i2 + k)]; k++) {
                            if (k == SNAKE_CNT - 1) {
                                best = v;
                                bi1 = i1;
                                bi2 = i2;
                                break;
                            }
                        }
                    }
                }
                if (best > 0) {
                    return new Split(bi1, bi2, false, true);
                }
            }
            if (ec >= mxcost) {
                long fbest = -1;
                long fbest1 = -1;
                for (long d = fmax; d >= fmin; d -= 2) {
                    long i1 = Math.min(kf(d), lim1);
                    long i2 = i1 - d;
                    if (lim2 < i2) {
                        i1 = lim2 + d;
                        i2 = lim2;
                    }
                    if (fbest < i1 + i2) {
                        fbest = i1 + i2;
                        fbest1 = i1;
                    }
                }
                long bbest = LINE_MAX;
                long bbest1 = LINE_MAX;
                for (long d = bmax; d >= bmin; d -= 2) {
                    long i1 = Math.max(off1, kb(d));
                    long i2 = i1 - d;
                    if (i2 < off2) {
                        i1 = off2 + d;
                        i2 = off2;
                    }
                    if (i1 + i2 < bbest) {
                        bbest = i1 + i2;
                        bbest1 = i1;
                    }
                }
                if ((lim1 + lim2) - bbest < fbest - (off1 + off2)) {
                    return new Split(fbest1, fbest - fbest1, true, false);
                }
                return new Split(bbest1, bbest - bbest1, false, true);
            }
        }
    }

    private static long bogosqrt(long n) {
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
