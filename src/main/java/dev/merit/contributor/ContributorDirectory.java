package dev.merit.contributor;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;

/** Entry point to identity resolution: one {@link IdentityResolution} per ingest transaction. */
@ApplicationScoped
public class ContributorDirectory {

    private final BotRule botRule;

    /** {@code merit.ingest.bot-markers} is documented, with its default, in ingest's configuration (IngestConfig). */
    public ContributorDirectory(@ConfigProperty(name = "merit.ingest.bot-markers") List<String> botMarkers) {
        this.botRule = new BotRule(botMarkers);
    }

    /** Whether an account (a commit's author or a co-author trailer) is a bot or a coding agent. */
    public boolean isBot(ActorRef actor) {
        return actor != null && botRule.isBot(actor.name(), actor.email());
    }

    /** Whether today's rule reads an account with this name and e-mail (or forge login) as a bot. */
    public boolean isBot(String name, String emailOrLogin) {
        return botRule.isBot(name, emailOrLogin);
    }

    public IdentityResolution newResolution() {
        return new IdentityResolution(botRule);
    }
}
