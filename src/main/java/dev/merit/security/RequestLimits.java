package dev.merit.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Map;

/**
 * Request sizes Merit answers with a problem, before anything reads the request: a URI over 8 KB (414), headers over
 * 24 KB (431), a declared body over {@code merit.web.max-body-bytes} (413). The HTTP server itself refuses only far
 * larger ones (64 KB URI or headers, {@code quarkus.http.limits.max-body-size}), without a body: its codec answers
 * those before any handler runs.
 */
@ApplicationScoped
public class RequestLimits {

    static final int MAX_URI = 8 * 1024;
    static final int MAX_HEADERS = 24 * 1024;
    /** A Host header: a name or IPv4 address, or an IPv6 address in brackets, and an optional port (checked apart). */
    static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile(
            "(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}|\\[[0-9A-Fa-f:.]{2,45}(?:%[A-Za-z0-9_.-]+)?\\])(?::(\\d{0,5}))?");

    /** Whether {@code host} is a Host header's value: {@link #HOST}, its port (if any) at most 65535. */
    static boolean validHost(String host) {
        java.util.regex.Matcher m = HOST.matcher(host);
        return m.matches() && (m.group(1) == null || m.group(1).isEmpty() || Integer.parseInt(m.group(1)) <= 65_535);
    }

    private final long maxBody;
    private final java.time.Duration bodyTimeout;
    private final ObjectMapper json = new ObjectMapper();
    private final SiteOrigin site;
    private final boolean loopbackOnly;

    public RequestLimits(@ConfigProperty(name = "merit.web.max-body-bytes", defaultValue = "6291456") long maxBody,
                         @ConfigProperty(name = "quarkus.http.host", defaultValue = "0.0.0.0") String bindHost,
                         @ConfigProperty(name = "quarkus.http.read-timeout", defaultValue = "60S")
                         java.time.Duration bodyTimeout,
                         SiteOrigin site) {
        this.maxBody = maxBody;
        this.bodyTimeout = bodyTimeout;
        this.site = site;
        this.loopbackOnly = java.util.List.of("127.0.0.1", "localhost", "::1", "[::1]").contains(bindHost.strip());
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check);
        // A body of no declared length (Transfer-Encoding: chunked) is counted as it comes, and read whole up to the
        // limit before the endpoint runs (which then reads it from memory). Past the limit, the body handler fails the
        // request with 413 and the failure handler answers the problem; before, the HTTP layer wrote a bare 413 at
        // quarkus.http.limits.max-body-size and the endpoint's failure was logged as an unexpected error. An HTTP/2 body
        // of no declared length is left to that server limit (8 MB), and past it the caller sees its stream reset, not
        // a problem: RESTEasy's own 413 carries Connection: close, which HTTP/2 forbids. Read ahead here instead, every
        // such body would fail at the endpoint (Vert.x refuses to pause an HTTP/2 request that has ended).
        // The JSON body of a write to the API (up to 1 MB) is read so too, within quarkus.http.read-timeout (a minute)
        // from its first byte: one that does not come whole by then is a 408 problem from here. Read by the endpoint
        // instead, a body that stopped arriving held a worker thread for the minute, and Quarkus then closed the
        // connection under its answer (a 500 at best). Forms and multipart bodies (which the body handler would
        // decode, and the wallet import reads raw), larger ones (a maintainer's CSV) and those asking for 100-continue
        // (sent only once the access filter admitted the call) are left to the endpoint, as before.
        // After Delivery (MIN_VALUE + 1), so that a refusal here carries its headers too.
        BodyHandler readAhead = BodyHandler.create(false).setBodyLimit(maxBody);
        router.route().order(Integer.MIN_VALUE + 2).handler(ctx -> {
            if (!readsAhead(ctx.request())) {
                ctx.next();
                return;
            }
            if (bodyTimeout.toMillis() > 0) {
                long timer = ctx.vertx().setTimer(bodyTimeout.toMillis(), id -> {
                    if (!ctx.response().headWritten()) {
                        refuse(ctx, 408, "request-timeout", "Request timeout", "The request body did not come whole "
                                + "within " + bodyTimeout.toSeconds() + " s of its start: send it whole, with a "
                                + "Content-Length that matches it.", true);
                    }
                });
                ctx.addEndHandler(v -> ctx.vertx().cancelTimer(timer));
                ctx.put(BODY_TIMER, timer);
            }
            readAhead.handle(ctx);
        });
        router.route().order(Integer.MIN_VALUE + 3).handler(ctx -> {
            Long timer = ctx.get(BODY_TIMER);
            if (timer != null) {
                ctx.vertx().cancelTimer(timer); // the whole body came
            }
            if (ctx.response().headWritten()) {
                return; // refused (408) while the rest of the body was still coming: the endpoint does not run
            }
            ctx.next();
        });
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (framingBroken(ctx.failure())) {
                // A chunk size that is not hex, or a connection closed mid-body (a refusal already sent and closed, a
                // caller gone): the caller's doing. Quarkus's error handler logged two ERROR stack traces for each,
                // which anyone could send to flood the log. Answered when there is still someone to answer.
                if (!ctx.response().headWritten() && !ctx.response().closed()) {
                    refuse(ctx, 400, "bad-body-framing", "Body not framed", "The request body's framing could not "
                            + "be read (a chunk size that is not hex, or a body cut short). Send it with a "
                            + "Content-Length, or chunked as HTTP/1.1 frames it.", true);
                }
            } else if (ctx.response().headWritten()) {
                ctx.next();
            } else if (ctx.statusCode() == 413) {
                refuse(ctx, 413, "body-too-large", "Body too large", "The request body runs past " + maxBody
                        + " bytes; Merit accepts at most that (merit.web.max-body-bytes).", true);
            } else if (ctx.statusCode() == 400 && ctx.failure() != null && noHost(ctx.failure().getMessage())) {
                // Vert.x's router reads no host from a Host it cannot parse ("a:b:c") and fails the request before
                // any route runs; the default error page said "500 - Internal Server Error" under status 400. Over
                // HTTP/2 the same is said of a missing or unparsable :authority.
                badHost(ctx);
            } else {
                ctx.next();
            }
        });
    }

    /** A failure of the body's framing or of the connection under it, not of Merit's. */
    static boolean framingBroken(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.vertx.core.http.HttpClosedException
                    || t instanceof io.netty.handler.codec.DecoderException
                    || (t instanceof NumberFormatException && String.valueOf(t.getMessage()).contains("chunk size"))) {
                return true;
            }
        }
        return false;
    }

    void check(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.uri().length() > MAX_URI) {
            refuse(ctx, 414, "uri-too-long", "URI too long", "The request's URI has " + request.uri().length()
                    + " characters; Merit reads at most " + MAX_URI + ". Send long values in a body.", true);
            return;
        }
        String badUri = UriChecks.problem(request.uri());
        if (badUri != null) {
            refuse(ctx, 400, "bad-uri", "Bad URI", badUri, false);
            return;
        }
        long headerBytes = 0;
        for (Map.Entry<String, String> h : request.headers()) {
            headerBytes += h.getKey().length() + h.getValue().length() + 4;
        }
        if (headerBytes > MAX_HEADERS) {
            refuse(ctx, 431, "headers-too-large", "Headers too large", "The request's headers take " + headerBytes
                    + " bytes; Merit reads at most " + MAX_HEADERS + ".", true);
            return;
        }
        var hosts = hostsOf(request);
        if (hosts.size() > 1 || (hosts.size() == 1 && !validHost(hosts.get(0).strip()))) {
            badHost(ctx); // two Hosts are two answers to "which site?"
            return;
        }
        if (loopbackOnly && hosts.size() == 1 && !site.hostNamesThisMachine(hosts.get(0),
                request.localAddress() == null ? -1 : request.localAddress().port())) {
            // Listening on this machine only, every caller is on it and names it. A page whose own name was rebound
            // to 127.0.0.1 names itself: it would read every answer (contributors' e-mails, private repositories'
            // titles) as its own. Refused on every route, reads and the dashboard included.
            String host = hosts.get(0);
            refuse(ctx, 403, "foreign-host", "Foreign host", "Merit listens on this machine only, and this request "
                    + "names another host (Host: " + clip(host)
                    + "): a web page can make a browser do that (DNS rebinding). Open Merit as localhost, 127.0.0.1 or "
                    + "[::1], or name the host in merit.web.allowed-hosts (or merit.web.public-url).", false);
            return;
        }
        String coding = transferCoding(request);
        if (coding != null) {
            // A body framed by a coding Merit does not decode would be read until the connection closes: the caller
            // waited out the read timeout for a 500. RFC 9112 6.1: chunked last or 400; an unknown coding is 501.
            String said = "Transfer-Encoding: " + clip(request.getHeader(HttpHeaders.TRANSFER_ENCODING));
            String then = ". Send the body as it is, with a Content-Length, or chunked.";
            if (coding.equals("chunked")) {
                refuse(ctx, 501, "unsupported-transfer-encoding", "Transfer coding not supported", said
                        + " applies a coding Merit does not decode" + then, true);
            } else {
                String why = coding.equals("chunked twice") ? " applies chunked twice" : " does not end with chunked";
                refuse(ctx, 400, "bad-transfer-encoding", "Bad Transfer-Encoding", said + why + then, true);
            }
            return;
        }
        List<String> types = request.headers().getAll(HttpHeaders.CONTENT_TYPE);
        String type = types.isEmpty() ? null : types.get(0);
        if (types.size() > 1 || type != null && !MEDIA_TYPE.matcher(type.strip()).matches()) {
            // RESTEasy's own refusal said only "HTTP 400 Bad Request"; of two, it read one and ignored the other.
            refuse(ctx, 400, "bad-content-type", "Bad Content-Type", types.size() > 1 ? "Content-Type is sent "
                    + types.size() + " times: send it once." : "Content-Type: " + clip(type) + " is not a media "
                    + "type (type/subtype, such as application/json).", false);
            return;
        }
        String encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
        if (encoding != null && !encoding.isBlank() && !encoding.strip().equalsIgnoreCase("identity")) {
            // A gzip body was parsed as JSON ("illegal character (code 31)"). RFC 9110 15.5.16: 415, and what it takes.
            ctx.response().putHeader(HttpHeaders.ACCEPT_ENCODING, "identity");
            refuse(ctx, 415, "unsupported-content-encoding", "Content coding not supported", "Content-Encoding: "
                    + clip(encoding) + " is a coding Merit does not decode: send the body as it is, without "
                    + "Content-Encoding.", true);
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                refuse(ctx, 400, "bad-content-length", "Bad Content-Length", "Content-Length must be a number of "
                        + "bytes.", true);
                return;
            }
            if (declared > maxBody) {
                refuse(ctx, 413, "body-too-large", "Body too large", "The request body has " + declared
                        + " bytes; Merit accepts at most " + maxBody + " (merit.web.max-body-bytes).", true);
                return;
            }
        }
        ctx.next();
    }

    private static final String BODY_TIMER = "merit.body-timer";
    /** A media type as RFC 9110 8.3.1 writes it: token/token, then any parameters. */
    private static final java.util.regex.Pattern MEDIA_TYPE = java.util.regex.Pattern.compile(
            "[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+\\s*(;.*)?", java.util.regex.Pattern.DOTALL);
    private static final List<HttpMethod> WRITES = List.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);
    /** The largest declared body read ahead: an API write's JSON is far smaller. */
    static final long READ_AHEAD_MAX = 1024 * 1024;

    /**
     * An HTTP/1.x body read whole, within the read timeout, before the endpoint runs: a chunked one (so its size is
     * counted as it comes), or that of a write to the API declared at most {@link #READ_AHEAD_MAX}, not a form nor
     * multipart, not asking for 100-continue.
     */
    private static boolean readsAhead(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_2) {
            return false;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
        }
        String type = String.valueOf(request.getHeader(HttpHeaders.CONTENT_TYPE)).toLowerCase(java.util.Locale.ROOT);
        long declared;
        try {
            declared = Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return false;
        }
        return declared > 0 && declared <= READ_AHEAD_MAX
                && WRITES.contains(request.method())
                && request.path() != null && request.path().startsWith("/api/")
                && !type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/")
                && request.getHeader(HttpHeaders.EXPECT) == null;
    }

    /**
     * What is wrong with an HTTP/1.x request's Transfer-Encoding: null when it has none or it is plain "chunked";
     * "chunked" when chunked comes last after another coding (gzip, chunked); else its last coding, which does not
     * frame the body at all (gzip, identity).
     */
    static String transferCoding(HttpServerRequest request) {
        List<String> values = request.headers().getAll(HttpHeaders.TRANSFER_ENCODING);
        if (values.isEmpty() || request.version() == HttpVersion.HTTP_2) {
            return null;
        }
        List<String> codings = java.util.Arrays.stream(String.join(",", values).split(","))
                .map(c -> c.strip().toLowerCase(java.util.Locale.ROOT)).filter(c -> !c.isEmpty()).toList();
        String last = codings.isEmpty() ? "" : codings.get(codings.size() - 1);
        if (codings.stream().filter("chunked"::equals).count() > 1) {
            return "chunked twice"; // RFC 9112 6.1: chunked is applied once, last
        }
        return !last.equals("chunked") ? last : codings.size() == 1 ? null : "chunked";
    }

    private static String clip(String value) {
        return value == null ? "" : value.length() > 100 ? value.substring(0, 100) + "..." : value;
    }

    /**
     * The names the request gives for the site: its Host headers (HTTP/1.x), else the {@code :authority} of an HTTP/2
     * request (h2c, as Java's HttpClient sends by default), which carries no Host header and is checked the same.
     */
    static List<String> hostsOf(HttpServerRequest request) {
        List<String> hosts = request.headers().getAll(HttpHeaders.HOST);
        if (hosts.isEmpty() && request.version() == HttpVersion.HTTP_2 && request.host() != null) {
            return List.of(request.host());
        }
        return hosts;
    }

    /** The router's words for a request it read no site from: HTTP/1.x's Host, HTTP/2's :authority. */
    private static boolean noHost(String failure) {
        return failure != null && (failure.contains("'Host' header is required")
                || failure.contains("':authority' pseudo-header is required"));
    }

    private void badHost(RoutingContext ctx) {
        var hosts = hostsOf(ctx.request());
        String shown = String.join(", ", hosts);
        refuse(ctx, 400, "bad-host", "Bad Host", (hosts.isEmpty() ? "The request names no Host"
                : hosts.size() > 1 ? "The request names " + hosts.size() + " Hosts: "
                + clip(shown)
                : "The Host header is not a host name or address with an optional port: "
                + clip(shown)) + ".", true);
    }

    /**
     * The headers every response carries, refusals written here included (they end before the dashboard's route adds
     * them): no page of another site may frame Merit's, nor may a browser guess a type.
     */
    public static void securityHeaders(io.vertx.core.MultiMap headers) {
        headers.set("X-Frame-Options", "DENY");
        headers.set("Content-Security-Policy", "frame-ancestors 'none'");
        headers.set("X-Content-Type-Options", "nosniff");
    }

    private void refuse(RoutingContext ctx, int status, String type, String title, String detail, boolean close) {
        ObjectNode problem = json.createObjectNode().put("type", "/problems/" + type).put("title", title)
                .put("status", status).put("detail", detail);
        String path = ctx.request().path();
        problem.put("instance", path == null || path.length() > 200 ? "/" : path);
        var response = ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json");
        securityHeaders(response.headers());
        boolean closing = close && ctx.request().version() != HttpVersion.HTTP_2;
        if (closing) { // HTTP/2 has no Connection header: the peer
            // resets a stream that carries one; only this stream ends, and the refusal reaches the caller
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        // Said "close", and done: the rest of a body never read would otherwise keep the socket (and the caller) open.
        response.end(problem.toString()).onComplete(sent -> {
            if (closing) {
                ctx.request().connection().close();
            }
        });
    }
}
