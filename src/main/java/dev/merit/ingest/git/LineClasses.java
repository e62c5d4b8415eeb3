package dev.merit.ingest.git;

import java.util.Arrays;
import java.util.BitSet;

/** Line classes by exact content (terminator included), with each class's count in either file. */
final class LineClasses {
    final int[] len1;
    final int[] len2;
    private final int[] slots;
    private final int mask;
    private final long[] hash;
    private final HashedText[] text;
    private final int[] line;
    private final BitSet lengths = new BitSet();
    private int count;

    LineClasses(int capacity) {
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
