package dev.merit.contributor;

import dev.merit.audit.Signatures;
import java.net.URI;
import dev.merit.security.ChainIdentity;
import dev.merit.security.Sessions;
import dev.merit.security.SiteOrigin;
import dev.merit.problem.ProblemException;
import dev.merit.security.WebConfig;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.SignatureException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Sign-In with Ethereum (EIP-4361): single-use nonces, the server-side checks of a signed message (domain, chain,
 * nonce, issue/expiry times, signature), sessions, and wallet links a signed message asks for.
 */
@ApplicationScoped
public class SiweService {

    /** A message resource {@code urn:merit:contributor:<id>} asks to link the signing wallet to that contributor. */
    public static final String CONTRIBUTOR_RESOURCE = "urn:merit:contributor:";

    /** A sign-in nonce, and the domain (host[:port]) the signed message must name: Merit's own, never the caller's. */
    public record Nonce(String nonce, Instant expiresAt, String domain) {
    }

    public record Session(String address, Instant expiresAt, Long contributorId) {
    }

    /** A sign-in: its session, the wallet it is linked to when asked and already so, or the claim it opened. */
    public record SignIn(String token, Session session, Optional<String> linkedWallet,
                         Optional<WalletClaims.Claim> walletClaim) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHANUMERIC = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

    private final WebConfig config;
    private final ChainIdentity chain;
    private final Wallets wallets;
    private final WalletClaims claims;
    private final Clock clock;

    private final SiteOrigin site;
    private final Sessions sessions;

    public SiweService(WebConfig config, ChainIdentity chain, Wallets wallets, WalletClaims claims, SiteOrigin site,
                       Sessions sessions) {
        this.config = config;
        this.site = site;
        this.sessions = sessions;
        this.chain = chain;
        this.wallets = wallets;
        this.claims = claims;
        this.clock = Clock.systemUTC();
    }

    /**
     * The domain sign-in messages must name: merit.web.siwe-domain, else the host of merit.web.public-url, else
     * localhost:PORT (what Merit prints at start). Never the request's Host, which a DNS-rebinding page chooses.
     */
    public String domain(int localPort) {
        return config.siweDomain().orElseGet(() -> site.authority(localPort));
    }

    @Transactional
    public Nonce nonce(int localPort) {
        Instant now = clock.instant();
        var em = Panache.getEntityManager();
        em.createNativeQuery("delete from siwe_nonce where expires_at < ?1").setParameter(1, now.minus(Duration.ofDays(1)))
                .executeUpdate();
        // Sessions past their end are kept by nothing (a lookup ignores them): gone with the nonces, so signing in
        // again and again does not grow the table for good.
        em.createNativeQuery("delete from web_session where expires_at < ?1").setParameter(1, now).executeUpdate();
        char[] chars = new char[24];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ALPHANUMERIC[RANDOM.nextInt(ALPHANUMERIC.length)];
        }
        Nonce nonce = new Nonce(new String(chars), now.plus(Duration.ofMinutes(config.nonceMinutes())), domain(localPort));
        em.createNativeQuery("insert into siwe_nonce (nonce, created_at, expires_at) values (?1, ?2, ?3)")
                .setParameter(1, nonce.nonce()).setParameter(2, now).setParameter(3, nonce.expiresAt()).executeUpdate();
        return nonce;
    }

    /**
     * The same name in ASCII letters, of either case. Not {@code equalsIgnoreCase}: it takes "localhoſt" (a long s),
     * "merıt" (a dotless i) and a Kelvin sign for ASCII letters, so a look-alike site's message would sign in here.
     */
    static boolean asciiSame(String a, String b) {
        return a != null && b != null && a.chars().allMatch(c -> c < 128) && b.chars().allMatch(c -> c < 128)
                && a.equalsIgnoreCase(b);
    }

    /**
     * Checks a signed message and opens a session for its address; links the wallet when the message asks to. The
     * nonce is spent in the same transaction: a replayed message is refused, and a refused link leaves the nonce
     * unspent and no session.
     */
    @Transactional
    public SignIn signIn(String text, String signatureHex, int localPort) {
        SiweMessage m = SiweMessage.parse(text);
        String domain = domain(localPort);
        if (!asciiSame(domain, m.domain())) {
            throw refused("wrong-domain", "The message is for " + m.domain() + ", but this is " + domain
                    + ". A message signed for another site cannot sign in here.");
        }
        if (!asciiSame(uriHost(m.uri()), m.domain())) {
            throw refused("wrong-domain", "The message's URI " + m.uri() + " is not on " + m.domain() + ".");
        }
        if (m.chainId() != chain.chainId()) {
            throw refused("wrong-chain", "The message is for chain " + m.chainId() + "; this DAO is on chain "
                    + chain.chainId() + ". Switch the wallet's network and sign again.");
        }
        Instant now = clock.instant();
        Duration skew = Duration.ofSeconds(config.clockSkewSeconds());
        if (m.issuedAt().isAfter(now.plus(skew))) {
            throw refused("not-yet-valid", "The message is issued at " + m.issuedAt() + ", in the future; check the clock.");
        }
        if (m.expirationTime() == null) {
            throw refused("no-expiry", "The message has no Expiration Time; sign-in messages must expire.");
        }
        if (!m.expirationTime().isAfter(now)) {
            throw refused("expired", "The message expired at " + m.expirationTime() + "; sign in again.");
        }
        if (m.notBefore() != null && m.notBefore().isAfter(now.plus(skew))) {
            throw refused("not-yet-valid", "The message is not valid before " + m.notBefore() + ".");
        }
        String signer = signer(text, signatureHex);
        if (signer == null) {
            throw refused("bad-signature", "The signature is not a valid signature of this message by any account. "
                    + "Sign the message with the account it names (" + m.address() + ").");
        }
        if (!asciiSame(signer, m.address())) {
            throw refused("bad-signature", "The signature is by " + signer + ", not by " + m.address()
                    + ". Sign the message with the account it names.");
        }
        var em = Panache.getEntityManager();
        String address = Keys.toChecksumAddress(m.address());
        int spent = em.createNativeQuery("update siwe_nonce set used_at = ?1, used_by = ?2 where nonce = ?3 and "
                        + "used_at is null and expires_at > ?1")
                .setParameter(1, now).setParameter(2, address.toLowerCase(Locale.ROOT)).setParameter(3, m.nonce())
                .executeUpdate();
        if (spent != 1) {
            List<?> known = em.createNativeQuery("select used_at from siwe_nonce where nonce = ?1")
                    .setParameter(1, m.nonce()).getResultList();
            if (known.isEmpty()) {
                throw refused("unknown-nonce", "Nonce " + m.nonce() + " was not issued by this server; ask for a new one.");
            }
            if (known.get(0) != null) {
                throw new ProblemException(ProblemException.Kind.CONFLICT, "replayed", "Message already used", "This signed message has "
                        + "already been used to sign in. Each sign-in needs a new nonce and a new signature.", null);
            }
            throw refused("expired", "Nonce " + m.nonce() + " expired before it was used; sign in again.");
        }
        Optional<String> linked = Optional.empty();
        Optional<WalletClaims.Claim> claim = Optional.empty();
        Optional<Long> link = m.contributorToLink();
        if (link.isPresent()) {
            // The signature proves who holds the wallet, not who the contributor is: a claim to prove, unless linked.
            claim = claims.claim(link.get(), address);
            if (claim.isEmpty()) {
                linked = Optional.of(Keys.toChecksumAddress(address));
            }
        }
        Long contributorId = wallets.owner(address).orElse(null);
        Instant expires = now.plus(Duration.ofHours(config.sessionHours()));
        if (m.expirationTime().isBefore(expires)) {
            expires = m.expirationTime();
        }
        String token = sessions.open(address, expires);
        return new SignIn(token, new Session(address, expires, contributorId), linked, claim);
    }

    /** The live session a cookie token opens, if any, with the contributor its wallet is linked to. */
    public Optional<Session> session(String token) {
        return sessions.find(token).map(s -> new Session(s.address(), s.expiresAt(), wallets.owner(s.address()).orElse(null)));
    }

    /** The live session of a cookie token, or 401 problem+json saying to sign in. */
    public Session require(String token) {
        return session(token).orElseThrow(() -> new ProblemException(ProblemException.Kind.NOT_SIGNED_IN, "not-signed-in",
                "Not signed in", "No live session: sign in with your wallet.", null));
    }

    public void signOut(String token) {
        sessions.close(token);
    }

    /** The address that signed {@code message} with personal_sign (EIP-191); null when no key signed it. */
    static String signer(String message, String signatureHex) {
        byte[] sig = Signatures.parse65(signatureHex);
        byte v = sig[64];
        if (v < 27) {
            v += 27;
        }
        Sign.SignatureData data = new Sign.SignatureData(v, Arrays.copyOfRange(sig, 0, 32), Arrays.copyOfRange(sig, 32, 64));
        try {
            BigInteger key = Sign.signedPrefixedMessageToKey(message.getBytes(StandardCharsets.UTF_8), data);
            return "0x" + Keys.getAddress(key);
        } catch (SignatureException | RuntimeException e) {
            return null; // not a point of the curve, or a recovery id web3j refuses
        }
    }

    private static String uriHost(String uri) {
        try {
            URI u = URI.create(uri);
            return u.getPort() < 0 ? String.valueOf(u.getHost()) : u.getHost() + ":" + u.getPort();
        } catch (IllegalArgumentException e) {
            throw refused("siwe-malformed", "URI '" + uri + "' is not a URI.");
        }
    }

    private static ProblemException refused(String type, String detail) {
        return new ProblemException(type.equals("siwe-malformed") ? ProblemException.Kind.INVALID : ProblemException.Kind.NOT_SIGNED_IN, type, "Sign-in refused", detail,
                Map.of());
    }
}
