package dev.merit.contributor;

import dev.merit.audit.StoredText;

/**
 * Who did something, as the source saw it. {@code canonicalName}/{@code canonicalEmail} are what the
 * source itself maps the actor to (git's .mailmap), or null. {@code asserted}: the source names the actor by an
 * e-mail and a login without a forge's word that they are one person's (a Kafka publisher): the work is credited to
 * whom either names, and neither is linked to the other (a publisher could otherwise give someone's login to another
 * person's address, and with it their later work).
 */
public record ActorRef(String name, String email, String login, String canonicalName, String canonicalEmail,
                       String accountId, boolean asserted) {

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
        this(name, email, login, canonicalName, canonicalEmail, null, false);
    }

    /** With a forge's account id for the login. */
    public ActorRef(String name, String email, String login, String canonicalName, String canonicalEmail,
                    String accountId) {
        this(name, email, login, canonicalName, canonicalEmail, accountId, false);
    }

    /** As a publisher names an actor ({@code asserted}). */
    public static ActorRef asserted(String name, String email, String login) {
        return new ActorRef(name, email, login, null, null, null, true);
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
