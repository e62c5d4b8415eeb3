package dev.merit.problem;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** An instant in a message a person reads: "2026-12-05 05:52 UTC", not "2026-12-05T05:52:55.975698Z". */
public final class Moments {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Moments() {
    }

    public static String of(Instant instant) {
        return instant == null ? "an unknown time" : MINUTE.format(instant);
    }

    /** A period from {@code from} to {@code to}: "2026-11-01 00:00 UTC to 2026-12-01 00:00 UTC". */
    public static String period(Instant from, Instant to) {
        return of(from) + " to " + of(to);
    }
}
