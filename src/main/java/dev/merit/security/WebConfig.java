package dev.merit.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/** The dashboard, its origin and its sign-in. */
@ConfigMapping(prefix = "merit.web")
public interface WebConfig {

    /** The address people reach Merit at (https://merit.example.org); absent: http://localhost:PORT. */
    Optional<URI> publicUrl();

    /** More origins (scheme://host[:port]) whose pages may change state, e.g. a separate dashboard's. */
    Optional<List<String>> allowedOrigins();

    /** More Host names (host or host:port) that name this machine for calls trusted from loopback. */
    Optional<List<String>> allowedHosts();

    /**
     * The domain (host[:port]) Sign-In with Ethereum messages must name. When absent, the host of
     * {@link #publicUrl()}, else localhost:PORT: never the Host a request names.
     */
    Optional<String> siweDomain();

    /** How long a sign-in nonce may wait for its signature. */
    @WithDefault("10")
    int nonceMinutes();

    /** How long a session lasts (shortened to the signed message's expiration time when that comes first). */
    @WithDefault("8")
    int sessionHours();

    /** Tolerated clock difference between the wallet's "Issued At" and the server. */
    @WithDefault("300")
    int clockSkewSeconds();

    /** How long a wallet claim's code ("This is me") may wait to be posted from the contributor's forge account. */
    @WithDefault("72")
    int walletClaimHours();

    /** Sign-in requests (nonces and signed messages) a client address may make a minute; 0 turns the limit off. */
    @WithDefault("60")
    int signInPerMinute();

    /**
     * Contributor searches by an e-mail address a client address may make a minute, when it is not a maintainer's
     * (who reads addresses whole anyway): each answers whether that address is a contributor's. 0 turns the limit off.
     */
    @WithDefault("30")
    int addressSearchesPerMinute();
}
