package dev.merit.web;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * How the dashboard is cached. The page itself ({@code /}, {@code index.html}) is revalidated on every visit, so an
 * upgrade shows at once; the scripts and styles it loads have their content's hash in their names ({@code /assets/
 * index-Cca9hJwC.js}) and never change, so browsers keep them for a year. Responses are compressed when the browser
 * accepts it ({@code quarkus.http.enable-compression}). No response may be framed by another page (clickjacking).
 */
@ApplicationScoped
public class Delivery {

    static final String PAGE = "no-cache";
    static final String HASHED = "public, max-age=31536000, immutable";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::cacheHeaders);
    }

    void cacheHeaders(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String path = request.path();
        String policy = path == null ? null
                : path.equals("/") || path.endsWith(".html") ? PAGE
                : path.startsWith("/assets/") ? HASHED : null;
        ctx.addHeadersEndHandler(v -> {
            var headers = ctx.response().headers();
            if (policy != null && (ctx.response().getStatusCode() == 200 || ctx.response().getStatusCode() == 304)) {
                headers.set(HttpHeaders.CACHE_CONTROL, policy);
            }
            // No page of another site may frame Merit's: framed under a decoy, the embedded dashboard's maintainer
            // controls (merge, accept, mark as a bot) would act from this machine on the visitor's click.
            dev.merit.security.RequestLimits.securityHeaders(headers);
        });
        ctx.next();
    }
}
