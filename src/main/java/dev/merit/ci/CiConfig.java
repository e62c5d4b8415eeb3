package dev.merit.ci;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** The maintainers' CI hook ({@code merit.ci.*}). */
@ConfigMapping(prefix = "merit.ci")
public interface CiConfig {

    /** Bearer token CI jobs send; without it the hook is off (503). */
    Optional<String> token();

    /** Most commits one change may have. */
    @WithDefault("500")
    int maxCommits();
}
