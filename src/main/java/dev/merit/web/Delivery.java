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
 * accepts it ({@code quarkus.http.enable-compression}).
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
        if (policy != null) {
            ctx.addHeadersEndHandler(v -> {
                if (ctx.response().getStatusCode() == 200 || ctx.response().getStatusCode() == 304) {
                    ctx.response().headers().set(HttpHeaders.CACHE_CONTROL, policy);
                }
            });
        }
        ctx.next();
    }
}
