package dev.merit.problem;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 9457 problem details. {@code type} is a URI reference relative to the API ("/problems/not-found"). Extension
 * members ({@code "resource": "contributor"}) are written at the top level beside the standard ones, as the RFC has
 * them, not nested under an "extensions" key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "instance"})
@Schema(name = "Problem", description = "RFC 9457 problem details")
public record Problem(String type, String title, int status, String detail, String instance,
                      @JsonIgnore @Schema(hidden = true) Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);

    /** The longest request path echoed as {@code instance}: a longer one is left out, not sent back whole. */
    static final int MAX_INSTANCE = 1024;

    public static Problem of(int status, String slug, String title, String detail, String instance,
                             Map<String, Object> extensions) {
        // A path tens of thousands of characters long (a hostile or broken client) would double every refusal's size;
        // a cut one would no longer name the request, so it is left out.
        return new Problem("/problems/" + slug, title, status, detail,
                instance != null && instance.length() > MAX_INSTANCE ? null : instance,
                extensions == null ? Map.of() : new LinkedHashMap<>(extensions));
    }

    @JsonAnyGetter
    public Map<String, Object> anyExtensions() {
        return extensions;
    }

    /** The response; a problem with a {@code retryAfterSeconds} extension (503, 429) also says so in Retry-After. */
    public Response toResponse() {
        Response.ResponseBuilder r = Response.status(status).type(PROBLEM_JSON).entity(this);
        if (extensions.get("retryAfterSeconds") instanceof Number seconds) {
            r.header("Retry-After", String.valueOf(seconds.longValue()));
        }
        return r.build();
    }
}
