package dev.merit.web;

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
}
