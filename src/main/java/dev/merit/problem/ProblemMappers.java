package dev.merit.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.Priorities;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** The one place where failures become RFC 9457 problem+json. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return Problem.of(e.status(), e.type(), e.title(), e.getMessage(), path(uri), e.extensions()).toResponse();
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<Map<String, String>> errors = e.getConstraintViolations().stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .map(v -> Map.of("field", field(v), "message", words(v)))
                .toList();
        String detail = errors.stream().map(m -> (m.get("field").equals("the request body") ? "The request body"
                        + (m.get("message").equals("is required") ? " is required: send a JSON object" : " " + m.get("message"))
                        : "Field '" + m.get("field") + "' " + m.get("message")))
                .collect(Collectors.joining("; ")) + ".";
        return Problem.of(400, "invalid-input", "Invalid input", detail, path(uri), Map.of("errors", errors))
                .toResponse();
    }

    // The specific types below are mapped explicitly (and first): quarkus-rest-jackson has built-in mappers for them.
    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response invalidJson(JsonParseException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        if (e instanceof UnrecognizedPropertyException u) {
            return Problem.of(400, "unknown-field", "Unknown field", "Unknown field '" + u.getPropertyName()
                    + "'. Known fields: " + u.getKnownPropertyIds() + ".", path(uri), null).toResponse();
        }
        if (e instanceof MismatchedInputException m && m.getOriginalMessage() != null
                && m.getOriginalMessage().startsWith("Trailing token")) {
            return Problem.of(400, "malformed-json", "Malformed JSON", "The request body goes on after its JSON value"
                    + at(e) + ": send one JSON value, and nothing after it.", path(uri), null).toResponse();
        }
        if (e instanceof MismatchedInputException m) {
            // Well-formed JSON, but a value of the wrong kind: name the field and what it must be, in words.
            String field = jsonPath(m);
            String expected = kindOf(m.getTargetType());
            String own = m.getOriginalMessage();
            // Merit's own deserializers say what they want in words (an amount as text, and why): keep their words.
            boolean ours = own != null && !own.isEmpty() && Character.isLowerCase(own.charAt(0)) && !own.contains("`")
                    && !own.contains("java.");
            String detail = ours ? (field.isEmpty() ? "The request body: " : "Field '" + field + "': ") + own + "."
                    : field.isEmpty()
                    ? "The request body must be " + expected + "."
                    : "Field '" + field + "' must be " + expected + (m instanceof InvalidFormatException f
                            ? "; " + quoted(f.getValue()) + " is not one" : "") + ".";
            return Problem.of(400, "wrong-type", "Wrong type", detail, path(uri), null).toResponse();
        }
        com.fasterxml.jackson.core.exc.InputCoercionException c = null;
        for (Throwable t = e; t != null && c == null; t = t.getCause() == t ? null : t.getCause()) {
            c = t instanceof com.fasterxml.jackson.core.exc.InputCoercionException i ? i : null;
        }
        if (c != null) {
            String field = e instanceof com.fasterxml.jackson.databind.JsonMappingException j && !j.getPath().isEmpty()
                    ? jsonPath(j) : c.getProcessor() == null ? null : c.getProcessor().getParsingContext().getCurrentName();
            return Problem.of(400, "wrong-type", "Number out of range", (field == null ? "A number" : "Field '" + field
                    + "'") + " is out of range: " + rangeOf(c.getTargetType()) + ".",
                    path(uri), null).toResponse();
        }
        if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
            return Problem.of(400, "malformed-json", "Malformed JSON", "The request body nests or runs longer than "
                    + "any request here needs: " + e.getOriginalMessage().replaceAll("\\s*\\(.*", "") + ".", path(uri),
                    null).toResponse();
        }
        return Problem.of(400, "malformed-json", "Malformed JSON", "The request body is not valid JSON" + at(e) + ": "
                + parserWords(e.getOriginalMessage()) + ".", path(uri), null).toResponse();
    }

    /** " (line L, column C)" of where the parser stopped, or nothing. */
    private static String at(JsonProcessingException e) {
        var where = e.getLocation();
        return where == null || where.getLineNr() < 1 ? "" : " (line " + where.getLineNr() + ", column "
                + where.getColumnNr() + ")";
    }

    /**
     * The JSON parser's complaint without its internals: the names of its settings ("Feature 'ALLOW_COMMENTS' not
     * enabled", "StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION"), token codes and a source it does not show.
     */
    private static String parserWords(String message) {
        if (message == null || message.isBlank()) {
            return "it cannot be read";
        }
        String words = message
                .replaceAll("\\s*\\(start marker at \\[Source:.*?\\]\\)", "")
                .replaceAll("\\s*\\(not recognized as one since Feature '[A-Z_]+' not enabled for parser\\)", "")
                .replaceAll("\\s*\\(for Object starting at \\[Source:.*?\\]\\)", "")
                .replaceAll("\\(CTRL-CHAR, code (\\d+)\\)", "a control character (code $1)")
                .replaceAll("\\s*\\([^()]*Feature[^()]*\\)", "")
                .replaceAll("`[A-Za-z]+(Read)?Feature\\.[A-Z_]+`", "")
                .replaceAll(",?\\s*from `[A-Za-z]+\\.[A-Za-z]+\\(\\)`", "")
                .replaceAll("JsonToken\\.|\\bVALUE_|\\bSTART_|\\bEND_", "")
                .replaceAll(":?\\s*enable\\s+to allow", "")
                .replaceAll("maybe a \\(non-standard\\) comment\\?", "JSON has no comments")
                .replaceAll("\\s+", " ").strip();
        words = words.endsWith(".") ? words.substring(0, words.length() - 1) : words;
        return words.isEmpty() ? "it cannot be read" : Character.toLowerCase(words.charAt(0)) + words.substring(1);
    }

    /** What a value of {@code type} is, in words a caller of the API reads. */
    static String kindOf(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "a list (a JSON array)";
        }
        if (type == String.class || type == Character.class || type == char.class) {
            return "text (a JSON string)";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == java.math.BigInteger.class || type == Long.class || type == long.class || type == Integer.class
                || type == int.class || type == Short.class || type == short.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "a date and time (text such as \"2026-01-31T00:00:00Z\")";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> c.toString().toLowerCase(java.util.Locale.ROOT)).toList();
        }
        return "an object (a JSON object with named fields)";
    }

    private static String rangeOf(Class<?> type) {
        if (type == Integer.class || type == int.class) {
            return "it holds a whole number of at most 2,147,483,647";
        }
        if (type == Long.class || type == long.class) {
            return "it holds a whole number of at most 9,223,372,036,854,775,807";
        }
        return "larger than this field holds";
    }

    private static String quoted(Object value) {
        String text = String.valueOf(value);
        return "'" + (text.length() > 60 ? text.substring(0, 60) + "…" : text) + "'";
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json, uri);
        }
        int status = e.getResponse().getStatus();
        if (status == 404 && (e.getCause() instanceof IllegalArgumentException
                || e.getCause() instanceof java.time.DateTimeException)) {
            RuntimeException bad = (RuntimeException) e.getCause();
            // A query or path parameter that does not convert (page=ten): JAX-RS says 404; it is a bad request.
            String given = bad.getMessage() == null ? "" : bad.getMessage().replaceFirst("^For input string: ", "")
                    .replaceFirst(" under radix \\d+$", "");
            return Problem.of(400, "bad-parameter", "Bad parameter", "A query or path parameter of " + saidPath(uri)
                    + " could not be read" + (given.isEmpty() ? "" : " from " + Clip.of(given)) + ": ids and page "
                    + "numbers are whole numbers from 0 to 9,223,372,036,854,775,807, as the API describes at "
                    + "/q/openapi.", path(uri), null).toResponse();
        }
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase() : "HTTP " + status;
        // What the resource takes, which RFC 9110 requires of a 405 (in the Allow header), said in the detail too.
        String allow = status == 405 && uri != null ? AllowedMethods.at(path(uri)) : "";
        String detail = switch (status) {
            case 404 -> "Nothing is served at " + saidPath(uri) + ". The API is described at /q/openapi.";
            case 405 -> "This method is not allowed on " + saidPath(uri) + (allow.isEmpty() ? "" : ": it takes "
                    + allow) + ".";
            case 413 -> "The request body is larger than this endpoint accepts.";
            case 415 -> "Send the body as application/json.";
            case 406 -> "This resource cannot be represented in the requested media type.";
            default -> e.getMessage();
        };
        Response problem = Problem.of(status, "http-" + status, title, detail, path(uri), null).toResponse();
        return allow.isEmpty() ? problem : Response.fromResponse(problem).header("Allow", allow).build();
    }

    /**
     * The unique constraint {@code e} (or one of its causes) broke: two writers checked "not there yet" at the same
     * moment and both wrote, and the database kept one. Empty for any other failure.
     */
    public static java.util.Optional<org.hibernate.exception.ConstraintViolationException> uniqueConflict(Throwable e) {
        return violated(e, org.hibernate.exception.ConstraintViolationException.ConstraintKind.UNIQUE);
    }

    private static java.util.Optional<org.hibernate.exception.ConstraintViolationException> violated(Throwable e,
            org.hibernate.exception.ConstraintViolationException.ConstraintKind kind) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException c && c.getKind() == kind) {
                return java.util.Optional.of(c);
            }
        }
        return java.util.Optional.empty();
    }

    /** Whether {@code e} (or a cause) is a lock lost to another transaction: stale, not granted, or a deadlock. */
    static boolean lockLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof jakarta.persistence.OptimisticLockException
                    || t instanceof jakarta.persistence.PessimisticLockException
                    || t instanceof jakarta.persistence.LockTimeoutException
                    || t instanceof org.hibernate.StaleStateException
                    || t instanceof org.hibernate.exception.LockAcquisitionException
                    || t instanceof org.hibernate.PessimisticLockException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The request's body stopped arriving (nothing for quarkus.http.read-timeout, 60 s) or its connection failed while
     * an endpoint read it: the caller's doing, said as such, not an incident of Merit's nor a chain outage.
     */
    public static java.util.Optional<Response> bodyNotRead(Throwable e, UriInfo uri) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.IOException && java.util.Arrays.stream(t.getStackTrace())
                    .anyMatch(f -> f.getClassName().contains("VertxInputStream"))) {
                boolean timedOut = t.getMessage() != null && t.getMessage().contains("timed out");
                Problem problem = timedOut
                        ? Problem.of(408, "request-timeout", "Request body stopped", "The request body stopped "
                        + "arriving before its end (nothing came for a minute): send the whole body, with a "
                        + "Content-Length that matches it.", path(uri), null)
                        : Problem.of(400, "body-not-read", "Request body not read", "The request body could not be "
                        + "read to its end (the connection failed): send it again.", path(uri), null);
                return java.util.Optional.of(problem.toResponse());
            }
        }
        return java.util.Optional.empty();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        java.util.Optional<Response> unread = bodyNotRead(e, uri);
        if (unread.isPresent()) {
            return unread.get();
        }
        java.util.Optional<org.hibernate.exception.ConstraintViolationException> conflict = uniqueConflict(e);
        if (conflict.isEmpty() && lockLost(e)) {
            // A row changed or deleted by another request between this one's read and its lock, a lock not granted in
            // time, or a deadlock the database broke by aborting this one: 20 deletes of one epoch at once gave 500s.
            return Problem.of(409, "concurrent-write", "Written at the same moment", "Another request changed the "
                    + "same record at the same moment; nothing of this request was kept. Send it again to see the "
                    + "other's result.", path(uri), null).toResponse();
        }
        if (conflict.isPresent()) {
            String constraint = conflict.get().getConstraintName();
            // The database's name for the rule is for whoever reads the logs or the field, not the sentence.
            return Problem.of(409, "concurrent-write", "Written at the same moment", "Another request wrote the "
                    + "same record at the same moment; nothing of this request was kept. Send it again to see the "
                    + "other's result.", path(uri), constraint == null ? null : Map.of("constraint", constraint))
                    .toResponse();
        }
        if (violated(e, org.hibernate.exception.ConstraintViolationException.ConstraintKind.FOREIGN_KEY).isPresent()) {
            // A scoring or a dispute of an epoch a maintainer deleted at that moment (a mistake): not Merit's failure.
            return Problem.of(409, "deleted-meanwhile", "Deleted meanwhile", "Something this request refers to was "
                    + "deleted at the same moment (an epoch made by mistake, say); nothing of this request was kept.",
                    path(uri), null).toResponse();
        }
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected failure on %s (incident %s)", path(uri), incident);
        return Problem.of(500, "internal-error", "Internal error",
                "Merit failed unexpectedly; nothing was changed. Report incident " + incident + " to the operators.",
                path(uri), Map.of("incident", incident)).toResponse();
    }

    /** The path as a detail quotes it: a hostile 7,000-character path is not sent back whole. */
    private static String saidPath(UriInfo uri) {
        String path = path(uri);
        if (path == null || path.length() <= 200) {
            return path;
        }
        int end = Character.isHighSurrogate(path.charAt(199)) ? 199 : 200; // never half a character
        return path.substring(0, end) + "...";
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }

    /** What a constraint asks, in words that follow a field's name ("is required", "must have at most 128 characters"). */
    private static String words(ConstraintViolation<?> v) {
        var descriptor = v.getConstraintDescriptor();
        String kind = descriptor == null ? "" : descriptor.getAnnotation().annotationType().getSimpleName();
        Map<String, Object> a = descriptor == null ? Map.of() : descriptor.getAttributes();
        String unit = v.getInvalidValue() instanceof CharSequence ? " characters" : " items";
        return switch (kind) {
            case "NotNull" -> "is required";
            case "Size" -> {
                int min = (Integer) a.get("min");
                int max = (Integer) a.get("max");
                yield "must have " + (min == 0 ? "at most " + max : max == Integer.MAX_VALUE ? "at least " + min
                        : "between " + min + " and " + max) + unit + (v.getInvalidValue() instanceof CharSequence c
                        ? " (it has " + c.length() + ")" : "");
            }
            default -> {
                String m = v.getMessage();
                yield m.startsWith("must") || m.startsWith("is ") ? m : "must be valid: " + m;
            }
        };
    }

    private static String field(ConstraintViolation<?> v) {
        String p = v.getPropertyPath().toString();
        // "propose.request" (a required body that is missing): the body, not our parameter's name.
        if (p.matches("[^.]+\\.(request|body)")) {
            return "the request body";
        }
        // "standings.size" (a query parameter): its name.
        if (p.indexOf('.') > 0 && p.indexOf('.') == p.lastIndexOf('.')) {
            return p.substring(p.indexOf('.') + 1);
        }
        // "create.request.budget" -> "budget": callers know their body, not our method names.
        int lastDot = p.lastIndexOf('.');
        return lastDot >= 0 && p.indexOf('.') != lastDot ? p.substring(p.indexOf('.', p.indexOf('.') + 1) + 1) : p;
    }

    private static String jsonPath(com.fasterxml.jackson.databind.JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
