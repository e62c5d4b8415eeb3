package dev.merit.web;

import dev.merit.contributor.Contributor;
import dev.merit.contributor.SiweMessage;
import dev.merit.contributor.Wallets;
import dev.merit.governance.chain.AnvilNode;
import dev.merit.problem.ProblemException;
import dev.merit.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

/** Sign-In with Ethereum: every server-side check, the session cookie, replay, and self-service wallet links. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
public class SiweTest {

    private static final Credentials WALLET = Credentials.create("0x" + "11".repeat(32)); // a throwaway test key
    private static final Credentials OTHER = Credentials.create("0x" + "22".repeat(32));

    @TestHTTPResource("/")
    URL base;

    @Inject
    Wallets wallets;

    @Inject
    dev.merit.contributor.WalletClaims claims;

    private String host() {
        return base.getHost() + ":" + base.getPort();
    }

    public static String message(String domain, String address, String uri, long chainId, String nonce, Instant issued,
                          Instant expires, String resource) {
        StringBuilder m = new StringBuilder();
        m.append(domain).append(" wants you to sign in with your Ethereum account:\n").append(address).append("\n\n")
                .append("Sign in to Merit.\n\n")
                .append("URI: ").append(uri).append('\n')
                .append("Version: 1\n")
                .append("Chain ID: ").append(chainId).append('\n')
                .append("Nonce: ").append(nonce).append('\n')
                .append("Issued At: ").append(issued).append('\n');
        if (expires != null) {
            m.append("Expiration Time: ").append(expires).append('\n');
        }
        if (resource != null) {
            m.append("Resources:\n- ").append(resource).append('\n');
        }
        return m.toString().stripTrailing();
    }

    public static String sign(String message, Credentials who) {
        Sign.SignatureData s = Sign.signPrefixedMessage(message.getBytes(StandardCharsets.UTF_8), who.getEcKeyPair());
        byte[] out = new byte[65];
        System.arraycopy(s.getR(), 0, out, 0, 32);
        System.arraycopy(s.getS(), 0, out, 32, 32);
        out[64] = s.getV()[0];
        return Numeric.toHexString(out);
    }

    private String nonce() {
        return given().post("/api/auth/nonce").then().statusCode(200).extract().jsonPath().getString("nonce");
    }

    private String valid(String nonce, Credentials who, String resource) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return message(host(), Keys.toChecksumAddress(who.getAddress()), "http://" + host(), AnvilNode.CHAIN_ID, nonce,
                now, now.plusSeconds(600), resource);
    }

    private Response signIn(String message, String signature) {
        return given().contentType(ContentType.JSON).body(Map.of("message", message, "signature", signature))
                .post("/api/auth/siwe");
    }

    @Test
    void aSignedMessageOpensASessionOnceAndItsReplayIsRefused() {
        String message = valid(nonce(), WALLET, null);
        Response in = signIn(message, sign(message, WALLET));
        in.then().statusCode(200).body("address", equalTo(Keys.toChecksumAddress(WALLET.getAddress())));
        String cookie = in.getCookie("merit_session");
        assertThat(cookie).hasSize(64);
        assertThat(in.getDetailedCookie("merit_session").isHttpOnly()).isTrue();
        // Beside it, a cookie the page reads to know it has a session to ask about: nothing secret, not HttpOnly.
        assertThat(in.getCookie("merit_signed_in")).isEqualTo("1");
        assertThat(in.getDetailedCookie("merit_signed_in").isHttpOnly()).isFalse();
        assertThat(in.getDetailedCookie("merit_signed_in").getMaxAge())
                .isEqualTo(in.getDetailedCookie("merit_session").getMaxAge());
        given().cookie("merit_session", cookie).get("/api/auth/session").then().statusCode(200)
                .body("address", equalTo(Keys.toChecksumAddress(WALLET.getAddress())));

        signIn(message, sign(message, WALLET)).then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("/problems/replayed"));

        Response out = given().cookie("merit_session", cookie).delete("/api/auth/session");
        out.then().statusCode(204);
        assertThat(out.getDetailedCookie("merit_signed_in").getMaxAge()).isZero();
        given().cookie("merit_session", cookie).get("/api/auth/session").then().statusCode(401)
                .contentType("application/problem+json").body("type", equalTo("/problems/not-signed-in"));
    }

    @Test
    void everyCheckRefusesWithItsReason() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String address = Keys.toChecksumAddress(WALLET.getAddress());
        Map<String, String> cases = Map.of(
                "wrong-domain", message("evil.example", address, "https://evil.example", AnvilNode.CHAIN_ID, nonce(), now,
                        now.plusSeconds(600), null),
                "wrong-chain", message(host(), address, "http://" + host(), 1, nonce(), now, now.plusSeconds(600), null),
                "expired", message(host(), address, "http://" + host(), AnvilNode.CHAIN_ID, nonce(), now.minusSeconds(900),
                        now.minusSeconds(300), null),
                "no-expiry", message(host(), address, "http://" + host(), AnvilNode.CHAIN_ID, nonce(), now, null, null),
                "not-yet-valid", message(host(), address, "http://" + host(), AnvilNode.CHAIN_ID, nonce(),
                        now.plusSeconds(3600), now.plusSeconds(7200), null),
                "unknown-nonce", message(host(), address, "http://" + host(), AnvilNode.CHAIN_ID, "neverIssued123", now,
                        now.plusSeconds(600), null));
        cases.forEach((type, message) -> signIn(message, sign(message, WALLET)).then().statusCode(401)
                .contentType("application/problem+json").body("type", equalTo("/problems/" + type)));
        // A look-alike name is another site: "localhoſt" (a long s, which equalsIgnoreCase takes for an s).
        String lookalike = message(host().replace("s", "\u017f"), address, "http://" + host(), AnvilNode.CHAIN_ID,
                nonce(), now, now.plusSeconds(600), null);
        signIn(lookalike, sign(lookalike, WALLET)).then().statusCode(401)
                .body("type", equalTo("/problems/wrong-domain"));

        String message = valid(nonce(), WALLET, null);
        signIn(message, sign(message, OTHER)).then().statusCode(401).body("type", equalTo("/problems/bad-signature"));
        signIn(message, "0x1234").then().statusCode(400).contentType("application/problem+json");
        signIn(message, "0x" + "00".repeat(65)).then().statusCode(401).body("type", equalTo("/problems/bad-signature"))
                .body("detail", org.hamcrest.Matchers.startsWith("The signature is not a valid signature of this message"));
        signIn("hello, sign me", sign("hello, sign me", WALLET)).then().statusCode(400)
                .body("type", equalTo("/problems/siwe-malformed"));
        // A refused signature does not spend the nonce: the right signature still signs in.
        signIn(message, sign(message, WALLET)).then().statusCode(200);
    }

    /** Claims made at once of one wallet for one contributor are one claim, one code (twenty sign-ins made three). */
    @Test
    void claimsMadeAtOnceAreOne() throws Exception {
        long cam = contributor("Cam Siwe");
        String wallet = Credentials.create("0x" + "c3".repeat(32)).getAddress(); // a throwaway test key's address
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(20);
        try {
            java.util.List<java.util.concurrent.Future<String>> codes = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                codes.add(pool.submit(() -> claims.claim(cam, wallet).orElseThrow().code()));
            }
            java.util.Set<String> distinct = new java.util.HashSet<>();
            for (var c : codes) {
                distinct.add(c.get());
            }
            assertThat(distinct).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSignedMessageClaimsAWalletButNeverLinksOrReplacesOneByItself() {
        long ada = contributor("Ada Siwe");
        long bob = contributor("Bob Siwe");
        // A signature proves the wallet, not the person: it opens a claim to prove (WalletProofTest), nothing is linked.
        String message = valid(nonce(), WALLET, "urn:merit:contributor:" + ada);
        signIn(message, sign(message, WALLET)).then().statusCode(200)
                .body("linkedWallet", org.hamcrest.Matchers.nullValue())
                .body("walletClaim.contributorId", equalTo((int) ada))
                .body("walletClaim.address", equalTo(Keys.toChecksumAddress(WALLET.getAddress())));
        assertThat(wallets.of(ada)).isEmpty();
        // Once a maintainer has linked it, signing in with it reports it linked and the session is Ada's.
        wallets.link(ada, WALLET.getAddress());
        String again = valid(nonce(), WALLET, "urn:merit:contributor:" + ada);
        signIn(again, sign(again, WALLET)).then().statusCode(200)
                .body("linkedWallet", equalTo(Keys.toChecksumAddress(WALLET.getAddress())))
                .body("walletClaim", org.hamcrest.Matchers.nullValue())
                .body("contributorId", equalTo((int) ada));

        // Another wallet cannot take Ada's payouts; the same wallet cannot be Bob's too.
        String takeover = valid(nonce(), OTHER, "urn:merit:contributor:" + ada);
        signIn(takeover, sign(takeover, OTHER)).then().statusCode(409).contentType("application/problem+json");
        assertThat(wallets.of(ada)).contains(Keys.toChecksumAddress(WALLET.getAddress()));
        String twice = valid(nonce(), WALLET, "urn:merit:contributor:" + bob);
        signIn(twice, sign(twice, WALLET)).then().statusCode(409);
        assertThat(wallets.of(bob)).isEmpty();
        // The refused link spent nothing: no session was opened and the nonce is still good for a plain sign-in.
        String plain = twice.replace("\nResources:\n- urn:merit:contributor:" + bob, "");
        signIn(plain, sign(plain, WALLET)).then().statusCode(200).body("contributorId", equalTo((int) ada));
    }

    @Test
    void aCallThroughAProxyOnThisMachineIsNotTrustedAsLocal() {
        // Without a maintainer token, calls from this machine may write; the same call forwarded by a proxy here
        // (nginx on the host, a mesh sidecar) may come from anywhere and is refused.
        given().contentType(ContentType.JSON).body("{}").post("/api/epochs").then().statusCode(400);
        // Via is the header HTTP asks every proxy to add; the others, those of common proxies and CDNs.
        for (String header : new String[]{"X-Forwarded-For", "Forwarded", "X-Real-IP", "Via", "X-Forwarded-Proto",
                "CF-Connecting-IP", "True-Client-IP", "X-Client-IP"}) {
            given().contentType(ContentType.JSON).header(header, "203.0.113.7").body("{}").post("/api/epochs").then()
                    .statusCode(401).contentType("application/problem+json")
                    .body("detail", org.hamcrest.Matchers.containsString("through a proxy"));
        }
        // Reading stays open to everyone.
        given().header("X-Forwarded-For", "203.0.113.7").get("/api/epochs").then().statusCode(200);
    }

    @Test
    void theParserFollowsEip4361() {
        String text = "example.com:8080 wants you to sign in with your Ethereum account:\n"
                + "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2\n\n\nURI: https://example.com:8080/login\nVersion: 1\n"
                + "Chain ID: 1\nNonce: 32891756ab\nIssued At: 2021-09-30T16:25:24Z\nResources:\n- ipfs://x\n- https://y";
        SiweMessage m = SiweMessage.parse(text);
        assertThat(m.domain()).isEqualTo("example.com:8080");
        assertThat(m.statement()).isNull();
        assertThat(m.chainId()).isEqualTo(1);
        assertThat(m.resources()).containsExactly("ipfs://x", "https://y");
        assertThatThrownBy(() -> SiweMessage.parse(text.replace("Version: 1", "Version: 2")))
                .isInstanceOf(ProblemException.class).hasMessageContaining("Version must be 1");
        assertThatThrownBy(() -> SiweMessage.parse(text.replace("Nonce: 32891756ab", "Nonce: x")))
                .hasMessageContaining("Nonce");
        assertThatThrownBy(() -> SiweMessage.parse(text.replace("Chain ID: 1\nNonce: 32891756ab", "Nonce: 32891756ab\nChain ID: 1")))
                .hasMessageContaining("out of order");
        // A number is written in ASCII digits, once: not "+1", "01" or Arabic-Indic digits (all of them 1 to Java).
        for (String chain : List.of("+1", "01", "\u0661", "1 ", "99999999999999999999")) {
            assertThatThrownBy(() -> SiweMessage.parse(text.replace("Chain ID: 1", "Chain ID: " + chain)))
                    .hasMessageContaining("Chain ID must be a number in digits 0-9");
        }
        // What the wallet shows is what is signed: no NUL, direction override or zero-width character on any line.
        String stated = text.replace("\n\n\nURI", "\n\nSign in to Merit.\n\nURI");
        assertThat(SiweMessage.parse(stated).statement()).isEqualTo("Sign in to Merit.");
        for (String hidden : List.of("\u0000", "\u202e", "\u200b", "\r")) {
            assertThatThrownBy(() -> SiweMessage.parse(stated.replace("Sign in", "Sign" + hidden + " in")))
                    .hasMessageContaining("line 4 holds a control or invisible character");
        }
        assertThatThrownBy(() -> SiweMessage.parse(text.replace("example.com:8080 wants",
                "exa\u200bmple.com:8080 wants")))
                .hasMessageContaining("line 1 holds");
        assertThatThrownBy(() -> SiweMessage.parse(text.replace("- https://y", "- urn:merit:contributor:+7"))
                .contributorToLink())
                .hasMessageContaining("must be a number in digits 0-9");
    }

    @Transactional
    long contributor(String name) {
        Contributor c = new Contributor();
        c.displayName = name;
        c.normalizedName = name.toLowerCase() + "-" + System.nanoTime();
        c.createdAt = Instant.now();
        c.persist();
        return c.id;
    }

    @Inject
    dev.merit.security.Sessions sessions;

    /** Signing in again from a browser ends the session it held: one browser, one session. */
    @Test
    void signingInAgainEndsTheSessionTheBrowserHeld() {
        String first = valid(nonce(), WALLET, null);
        String before = signIn(first, sign(first, WALLET)).then().statusCode(200).extract().cookie("merit_session");
        String second = valid(nonce(), WALLET, null);
        String after = given().cookie("merit_session", before).contentType(ContentType.JSON)
                .body(Map.of("message", second, "signature", sign(second, WALLET))).post("/api/auth/siwe")
                .then().statusCode(200).extract().cookie("merit_session");
        assertThat(after).isNotEqualTo(before);
        given().cookie("merit_session", before).get("/api/auth/session").then().statusCode(401);
        given().cookie("merit_session", after).get("/api/auth/session").then().statusCode(200);
        // A sign-in that fails ends nothing.
        given().cookie("merit_session", after).contentType(ContentType.JSON)
                .body(Map.of("message", second, "signature", sign(second, WALLET))).post("/api/auth/siwe")
                .then().statusCode(409);
        given().cookie("merit_session", after).get("/api/auth/session").then().statusCode(200);
    }

    /** Sessions past their end are deleted when the next sign-in starts, not kept for good. */
    @Test
    void endedSessionsAreDeletedWhenTheNextSignInStarts() {
        String token = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() ->
                sessions.open("0x" + "ab".repeat(20), Instant.now().minusSeconds(60)));
        assertThat(token).isNotBlank();
        assertThat(endedSessions()).isPositive();
        given().post("/api/auth/nonce").then().statusCode(200);
        assertThat(endedSessions()).isZero();
    }

    private static long endedSessions() {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> ((Number) io.quarkus.hibernate.orm
                .panache.Panache.getEntityManager().createNativeQuery("select count(*) from web_session where "
                        + "expires_at < ?1").setParameter(1, Instant.now()).getSingleResult()).longValue());
    }
}
