package dev.merit.ingest;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The lines of work a commit added and deleted, as keys: each key hashes one line together with its neighbours in the
 * same run of changed lines (whitespace left out), so a key names a line in its place in a block, not a lone
 * closing brace that occurs everywhere; a run of one or two lines is keyed with its file's path as well. Only lines counted as effective are keyed (no blank, moved, reformatted,
 * generated or excluded lines). Scoring compares the keys of one author's commits within an epoch: a line added in
 * one commit and deleted in another (or the other way round) was undone, and is paid in neither.
 *
 * <p>Stored packed: a format byte, the counts of added and deleted keys (ints), then the keys (longs), big-endian.
 */
public record ChangedLines(long[] added, long[] deleted) {

    private static final byte FORMAT = 1;

    public boolean isEmpty() {
        return added.length == 0 && deleted.length == 0;
    }

    public byte[] pack() {
        ByteBuffer buffer = ByteBuffer.allocate(9 + 8 * (added.length + deleted.length));
        buffer.put(FORMAT).putInt(added.length).putInt(deleted.length);
        for (long key : added) {
            buffer.putLong(key);
        }
        for (long key : deleted) {
            buffer.putLong(key);
        }
        return buffer.array();
    }

    /** @throws IllegalArgumentException for bytes that are not a packed ChangedLines */
    public static ChangedLines unpack(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (bytes.length < 9 || buffer.get() != FORMAT) {
            throw new IllegalArgumentException("not a packed set of changed lines (format " + FORMAT + ")");
        }
        int added = buffer.getInt();
        int deleted = buffer.getInt();
        if (added < 0 || deleted < 0 || bytes.length != 9 + 8L * (added + (long) deleted)) {
            throw new IllegalArgumentException("packed changed lines are truncated or too long");
        }
        long[] a = new long[added];
        long[] d = new long[deleted];
        for (int i = 0; i < added; i++) {
            a[i] = buffer.getLong();
        }
        for (int i = 0; i < deleted; i++) {
            d[i] = buffer.getLong();
        }
        return new ChangedLines(a, d);
    }

    /** SHA-256 of the packed form, for a scoring run's input record. */
    public static String digest(byte[] packed) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(packed));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
