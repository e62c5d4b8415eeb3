package dev.merit.ingest.git;

import java.util.Arrays;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A file's bytes split into lines (terminator included, as git splits them), with the line hashes diffing and
 * moved-code detection need. Line splitting reads eight bytes at a time.
 */
final class HashedText {

    static final long BLANK = 0L;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;

    private final byte[] content;
    /** starts[i] is where line i begins; starts[size] is the content's length. */
    private final int[] starts;
    private final int size;

    HashedText(byte[] content) {
        this.content = content;
        int[] found = new int[Math.max(16, content.length / 32 + 2)];
        int n = 0;
        if (content.length > 0) {
            found[n++] = 0;
        }
        int i = 0;
        int limit = content.length - 8;
        while (i <= limit) {
            long word = (long) LONGS.get(content, i);
            long x = word ^ NEWLINES;
            long zeroes = (x - ONES) & ~x & HIGHS;
            while (zeroes != 0) {
                int at = i + (Long.numberOfTrailingZeros(zeroes) >>> 3) + 1;
                if (n + 1 >= found.length) {
                    found = Arrays.copyOf(found, found.length * 2);
                }
                if (at < content.length) {
                    found[n++] = at;
                }
                zeroes &= zeroes - 1;
            }
            i += 8;
        }
        for (; i < content.length; i++) {
            if (content[i] == '\n' && i + 1 < content.length) {
                if (n + 1 >= found.length) {
                    found = Arrays.copyOf(found, found.length * 2);
                }
                found[n++] = i + 1;
            }
        }
        found[n] = content.length;
        this.starts = found;
        this.size = n;
    }

    int size() {
        return size;
    }

    byte[] content() {
        return content;
    }

    /** Offset of the first byte of {@code line}. */
    int lineStart(int line) {
        return starts[line];
    }

    /** Offset just past {@code line}, its line terminator included. */
    int lineEnd(int line) {
        return starts[line + 1];
    }

    /** A fast 64-bit hash of the whole line, terminator included; equal lines hash equal. */
    long lineHash(int line) {
        int i = starts[line];
        int end = starts[line + 1];
        long h = 0x9E3779B97F4A7C15L ^ (end - i);
        for (; i + 8 <= end; i += 8) {
            h = Long.rotateLeft(h ^ ((long) LONGS.get(content, i) * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
        }
        long tail = 0;
        for (int shift = 0; i < end; i++, shift += 8) {
            tail |= (content[i] & 0xffL) << shift;
        }
        h = Long.rotateLeft(h ^ (tail * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }

    /** Hash of the line's bytes without its line terminator. */
    long exactHash(int line) {
        int start = starts[line];
        int end = trimEol(start, starts[line + 1]);
        long h = FNV_OFFSET;
        for (int i = start; i < end; i++) {
            h = (h ^ (content[i] & 0xff)) * FNV_PRIME;
        }
        return h;
    }

    /** Hash of the line with every whitespace byte removed; {@link #BLANK} for a blank line. */
    long normalizedHash(int line) {
        int start = starts[line];
        int end = starts[line + 1];
        long h = FNV_OFFSET;
        boolean any = false;
        for (int i = start; i < end; i++) {
            byte b = content[i];
            if (isWhitespace(b)) {
                continue;
            }
            any = true;
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        return any ? (h == BLANK ? 1L : h) : BLANK;
    }

    /** The bytes a whitespace-only change may change: space, tab, line breaks, form feed, vertical tab. */
    static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == 0x0b;
    }

    private int trimEol(int start, int end) {
        if (end > start && content[end - 1] == '\n') {
            end--;
        }
        if (end > start && content[end - 1] == '\r') {
            end--;
        }
        return end;
    }
}
