package dev.merit.problem;

import java.util.Map;

/**
 * A failure a caller can act on, in the domain's words: what kind of refusal it is, a stable type, a title and a
 * detail a person can act on. The edges render it: RFC 9457 problem+json with the kind's HTTP status
 * ({@link ProblemMappers}), or a one-line message and a non-zero exit code (the CLI).
 */
public class ProblemException extends RuntimeException {

    /** What kind of refusal: the one thing the HTTP edge turns into a status code. */
    public enum Kind {
        INVALID(400), NOT_SIGNED_IN(401), FORBIDDEN(403), NOT_FOUND(404), CONFLICT(409), TOO_LARGE(413),
        REFUSED(422), TOO_MANY(429), UNAVAILABLE(503);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Kind kind;
    private final String type;
    private final String title;
    private final Map<String, Object> extensions;

    public ProblemException(Kind kind, String type, String title, String detail, Map<String, Object> extensions) {
        super(Redaction.redact(detail)); // a clone URL's token in a detail never reaches the caller
        this.kind = kind;
        this.type = type;
        this.title = title;
        this.extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(Kind.NOT_FOUND, "not-found", "Not found",
                "No " + what + " with id " + id + " exists.", Map.of("resource", what));
    }

    /** The request is well-formed but its values are not acceptable (400). */
    public static ProblemException invalid(String detail) {
        return new ProblemException(Kind.INVALID, "invalid-input", "Invalid input", detail, null);
    }

    /** The request is valid, but the current state of things does not allow it (422). */
    public static ProblemException unprocessable(String type, String title, String detail) {
        return new ProblemException(Kind.REFUSED, type, title, detail, null);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(Kind.CONFLICT, "conflict", "Conflict", detail, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status of this kind of refusal, for the web edge. */
    public int status() {
        return kind.status();
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
