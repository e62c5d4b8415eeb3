package dev.merit.ingest;

import java.time.Instant;

/**
 * When a contribution happened, as the database can store it. Git stores any second its author typed (a commit
 * dated in the year 5138 is real history, and is stored as it is); sources can say more than a database holds
 * (year +999999999). Such times are clamped into years 1 to 9999 and the contribution notes the time it was given;
 * the rest of the history ingests.
 */
public final class OccurredAt {

    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private OccurredAt() {
    }

    public static boolean storable(Instant at) {
        return !at.isBefore(EARLIEST) && !at.isAfter(LATEST);
    }

    public static Instant clamp(Instant at) {
        return at.isBefore(EARLIEST) ? EARLIEST : at.isAfter(LATEST) ? LATEST : at;
    }

    /** What a contribution whose time was clamped keeps of it (in its raw column when the source gave none). */
    public static String note(Instant given) {
        return "{\"occurredAtGiven\":\"" + given + "\",\"occurredAtStored\":\"" + clamp(given)
                + "\",\"reason\":\"outside the years 1 to 9999 a database stores\"}";
    }
}
