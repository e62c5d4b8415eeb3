package dev.merit.problem;


import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Query parameters read as a person writes them, and refused in words when they are not: JAX-RS reads any text but
 * "true" as false ({@code ?async=2} ingested in the foreground), and an instant only as full ISO-8601.
 */
public final class QueryParams {

    private QueryParams() {
    }

    /**
     * true or false (any case); absent is false, and present without a value ({@code ?dryRun}, {@code ?dryRun=}) is
     * true: a bare {@code ?dryRun} did the real import. Anything else, spaces included, is refused.
     */
    public static boolean flag(String name, String value) {
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.isEmpty() || value.equalsIgnoreCase("true")) {
            return true;
        }
        throw bad(name + " is true or false, got " + shown(value) + ".");
    }

    /**
     * {@link #flag(String, String)} of the request's own query: a bare {@code ?dryRun} reaches an endpoint's
     * {@code @QueryParam} as absent (null), so its presence is read from the query as sent.
     */
    public static boolean flag(String name, String value, jakarta.ws.rs.core.UriInfo uri) {
        if (value == null && uri != null && uri.getRequestUri().getRawQuery() != null) {
            for (String part : uri.getRequestUri().getRawQuery().split("&")) {
                if (part.equals(name) || part.equals(name + "=")) {
                    return true;
                }
            }
        }
        return flag(name, value);
    }

    /** A day ({@code 2026-01-31}, its first instant in UTC) or an instant ({@code 2026-01-31T12:00:00Z}); absent: null. */
    public static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        try {
            return v.length() <= 10 && !v.toUpperCase(Locale.ROOT).contains("T")
                    ? LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(v);
        } catch (DateTimeException e) {
            throw bad(name + " is a day (2026-01-31) or a date and time in UTC (2026-01-31T12:00:00Z), got "
                    + shown(value) + ".");
        }
    }

    private static String shown(String value) {
        return "'" + Clip.of(value) + "'";
    }

    private static ProblemException bad(String detail) {
        return new ProblemException(ProblemException.Kind.INVALID, "bad-parameter", "Bad parameter", detail,
                java.util.Map.of());
    }
}
