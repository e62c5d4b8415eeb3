package dev.merit.web;

import dev.merit.contributor.WalletClaims;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
import dev.merit.security.RateLimiter;
import dev.merit.security.Access;
import dev.merit.contributor.SiweService;
import dev.merit.security.Sessions;
import dev.merit.security.WebConfig;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.time.Instant;

@Path("/api/auth")
@Access(Access.Role.PUBLIC)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sign-in", description = "Sign-In with Ethereum (EIP-4361): sessions and self-service wallet links")
public class AuthResource {

    /** The session cookie Sign-In with Ethereum sets. */
    public static final String COOKIE = Sessions.COOKIE;
    /** A cookie the page can read, set and cleared with the session's: whether this browser has one to ask about. */
    public static final String SIGNED_IN = "merit_signed_in";

    public record SignInRequest(@NotBlank @Size(max = 4096) String message, @NotBlank @Size(max = 200) String signature) {
    }

    public record SessionView(String address, Instant expiresAt, Long contributorId, String linkedWallet,
                              @Schema(description = "The claim a sign-in asking for a wallet link opened: post its code "
                                      + "from one of the accounts in proveFrom, or ask a maintainer")
                              WalletClaims.Claim walletClaim,
                              @Schema(description = "The wallet is on the maintainer list: it answers disputes and "
                                      + "runs payouts from the dashboard") boolean maintainer) {
    }

    private final SiweService siwe;
    private final RateLimiter limiter;

    private final dev.merit.security.AuthConfig auth;
    private final WebConfig config;

    public AuthResource(SiweService siwe, WebConfig config, dev.merit.security.AuthConfig auth) {
        this.siwe = siwe;
        this.auth = auth;
        this.config = config;
        this.limiter = new RateLimiter("sign-in", config.signInPerMinute());
    }

    @POST
    @Path("/nonce")
    @Operation(summary = "A sign-in nonce", description = "Single use; put it in the EIP-4361 message's Nonce field.")
    @APIResponse(responseCode = "200", description = "The nonce and when it expires")
    @APIResponse(responseCode = "429", description = "Too many sign-in requests from this address")
    public SiweService.Nonce nonce(@Context HttpServerRequest http) {
        limiter.acquire(RateLimiter.client(http));
        return siwe.nonce(http.localAddress() == null ? -1 : http.localAddress().port());
    }

    @POST
    @Path("/siwe")
    @Operation(summary = "Sign in with Ethereum", description = "Checks the EIP-4361 message (domain, URI, chain id, "
            + "nonce, issued-at, expiration) and its personal_sign signature, spends the nonce and opens a session "
            + "(HttpOnly cookie). A resource urn:merit:contributor:<id> asks for the wallet to be that contributor's "
            + "(only if they have no other wallet): it opens a claim whose code the contributor posts from their GitHub "
            + "or GitLab account (or a maintainer links it); a wallet already theirs is reported as linked.")
    @APIResponse(responseCode = "200", description = "Signed in")
    @APIResponse(responseCode = "400", description = "Not an EIP-4361 message, or a malformed signature")
    @APIResponse(responseCode = "401", description = "Wrong domain or chain, expired, unknown nonce, bad signature")
    @APIResponse(responseCode = "409", description = "Replayed message, or the wallet or contributor is linked elsewhere")
    @APIResponse(responseCode = "429", description = "Too many sign-in requests from this address")
    public Response signIn(@Valid @NotNull SignInRequest request, @Context HttpHeaders headers,
                           @Context UriInfo uri,
                           @Context HttpServerRequest http,
                           @CookieParam(COOKIE) String previous) {
        limiter.acquire(RateLimiter.client(http));
        SiweService.SignIn in = siwe.signIn(request.message(), request.signature(),
                http.localAddress() == null ? -1 : http.localAddress().port());
        if (previous != null && !previous.isBlank()) {
            // The session this browser held (another wallet's, or this one's before) ends: one browser, one session,
            // and a token copied from it earlier no longer works.
            siwe.signOut(previous);
        }
        long maxAge = Math.max(0, Duration.between(Instant.now(), in.session().expiresAt()).getSeconds());
        // Secure when the request came over TLS, or when the dashboard's public address is https (TLS ended at a
        // proxy that does not say so would otherwise send the session over plain HTTP next time).
        boolean secure = "https".equals(uri.getBaseUri().getScheme())
                || config.publicUrl().map(u -> "https".equalsIgnoreCase(u.getScheme())).orElse(false);
        int age = (int) Math.min(Integer.MAX_VALUE, maxAge);
        NewCookie cookie = new NewCookie.Builder(COOKIE).value(in.token()).path("/").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.STRICT).maxAge(age).build();
        // Beside the session, readable by the page and carrying nothing secret: that this browser has a session, so
        // that a visitor who has none is not asked about it (a 401 in every visitor's console on every page).
        NewCookie marker = new NewCookie.Builder(SIGNED_IN).value("1").path("/").secure(secure)
                .sameSite(NewCookie.SameSite.STRICT).maxAge(age).build();
        return Response.ok(new SessionView(in.session().address(), in.session().expiresAt(), in.session().contributorId(),
                in.linkedWallet().orElse(null), in.walletClaim().orElse(null),
                auth.maintainerWallet(in.session().address()))).cookie(cookie, marker).build();
    }

    @GET
    @Path("/session")
    @Access(Access.Role.CONTRIBUTOR)
    @Operation(summary = "Who is signed in")
    @APIResponse(responseCode = "200", description = "The session's wallet and contributor")
    @APIResponse(responseCode = "401", description = "Not signed in")
    public SessionView session(@CookieParam(COOKIE) String token) {
        SiweService.Session s = siwe.require(token);
        return new SessionView(s.address(), s.expiresAt(), s.contributorId(), null, null,
                auth.maintainerWallet(s.address()));
    }

    @DELETE
    @Path("/session")
    @Operation(summary = "Sign out")
    @APIResponse(responseCode = "204", description = "Signed out")
    public Response signOut(@CookieParam(COOKIE) String token) {
        siwe.signOut(token);
        return Response.noContent().cookie(new NewCookie.Builder(COOKIE).value("").path("/").maxAge(0).build(),
                new NewCookie.Builder(SIGNED_IN).value("").path("/").maxAge(0).build()).build();
    }
}
