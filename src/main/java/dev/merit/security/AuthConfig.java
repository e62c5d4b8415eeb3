package dev.merit.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** Maintainer access. The token comes from the environment (MERIT_AUTH_MAINTAINER_TOKEN) or a mounted file. */
@ConfigMapping(prefix = "merit.auth")
public interface AuthConfig {

    /** Bearer token maintainers send (Authorization: Bearer ...). */
    Optional<String> maintainerToken();

    /** Or a file holding it (e.g. a mounted Kubernetes secret). */
    Optional<String> maintainerTokenFile();

    /**
     * Without a maintainer token, accept maintainer requests from the local machine only (the embedded default:
     * a developer's own Merit). Requests from anywhere else are refused.
     */
    @WithDefault("true")
    boolean loopbackWithoutToken();

    /**
     * Wallets of maintainers (0x addresses, comma-separated): signed in with Sign-In with Ethereum, they act as
     * maintainers from the dashboard (answer disputes, among the rest) without a bearer token.
     */
    Optional<java.util.List<String>> maintainerWallets();

    /** Whether {@code address} is on the maintainer wallet list (case aside). */
    default boolean maintainerWallet(String address) {
        return address != null && maintainerWallets().orElse(java.util.List.of()).stream()
                .anyMatch(w -> w.strip().equalsIgnoreCase(address));
    }

    /** OIDC bearer tokens (JWT access tokens from the DAO's identity provider) for maintainers. */
    Oidc oidc();

    interface Oidc {
        /** The provider's signing keys: its JWKS URL (e.g. https://idp/realms/dao/protocol/openid-connect/certs). */
        Optional<String> jwksUrl();

        /** Or the keys themselves (PEM public key or JWKS JSON), for providers Merit should not call. */
        Optional<String> publicKey();

        /** The issuer tokens must name (iss). Required when OIDC is on. */
        Optional<String> issuer();

        /** The audience tokens must name (aud): Merit's client id at the identity provider; required with OIDC. */
        Optional<String> audience();

        /** Where the token lists its groups or roles (e.g. realm_access/roles for Keycloak). */
        @WithDefault("groups")
        String groupsPath();

        /** The group or role that makes a token's holder a maintainer. */
        @WithDefault("merit-maintainers")
        String maintainerGroup();
    }
}
