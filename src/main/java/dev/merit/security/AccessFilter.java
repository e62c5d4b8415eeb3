package dev.merit.security;

import dev.merit.problem.ProblemException;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import dev.merit.problem.Problem;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/** Enforces {@link Access} on every API call: refusals are problem+json that say what credential is needed. */
@ApplicationScoped
public class AccessFilter {

    private final AuthConfig config;
    private final Sessions sessions;
    private final Optional<byte[]> token;
    private final RateLimiter sourceLimit;

    private final SourceCredentials sources;
    private final Optional<JWTParser> oidc;

    private final SiteOrigin site;
    private final MaintainerCall call;

    /**
     * Reads the access settings when Merit starts, not at the first request: OIDC without its issuer or audience stops
     * the start with the setting named, instead of every request failing later.
     */
    void checkAtStart(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent start) {
        // being constructed is the check (oidcParser)
    }

    public AccessFilter(AuthConfig config, Sessions sessions, SourceCredentials sources, SiteOrigin site,
                        MaintainerCall call) {
        this.config = config;
        this.call = call;
        this.site = site;
        this.sources = sources;
        this.sessions = sessions;
        this.sourceLimit = new RateLimiter("webhook", sources.sourcesPerMinute());
        this.oidc = oidcParser(config.oidc());
        this.token = config.maintainerToken().or(() -> config.maintainerTokenFile().map(AccessFilter::read))
                .map(String::strip).filter(t -> !t.isEmpty()).map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    static Optional<JWTParser> oidcParser(AuthConfig.Oidc oidc) {
        if (oidc.jwksUrl().isEmpty() && oidc.publicKey().isEmpty()) {
            return Optional.empty();
        }
        String issuer = oidc.issuer().orElseThrow(() -> new IllegalStateException(
                "merit.auth.oidc.issuer is required with merit.auth.oidc.jwks-url or public-key"));
        JWTAuthContextInfo info = new JWTAuthContextInfo();
        oidc.jwksUrl().ifPresent(info::setPublicKeyLocation);
        oidc.publicKey().ifPresent(info::setPublicKeyContent);
        info.setIssuedBy(issuer);
        // Required: an identity provider issues tokens to many applications, and one issued to another of them (a
        // wiki, a chat bot) carrying the maintainers' role must not make its bearer Merit's maintainer.
        String audience = oidc.audience().orElseThrow(() -> new IllegalStateException(
                "merit.auth.oidc.audience is required with merit.auth.oidc.jwks-url or public-key: the client id the "
                        + "identity provider names Merit by in its tokens (aud)"));
        info.setExpectedAudience(Set.of(audience));
        info.setGroupsPath(oidc.groupsPath());
        info.setClockSkew(60);
        return Optional.of(new DefaultJWTParser(info));
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException("merit.auth.maintainer-token-file " + file + " cannot be read", e);
        }
    }

    public static Access.Role roleOf(Method method, String httpMethod) {
        Access a = method.getAnnotation(Access.class);
        if (a == null) {
            a = method.getDeclaringClass().getAnnotation(Access.class);
        }
        if (a != null) {
            return a.value();
        }
        return httpMethod.equals("GET") || httpMethod.equals("HEAD") || httpMethod.equals("OPTIONS")
                ? Access.Role.PUBLIC : Access.Role.MAINTAINER;
    }

    /** Whether calls from this machine are a maintainer's without a token (the embedded default: no token, no OIDC). */
    public boolean trustsThisMachine() {
        return token.isEmpty() && oidc.isEmpty() && config.loopbackWithoutToken();
    }

    /**
     * Whether a maintainer's call made like this request (same address, Host and forwarding headers) would be trusted
     * without a token: the embedded default, from this machine itself, naming it. The dashboard offers maintainers'
     * controls on that answer rather than on a guess from its own address.
     */
    public boolean trustedAsThisMachine(java.util.function.Function<String, String> header, HttpServerRequest http) {
        return trustsThisMachine() && isLoopback(RateLimiter.client(http)) && !forwarded(header)
                && namesThisMachine(hostOf(header.apply(HttpHeaders.HOST), http), http);
    }

    /** The Host header, else an HTTP/2 request's {@code :authority} (see {@link RequestLimits#hostsOf}). */
    private static String hostOf(String header, HttpServerRequest http) {
        if (header == null && http != null) {
            List<String> hosts = RequestLimits.hostsOf(http);
            return hosts.size() == 1 ? hosts.get(0) : null;
        }
        return header;
    }

    /** Whether {@code host} (a Host header) names this machine, on the port the request came in on. */
    private boolean namesThisMachine(String host, HttpServerRequest http) {
        int port = http.localAddress() == null ? -1 : http.localAddress().port();
        return site.hostNamesThisMachine(host, port);
    }

    @ServerRequestFilter
    public Response check(ContainerRequestContext request, ResourceInfo resource, HttpServerRequest http) {
        Method method = resource.getResourceMethod();
        if (method == null) {
            return null;
        }
        return switch (roleOf(method, request.getMethod())) {
            case PUBLIC -> {
                // Asked only by a reply that shows maintainers more (e-mail addresses): a read is never refused here.
                call.readBy(() -> maintainer(request, http) == null,
                        () -> session(request).map(Sessions.Live::address));
                yield null;
            }
            case SOURCE -> limited(http, request);
            case CI -> {
                Response refused = limited(http, request);
                if (refused != null) {
                    yield refused;
                }
                try {
                    sources.authorizeCi(request.getHeaderString(HttpHeaders.AUTHORIZATION));
                    yield null;
                } catch (ProblemException e) {
                    yield problem(e, request);
                }
            }
            case CONTRIBUTOR -> session(request).isPresent() ? null : refuse(401, "not-signed-in", "Not signed in",
                    "Sign in with your wallet (Sign-In with Ethereum) first.", request);
            case MAINTAINER -> maintainer(request, http);
        };
    }

    private Response maintainer(ContainerRequestContext request, HttpServerRequest http) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String bearer = header.substring(7).strip();
            byte[] presented = bearer.getBytes(StandardCharsets.UTF_8);
            if (token.isPresent() && MessageDigest.isEqual(token.get(), presented)) {
                call.proven("with the maintainer token", null);
                return null;
            }
            if (oidc.isPresent() && bearer.chars().filter(ch -> ch == '.').count() == 2) {
                JsonWebToken jwt;
                try {
                    jwt = oidc.get().parse(bearer);
                } catch (ParseException e) {
                    return refuse(401, "bad-credentials", "Bad credentials", "The bearer token is not a valid token "
                            + "of the configured identity provider (signature, issuer, audience or expiry).", request);
                }
                String group = config.oidc().maintainerGroup();
                if (jwt.getGroups() != null && jwt.getGroups().contains(group)) {
                    String user = jwt.getName() == null || jwt.getName().isBlank() ? null : jwt.getName();
                    call.proven("signed in as " + (user == null ? "a user without a name" : user) + " ("
                            + config.oidc().issuer().orElse("OIDC") + ")", user);
                    return null;
                }
                return refuse(403, "maintainers-only", "Maintainers only", "The token of " + jwt.getName()
                        + " is valid but not in the group '" + group + "' that maintains Merit.", request);
            }
            return refuse(401, "bad-credentials", "Bad credentials", "The bearer token is not the maintainer token"
                    + (oidc.isPresent() ? " nor a token of the configured identity provider." : "."), request);
        }
        if (trustsThisMachine() && isLoopback(RateLimiter.client(http))) {
            if (!forwarded(request)) {
                String host = hostOf(request.getHeaderString(HttpHeaders.HOST), http);
                if (namesThisMachine(host, http)) {
                    call.proven("from this machine, without a token", null);
                    return null;
                }
                return refuse(403, "foreign-host", "Foreign host", request.getMethod() + " "
                        + request.getUriInfo().getPath() + " came from this machine but names another host ("
                        + (host == null ? "no Host header" : "Host: " + (host.length() > 200 ? host.substring(0, 200) : host))
                        + "): a web page can make a browser do that (DNS rebinding). Calls trusted without a token "
                        + "must name this machine (localhost, 127.0.0.1, [::1]) or merit.web.public-url's host; add "
                        + "other names to merit.web.allowed-hosts.", request);
            }
            return refuse(401, "maintainers-only", "Maintainers only", request.getMethod() + " "
                    + request.getUriInfo().getPath() + " came through a proxy on this machine (it carries forwarding "
                    + "headers), so it may come from anywhere: calls without a token are trusted only from this machine "
                    + "itself. Set MERIT_AUTH_MAINTAINER_TOKEN and send Authorization: Bearer <token>.", request);
        }
        Optional<Sessions.Live> signedIn = session(request);
        if (signedIn.isPresent() && config.maintainerWallet(signedIn.get().address())) {
            // a maintainer's wallet (merit.auth.maintainer-wallets), proven by its signature
            call.provenByWallet("signed in with the maintainer wallet " + signedIn.get().address(), signedIn.get().address());
            return null;
        }
        if (signedIn.isPresent()) {
            return refuse(403, "maintainers-only", "Maintainers only", "Signed in as " + signedIn.get().address()
                    + ", which is not a maintainer's wallet: contributors read, dispute their own work and vote; this is "
                    + "for maintainers (a maintainer's wallet signed in, or the maintainer token as a bearer token).",
                    request);
        }
        return refuse(401, "maintainers-only", "Maintainers only", request.getMethod() + " " + request.getUriInfo().getPath()
                + " is for maintainers: sign in with a maintainer's wallet, or send Authorization: Bearer <maintainer token>"
                + (token.isEmpty() ? " (none is configured: set MERIT_AUTH_MAINTAINER_TOKEN, or call from this machine)" : "")
                + ".", request);
    }

    private Response limited(HttpServerRequest http, ContainerRequestContext request) {
        try {
            sourceLimit.acquire(RateLimiter.client(http));
            return null;
        } catch (ProblemException e) {
            return problem(e, request); // its Retry-After is the limiter's own (one header, one value)
        }
    }

    private static Response problem(ProblemException e, ContainerRequestContext request) {
        return Problem.of(e.status(), e.type(), e.title(), e.getMessage(), request.getUriInfo().getPath(), e.extensions())
                .toResponse();
    }

    private Optional<Sessions.Live> session(ContainerRequestContext request) {
        Cookie c = request.getCookies().get(Sessions.COOKIE);
        return c == null ? Optional.empty() : sessions.find(c.getValue());
    }

    /**
     * Whether a proxy says it forwarded the request: then a loopback address is the proxy's (nginx on the same host, a
     * service-mesh sidecar), not the caller's.
     */
    private static boolean forwarded(ContainerRequestContext request) {
        return forwarded(request::getHeaderString);
    }

    /**
     * Headers a proxy adds: the standard ones (Forwarded, and Via, which RFC 9110 asks every proxy to send), the de
     * facto X-Forwarded-* family, and the client-address headers of common proxies and CDNs. A proxy that sends none
     * of them (and is told to send none) is the operator's to configure: docs/security.md says so.
     */
    private static final String[] PROXY_HEADERS = {"Forwarded", "Via", "X-Forwarded-For", "X-Forwarded-Host",
            "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Server", "X-Real-IP", "X-Client-IP", "Client-IP",
            "True-Client-IP", "CF-Connecting-IP", "Fastly-Client-IP", "X-Cluster-Client-IP", "X-Original-Forwarded-For"};

    private static boolean forwarded(java.util.function.Function<String, String> header) {
        for (String name : PROXY_HEADERS) {
            if (header.apply(name) != null) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLoopback(String address) {
        return address.equals("127.0.0.1") || address.equals("::1") || address.equals("0:0:0:0:0:0:0:1")
                || address.startsWith("127.");
    }

    private static Response refuse(int status, String type, String title, String detail, ContainerRequestContext request) {
        Response.ResponseBuilder r = Response.fromResponse(
                Problem.of(status, type, title, detail, request.getUriInfo().getPath(), null).toResponse());
        if (status == 401) {
            r.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"merit\"");
        }
        return r.build();
    }
}
