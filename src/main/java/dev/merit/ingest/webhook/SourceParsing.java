package dev.merit.ingest.webhook;

import dev.merit.contributor.Identity;
import dev.merit.ingest.OccurredAt;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import com.fasterxml.jackson.databind.JsonNode;
import dev.merit.problem.Clip;
import dev.merit.problem.ProblemException;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Field access for webhook payloads: a missing or malformed field is a 400 that names it. */
final class SourceParsing {

    private static final DateTimeFormatter GITLAB_LEGACY = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'");
    private static final DateTimeFormatter JIRA = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSZ");

    private final String source;

    SourceParsing(String source) {
        this.source = source;
    }

    JsonNode required(JsonNode n, String field) {
        JsonNode v = given(n, field);
        if (v == null) {
            throw invalid("the payload has no '" + field + "'");
        }
        return v;
    }

    /** The field's value, or null when it is absent or JSON's null. */
    private static JsonNode given(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v;
    }

    String text(JsonNode n, String field) {
        JsonNode v = required(n, field);
        if (!v.isValueNode()) {
            throw invalid("'" + field + "' is not a value");
        }
        return v.asText();
    }

    /**
     * A forge's number or id: a whole JSON number from 0 to 2^63 - 1. Text, a fraction or an object is not one (read
     * as 0 before, so a pull request "abc" became #pr/0), nor is 10^30 (it wrapped around to another id).
     */
    long number(JsonNode n, String field) {
        JsonNode v = required(n, field);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw invalid("'" + field + "' is not a whole number from 0 to 9223372036854775807: " + Clip.of(v.toString()));
        }
        return v.asLong();
    }

    /**
     * An account's id, when the forge gives one: absent or null is none (the login stands alone); otherwise a whole
     * number as {@link #number} reads it. Text, a negative number or 2^80 named another account than the forge's (a
     * contributor "github:alice#-1"), or was dropped without a word.
     */
    String optionalId(JsonNode n, String field) {
        return given(n, field) == null ? null : String.valueOf(number(n, field));
    }

    /** A name the forge always gives (a repository's "owner/name"): text that is not blank. */
    String name(JsonNode n, String field) {
        String v = text(n, field);
        if (v.isBlank()) {
            throw invalid("'" + field + "' is empty");
        }
        return v;
    }

    /**
     * Text the forge gives when it has some (a title, a description, a state): absent or null is "", text is itself;
     * a number, a flag, an object or a list is a 400 that names the field, not text made of it ({} was "(no message)").
     */
    String optionalText(JsonNode n, String field) {
        JsonNode v = given(n, field);
        if (v == null) {
            return "";
        }
        if (!v.isTextual()) {
            throw invalid("'" + field + "' is not text: " + Clip.of(v.toString()));
        }
        return v.asText();
    }

    /** A flag: absent or null is false; true or false as such; 1 or "true" is a 400 (it read as true before). */
    boolean flag(JsonNode n, String field) {
        JsonNode v = given(n, field);
        if (v == null) {
            return false;
        }
        if (!v.isBoolean()) {
            throw invalid("'" + field + "' is not true or false: " + Clip.of(v.toString()));
        }
        return v.asBoolean();
    }

    /** A list the forge gives when it has one (labels): absent or null is empty; anything else but a list is a 400. */
    JsonNode optionalList(JsonNode n, String field) {
        JsonNode v = given(n, field);
        if (v == null) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        }
        if (!v.isArray()) {
            throw invalid("'" + field + "' is not a list: " + Clip.of(v.toString()));
        }
        return v;
    }

    /** An account's login (a username, a Jira account id), as {@link Identity#wellFormedLogin} has it. */
    String login(JsonNode n, String field) {
        JsonNode v = required(n, field);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw invalid("'" + field + "' is not a login: " + Clip.of(v.toString()));
        }
        if (!Identity.wellFormedLogin(v.asText())) {
            throw invalid("'" + field + "' is not a login: it holds a space, a control or invisible character or "
                    + "half of a character");
        }
        return v.asText();
    }

    /** ISO-8601 (with offset or Z), GitLab's older "2013-12-03 17:23:34 UTC", or Jira's "2026-01-02T10:00:00.000+0000". */
    Instant instant(JsonNode n, String field) {
        return OccurredAt.clamp(parseInstant(n, field));
    }

    private Instant parseInstant(JsonNode n, String field) {
        String v = text(n, field);
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(v, GITLAB_LEGACY).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                try {
                    return OffsetDateTime.parse(v, JIRA).toInstant();
                } catch (DateTimeParseException e3) {
                    throw invalid("'" + field + "' is not a timestamp: " + Clip.of(v));
                }
            }
        }
    }

    ProblemException invalid(String detail) {
        return ProblemException.invalid(source + " payload not understood: " + detail + ".");
    }
    /**
     * The first of {@code labels} that is one of {@code declining} ({@link WebhookConfig#decliningLabels()}), as it
     * is written on the forge.
     */
    static Optional<String> decliningLabel(Iterable<String> labels, Set<String> declining) {
        for (String label : labels) {
            if (declining.contains(labelKey(label))) {
                return Optional.of(label);
            }
        }
        return Optional.empty();
    }

    /** A label as compared: after its last ':' or '/', lower case, without spaces, '-', '_' and apostrophes. */
    static String labelKey(String label) {
        String tail = label.substring(Math.max(label.lastIndexOf(':'), label.lastIndexOf('/')) + 1);
        return tail.toLowerCase(Locale.ROOT).replaceAll("[\\s\\-_'\u2019]", "");
    }
}
