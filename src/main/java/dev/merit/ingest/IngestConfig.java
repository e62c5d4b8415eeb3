package dev.merit.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;

/** Ingestion settings ({@code merit.ingest.*}). */
@ConfigMapping(prefix = "merit.ingest")
public interface IngestConfig {

    /** Where repositories registered by URL are cloned; defaults to {@code ${merit.data-dir}/repos}. */
    Optional<String> cloneDir();

    /** Threads that compute diffs; 0 means one per available core. */
    @WithDefault("0")
    int diffThreads();

    /**
     * Names or e-mail fragments that mark an account as a bot (besides any "[bot]" suffix, and a name ending in the
     * word "bot" or "robot" with "bot" in its e-mail too). Coding agents that sign commits as co-authors count: Claude Code
     * (noreply@anthropic.com), Cursor's agent (cursoragent@cursor.com), GitHub Copilot's two accounts (its coding agent
     * and the one its suggestions and Autofix commit as).
     */
    @WithDefault("dependabot,renovate,github-actions,greenkeeper,snyk-bot,pre-commit-ci,mergify,allcontributors,"
            + "semantic-release-bot,imgbot,codecov,web-flow,transifex,weblate,crowdin,copilot-swe-agent,"
            + "noreply@anthropic.com,cursoragent@cursor.com,198982749+copilot@users.noreply.github.com,"
            + "175728472+copilot@users.noreply.github.com")
    List<String> botMarkers();

    /** Files larger than this are not diffed line by line (counted as binary would be). */
    @WithDefault("50000000")
    int maxDiffBytes();
}
