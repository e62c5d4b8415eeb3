package dev.merit.contributor;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

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

    /**
     * Which accounts count as bots for work Merit has not ingested yet (a CI preview): an account Merit knows (by
     * e-mail or login) counts as its contributor is stored, a maintainer's mark included, as an epoch will count it;
     * an account it has not met yet, as today's rule reads it. One test per request: it remembers what it looked up.
     */
    public Predicate<ActorRef> botsAsStored() {
        IdentityResolution lookup = newResolution();
        Map<ActorRef, Boolean> seen = new HashMap<>();
        return actor -> actor != null && seen.computeIfAbsent(actor, a -> lookup.existing(a)
                .flatMap(id -> Contributor.<Contributor>findByIdOptional(id)).map(c -> c.bot)
                .orElseGet(() -> isBot(a)));
    }

    public IdentityResolution newResolution() {
        return new IdentityResolution(botRule);
    }
}
