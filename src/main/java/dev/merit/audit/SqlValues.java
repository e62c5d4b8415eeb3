package dev.merit.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.sql.Timestamp;

/** Values of native queries, which drivers return in their own types. */
public final class SqlValues {

    private SqlValues() {
    }

    public static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("not a timestamp: " + value);
    }
}
