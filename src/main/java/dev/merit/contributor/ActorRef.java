package dev.merit.contributor;

/**
 * Who did something, as the source saw it. {@code canonicalName}/{@code canonicalEmail} are what the
 * source itself maps the actor to (git's .mailmap), or null.
 */
public record ActorRef(String name, String email, String login, String canonicalName, String canonicalEmail) {

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
