package dev.merit.problem;

import java.util.Map;

/**
 * A failure a caller can act on. Rendered as RFC 9457 problem+json by {@link ProblemMappers}
 * and as a one-line message with a non-zero exit code by the CLI.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final Map<String, Object> extensions;

    public ProblemException(int status, String type, String title, String detail, Map<String, Object> extensions) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(404, "not-found", "Not found",
                "No " + what + " with id " + id + " exists.", Map.of("resource", what));
    }

    /** The request is well-formed but its values are not acceptable (400). */
    public static ProblemException invalid(String detail) {
        return new ProblemException(400, "invalid-input", "Invalid input", detail, null);
    }

    /** The request is valid, but the current state of things does not allow it (422). */
    public static ProblemException unprocessable(String type, String title, String detail) {
        return new ProblemException(422, type, title, detail, null);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "conflict", "Conflict", detail, null);
    }

    public int status() {
        return status;
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
