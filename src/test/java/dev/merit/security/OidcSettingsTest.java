package dev.merit.security;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * OIDC is on only with the provider's keys, its issuer and Merit's audience: without an audience, a token the provider
 * issued to another of its applications, carrying the maintainers' role, would make its bearer a maintainer here.
 */
class OidcSettingsTest {

    private static AuthConfig.Oidc oidc(String audience) {
        return new AuthConfig.Oidc() {
            public Optional<String> jwksUrl() {
                return Optional.of("https://idp.example/certs");
            }

            public Optional<String> publicKey() {
                return Optional.empty();
            }

            public Optional<String> issuer() {
                return Optional.of("https://idp.example");
            }

            public Optional<String> audience() {
                return Optional.ofNullable(audience);
            }

            public String groupsPath() {
                return "groups";
            }

            public String maintainerGroup() {
                return "merit-maintainers";
            }
        };
    }

    @Test
    void oidcWithoutAnAudienceRefusesToStartAndSaysWhatIsMissing() {
        assertThatThrownBy(() -> AccessFilter.oidcParser(oidc(null))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("merit.auth.oidc.audience is required");
        assertThat(AccessFilter.oidcParser(oidc("merit"))).isPresent();
    }
}
