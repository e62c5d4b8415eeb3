package dev.merit.security;

import dev.merit.audit.CanonicalJson;
import dev.merit.audit.SqlValues;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Signed-in wallets' sessions: a random token in an HttpOnly cookie, stored only as its SHA-256, with an expiry.
 * Who the wallet is, and how it signed in, is the sign-in's business (SiweService); a session only says "this
 * address, until then".
 */
@ApplicationScoped
public class Sessions {

    /** The session cookie's name. */
    public static final String COOKIE = "merit_session";

    /** A live session: the wallet address that signed in, and when the session ends. */
    public record Live(String address, Instant expiresAt) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Clock clock = Clock.systemUTC();

    /** Opens a session for {@code address} until {@code expiresAt} (in the caller's transaction); returns its token. */
    @Transactional(Transactional.TxType.MANDATORY)
    public String open(String address, Instant expiresAt) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = HexFormat.of().formatHex(raw);
        Panache.getEntityManager().createNativeQuery("insert into web_session (token_hash, address, created_at, "
                        + "expires_at) values (?1, ?2, ?3, ?4)")
                .setParameter(1, CanonicalJson.sha256(token)).setParameter(2, address)
                .setParameter(3, clock.instant()).setParameter(4, expiresAt).executeUpdate();
        return token;
    }

    /** The live session a cookie token opens, if any. */
    @Transactional
    public Optional<Live> find(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        List<?> rows = Panache.getEntityManager().createNativeQuery("select address, expires_at from web_session "
                        + "where token_hash = ?1 and expires_at > ?2")
                .setParameter(1, CanonicalJson.sha256(token)).setParameter(2, clock.instant()).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = (Object[]) rows.get(0);
        return Optional.of(new Live((String) row[0], SqlValues.instant(row[1])));
    }

    @Transactional
    public void close(String token) {
        if (token != null) {
            Panache.getEntityManager().createNativeQuery("delete from web_session where token_hash = ?1")
                    .setParameter(1, CanonicalJson.sha256(token)).executeUpdate();
        }
    }
}
