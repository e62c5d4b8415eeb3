package dev.merit.contributor;

import dev.merit.ingest.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** Entry point to identity resolution: one {@link IdentityResolution} per ingest transaction. */
@ApplicationScoped
public class ContributorDirectory {

    private final BotRule botRule;

    public ContributorDirectory(IngestConfig config) {
        this.botRule = new BotRule(config.botMarkers());
    }

    public IdentityResolution newResolution() {
        return new IdentityResolution(botRule);
    }
}
