package dev.merit.ingest.git;

/**
 * The search at the heart of git's xdiff (xdl_recs_cmp and xdl_split): a Myers diff over the lines that can match,
 * from both ends at once, that settles for a good-enough split once the search grows costly, exactly as git does
 * (so that counts equal git's). Marks the changed lines of both files in place.
 */
final class XdiffSearch {

    private static final int MAX_COST_MIN = 256;
    private static final int HEUR_MIN_COST = 256;
    private static final int SNAKE_CNT = 20;
    private static final int K_HEUR = 4;
    private static final long LINE_MAX = Long.MAX_VALUE;

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

    XdiffSearch(int nreff1, int nreff2, int[] ha1, int[] ha2, int[] rindex1, int[] rindex2,
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
        this.mxcost = Math.max(GitLineDiff.bogosqrt(ndiags), MAX_COST_MIN);
    }

    void compare(int off1, int lim1, int off2, int lim2, boolean needMin) {
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
}
