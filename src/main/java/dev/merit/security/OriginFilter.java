package dev.merit.security;

import dev.merit.problem.Problem;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Map;
import java.util.Set;

/**
 * Cross-site request forgery stops here (OWASP: verify the origin with standard headers). A request that changes
 * state and comes from a browser page carries {@code Origin} (and {@code Sec-Fetch-Site}); it is accepted only from
 * Merit's own origin or a configured one. Requests without either header come from programs (curl, CI, forges'
 * webhooks), which credentials or signatures govern, not this filter.
 */
@ApplicationScoped
public class OriginFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final SiteOrigin site;

    public OriginFilter(SiteOrigin site) {
        this.site = site;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION - 100)
    public Response check(ContainerRequestContext request, HttpServerRequest http) {
        if (SAFE.contains(request.getMethod())) {
            return null;
        }
        int port = localPort(http);
        String origin = request.getHeaderString("Origin");
        if (origin != null) {
            if (site.originAllowed(origin, port)) {
                return null;
            }
            return refuse(request, "foreign-origin", "Foreign origin", "A page at " + shorten(origin)
                    + " may not change anything here: Merit accepts state changes from its own pages ("
                    + site.origin(port) + ") only. An operator who runs a separate dashboard adds its origin to "
                    + "merit.web.allowed-origins.", Map.of("origin", shorten(origin)));
        }
        String fetchSite = request.getHeaderString("Sec-Fetch-Site");
        if (fetchSite != null && !fetchSite.equalsIgnoreCase("same-origin") && !fetchSite.equalsIgnoreCase("none")) {
            return refuse(request, "foreign-origin", "Foreign origin", "A " + shorten(fetchSite) + " request may not "
                    + "change anything here: Merit accepts state changes from its own pages (" + site.origin(port)
                    + ") only.", Map.of("secFetchSite", shorten(fetchSite)));
        }
        return null;
    }

    static int localPort(HttpServerRequest http) {
        return http == null || http.localAddress() == null ? -1 : http.localAddress().port();
    }

    private static String shorten(String value) {
        return value.length() <= 200 ? value : value.substring(0, 200) + "...";
    }

    private static Response refuse(ContainerRequestContext request, String type, String title, String detail,
                                   Map<String, Object> extensions) {
        return Problem.of(403, type, title, detail, request.getUriInfo().getPath(), extensions).toResponse();
    }
}
