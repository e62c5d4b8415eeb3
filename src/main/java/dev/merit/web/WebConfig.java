package dev.merit.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** The dashboard and its sign-in. */
@ConfigMapping(prefix = "merit.web")
public interface WebConfig {

    /**
     * The domain (host[:port]) Sign-In with Ethereum messages must name. When absent, the Host the browser used to
     * reach Merit; set it behind a proxy that rewrites Host.
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
}
