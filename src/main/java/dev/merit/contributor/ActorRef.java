package dev.merit.contributor;

import dev.merit.audit.StoredText;

/**
 * Who did something, as the source saw it. {@code canonicalName}/{@code canonicalEmail} are what the
 * source itself maps the actor to (git's .mailmap), or null.
 */
public record ActorRef(String name, String email, String login, String canonicalName, String canonicalEmail,
                       String accountId) {

    /** Without NUL characters, which no database column can hold (lengths are fitted where each is stored). */
    public ActorRef {
        name = StoredText.clean(name);
        email = StoredText.clean(email);
        login = StoredText.clean(login);
        canonicalName = StoredText.clean(canonicalName);
        canonicalEmail = StoredText.clean(canonicalEmail);
        accountId = StoredText.fit(accountId, 64); // contributor_identity.account_id
    }

    /** Without a forge account id (git, Jira, Kafka): {@code accountId} is a forge's own id of the login's account. */
    public ActorRef(String name, String email, String login, String canonicalName, String canonicalEmail) {
        this(name, email, login, canonicalName, canonicalEmail, null);
    }

    public static ActorRef of(String name, String email) {
        return new ActorRef(name, email, null, null, null);
    }

    public String effectiveName() {
        return canonicalName != null && !canonicalName.isBlank() ? canonicalName : name;
    }

    public String effectiveEmail() {
        return canonicalEmail != null && !canonicalEmail.isBlank() ? canonicalEmail : email;
    }
}
