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
                .map(v -> Map.of("field", field(v), "message", v.getMessage()))
                .toList();
        String detail = errors.stream().map(m -> m.get("field") + ": " + m.get("message"))
                .collect(Collectors.joining("; "));
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
        String detail;
        if (e instanceof UnrecognizedPropertyException u) {
            detail = "Unknown field '" + u.getPropertyName() + "'. Known fields: " + u.getKnownPropertyIds() + ".";
        } else if (e instanceof InvalidFormatException f) {
            detail = "Field '" + jsonPath(f) + "' cannot be read from value " + f.getValue()
                    + ": expected " + f.getTargetType().getSimpleName() + ".";
        } else if (e instanceof MismatchedInputException m) {
            detail = "Field '" + jsonPath(m) + "' has the wrong shape: " + m.getOriginalMessage();
        } else {
            detail = "The request body is not valid JSON: " + e.getOriginalMessage();
        }
        return Problem.of(400, "malformed-json", "Malformed JSON", detail, path(uri), null).toResponse();
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
            return Problem.of(400, "bad-parameter", "Bad parameter", "A query or path parameter of " + path(uri)
                    + " has the wrong type (a number or a date where words were sent): " + bad.getMessage(),
                    path(uri), null).toResponse();
        }
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase() : "HTTP " + status;
        String detail = switch (status) {
            case 404 -> "Nothing is served at " + path(uri) + ". The API is described at /q/openapi.";
            case 405 -> "This method is not allowed on " + path(uri) + ".";
            case 413 -> "The request body is larger than this endpoint accepts.";
            case 415 -> "Send the body as application/json.";
            case 406 -> "This resource cannot be represented in the requested media type.";
            default -> e.getMessage();
        };
        return Problem.of(status, "http-" + status, title, detail, path(uri), null).toResponse();
    }

    /**
     * The unique constraint {@code e} (or one of its causes) broke: two writers checked "not there yet" at the same
     * moment and both wrote, and the database kept one. Empty for any other failure.
     */
    public static java.util.Optional<org.hibernate.exception.ConstraintViolationException> uniqueConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException c
                    && c.getKind() == org.hibernate.exception.ConstraintViolationException.ConstraintKind.UNIQUE) {
                return java.util.Optional.of(c);
            }
        }
        return java.util.Optional.empty();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        java.util.Optional<org.hibernate.exception.ConstraintViolationException> conflict = uniqueConflict(e);
        if (conflict.isPresent()) {
            String constraint = conflict.get().getConstraintName();
            return Problem.of(409, "concurrent-write", "Written at the same moment", "Another request wrote the "
                    + "same record at the same moment" + (constraint == null ? "" : " (" + constraint + ")")
                    + "; nothing of this request was kept. Send it again to see the other's result.", path(uri), null)
                    .toResponse();
        }
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected failure on %s (incident %s)", path(uri), incident);
        return Problem.of(500, "internal-error", "Internal error",
                "Merit failed unexpectedly; nothing was changed. Report incident " + incident + " to the operators.",
                path(uri), Map.of("incident", incident)).toResponse();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }

    private static String field(ConstraintViolation<?> v) {
        String p = v.getPropertyPath().toString();
        // "create.request.budget" -> "budget": callers know their body, not our method names.
        int lastDot = p.lastIndexOf('.');
        return lastDot >= 0 && p.indexOf('.') != lastDot ? p.substring(p.indexOf('.', p.indexOf('.') + 1) + 1) : p;
    }

    private static String jsonPath(MismatchedInputException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
