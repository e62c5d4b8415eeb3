package dev.merit.security;

import dev.merit.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Credentials of machines that call Merit: CI jobs' bearer token. (Forges sign each delivery with their own secret,
 * which their webhook endpoint checks over the raw body.) Read from the keys the CI hook documents, {@code
 * merit.ci.token}; the rate of source deliveries per client address is {@code merit.webhooks.per-minute}.
 */
@ApplicationScoped
public class SourceCredentials {

    private final Optional<String> ciToken;
    private final int sourcesPerMinute;

    public SourceCredentials(@ConfigProperty(name = "merit.ci.token") Optional<String> ciToken,
                             @ConfigProperty(name = "merit.webhooks.per-minute", defaultValue = "1200") int sourcesPerMinute) {
        this.ciToken = ciToken;
        this.sourcesPerMinute = sourcesPerMinute;
    }

    public int sourcesPerMinute() {
        return sourcesPerMinute;
    }

    /** Checks a CI job's {@code Authorization: Bearer <merit.ci.token>}; refuses with the reason. */
    public void authorizeCi(String authorization) {
        String token = ciToken.filter(t -> !t.isBlank()).orElseThrow(() -> new ProblemException(ProblemException.Kind.UNAVAILABLE,
                "ci-hook-not-configured", "CI hook is off", "Set merit.ci.token (MERIT_CI_TOKEN) and give CI jobs the "
                + "same value as 'Authorization: Bearer <token>'.", null));
        String given = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : null;
        if (given == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8))) {
            throw new ProblemException(ProblemException.Kind.NOT_SIGNED_IN, "bad-token", "Not authorised", given == null
                    ? "Send 'Authorization: Bearer <merit.ci.token>'." : "The bearer token is not Merit's CI token.", null);
        }
    }
}
