package dev.merit.contributor;

import dev.merit.contributor.ActorRef;

import java.time.Instant;
import java.util.HashMap;
import dev.merit.audit.StoredText;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves actors to contributors for one ingest, inside its transaction. Rules, in order:
 * the source's canonical e-mail (git .mailmap), the raw e-mail, a forge login (also read from GitHub
 * noreply addresses), then the same full name; otherwise a new contributor. Every link is stored as an
 * identity with the rule that made it, so merges can be audited and undone.
 */
public final class IdentityResolution {

    private static final Pattern GITHUB_NOREPLY =
            Pattern.compile("^(?:(\\d{1,20})\\+)?([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\[bot])?)"
                    + "@users\\.noreply\\.github\\.com$");

    private final BotRule botRule;
    private final Map<String, Long> byActor = new HashMap<>();
    private final Map<String, Long> byHandle = new HashMap<>();
    private int created;

    IdentityResolution(BotRule botRule) {
        this.botRule = botRule;
    }

    /** Contributors this session created. */
    public int created() {
        return created;
    }

    public Long resolve(ActorRef actor) {
        String cacheKey = actor.name() + "\u0000" + actor.email() + "\u0000" + actor.login() + "\u0000"
                + actor.canonicalName() + "\u0000" + actor.canonicalEmail() + "\u0000" + actor.accountId() + "\u0000"
                + actor.asserted();
        Long cached = byActor.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        Long id = resolveUncached(actor);
        byActor.put(cacheKey, id);
        return id;
    }

    private Long resolveUncached(ActorRef actor) {
        String rawEmail = normalizeEmail(actor.email());
        String email = normalizeEmail(actor.effectiveEmail());
        // A login is GitHub's unless the source names its forge ("gitlab:alice", "jira:5b10a2844c20165700ede21g").
        String login = actor.login() == null ? noreplyLogin(email) : loginHandle(actor.login());
        // GitHub's noreply address names its account's id too ("12345+ada@users.noreply.github.com").
        String accountId = actor.accountId() != null ? actor.accountId()
                : actor.login() == null ? noreplyAccount(email) : null;
        Long account = null;
        if (login != null && accountId != null) {
            // A forge account is its id: credited where it was met before under any login (it was renamed), and never
            // where its login is another account's (a renamed account's old login, taken by someone else).
            account = byAccount(login, accountId).orElse(null);
            String holder = account != null ? null : Identity.<Identity>find("kind = ?1 and handle = ?2",
                    Identity.Kind.FORGE_LOGIN, login).firstResultOptional().map(i -> i.accountId).orElse(null);
            if (holder != null && !holder.equals(accountId)) {
                login = StoredText.key(login + "#" + accountId, 320);
            }
        }
        String name = actor.effectiveName() == null ? "" : actor.effectiveName().strip();
        boolean bot = botRule.isBot(name, email) || botRule.isBot(actor.name(), rawEmail);

        Long id = account != null ? account : known(email, rawEmail, login).orElse(null);
        if (actor.asserted() && id != null) {
            return id; // credited to whom the publisher names; no address or login joins them on its word
        }
        if (actor.asserted() && email != null) {
            login = null; // a new address: the login, if any, is not linked to it on a publisher's word
        }
        Identity.LinkedBy nameLink = Identity.LinkedBy.COMMIT;
        if (id == null && !bot && !actor.asserted()) { // a publisher's name for someone joins no one's identities
            String normalized = normalizeName(name);
            if (normalized != null) {
                // Never a contributor merged into another: its name would take credit away from the merged one.
                id = Contributor.<Contributor>find("normalizedName = ?1 and bot = false and id not in (select m.fromId "
                                + "from ContributorMerge m where m.unmergedAt is null) order by id", normalized)
                        .firstResultOptional().map(c -> c.id).orElse(null);
                nameLink = Identity.LinkedBy.SAME_NAME;
            }
        }
        if (id == null) {
            // Met through a commit (an e-mail), a person's full name links their other e-mails later. Met through a
            // forge or tracker account alone, it does not: that name was typed into a profile by whoever holds the
            // account, and later commits under it would join that account, which could then prove claims to their pay
            // (a newcomer's name taken first). Such a pair is listed as a merge suggestion for a maintainer instead.
            // Named by an address (no author name, or an address for one), the name is the address shortened: a
            // name is shown to anyone, an address only to maintainers (the identity keeps it whole).
            id = create(name.isEmpty() ? (email != null ? Identity.shortenedEmail(email) : "unknown")
                    : Identity.looksLikeEmail(name) ? Identity.shortenedEmail(name) : name, bot,
                    email != null && !actor.asserted()); // a publisher's name for someone draws no later commits in
            nameLink = Identity.LinkedBy.COMMIT;
        }
        link(id, Identity.Kind.GIT_EMAIL, email, nameLink);
        if (rawEmail != null && !rawEmail.equals(email)) {
            link(id, Identity.Kind.GIT_EMAIL, rawEmail, Identity.LinkedBy.MAILMAP);
        }
        // A login that joined a contributor only because its display name matched says so: such a login proves nothing
        // about who the contributor is (WalletClaims), since anyone can open a forge account under someone's name.
        link(id, Identity.Kind.FORGE_LOGIN, login, nameLink == Identity.LinkedBy.SAME_NAME ? Identity.LinkedBy.SAME_NAME
                : actor.login() != null ? Identity.LinkedBy.COMMIT : Identity.LinkedBy.NOREPLY_EMAIL);
        if (login != null && accountId != null) {
            bindAccount(login, accountId);
        }
        return id;
    }

    /**
     * The contributor an account already is by its e-mail or login (never by its name alone), creating and linking
     * nothing: for a preview of work not ingested yet.
     */
    public Optional<Long> existing(ActorRef actor) {
        String email = normalizeEmail(actor.effectiveEmail());
        return known(email, normalizeEmail(actor.email()),
                actor.login() == null ? noreplyLogin(email) : loginHandle(actor.login()));
    }

    private Optional<Long> known(String email, String rawEmail, String login) {
        return find(Identity.Kind.GIT_EMAIL, email)
                .or(() -> find(Identity.Kind.GIT_EMAIL, rawEmail))
                .or(() -> find(Identity.Kind.FORGE_LOGIN, login));
    }

    /** A source's login as an identity handle: GitHub's unless the source names its forge ("gitlab:alice"). */
    public static String loginHandle(String login) {
        return StoredText.key(login.contains(":") ? login.toLowerCase(Locale.ROOT)
                : "github:" + login.toLowerCase(Locale.ROOT), 320); // identity.handle holds 320
    }

    /** The contributor a forge account ({@code login}'s forge, its id) was met as before, under any login. */
    private Optional<Long> byAccount(String login, String accountId) {
        return Identity.forgeAccount(login, accountId).map(i -> i.contributorId);
    }

    /**
     * Records the forge's id of the account behind {@code login} the first time a source names it. Never changed
     * after: an account that later posts under the same login with another id is someone else (WalletClaims).
     */
    private void bindAccount(String login, String accountId) {
        Identity.<Identity>find("kind = ?1 and handle = ?2 and accountId is null", Identity.Kind.FORGE_LOGIN, login)
                .firstResultOptional().ifPresent(i -> i.accountId = accountId);
    }

    private Optional<Long> find(Identity.Kind kind, String handle) {
        if (handle == null) {
            return Optional.empty();
        }
        String key = kind + ":" + handle;
        Long cached = byHandle.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Long> found = Identity.<Identity>find("kind = ?1 and handle = ?2", kind, handle)
                .firstResultOptional().map(i -> i.contributorId);
        found.ifPresent(id -> byHandle.put(key, id));
        return found;
    }

    private void link(Long contributorId, Identity.Kind kind, String handle, Identity.LinkedBy linkedBy) {
        if (handle == null || find(kind, handle).isPresent()) {
            return;
        }
        Identity.of(contributorId, kind, handle, linkedBy).persist();
        byHandle.put(kind + ":" + handle, contributorId);
    }

    private Long create(String displayName, boolean bot, boolean fromCommit) {
        Contributor contributor = new Contributor();
        contributor.displayName = StoredText.fit(displayName, 255);
        contributor.normalizedName = bot || !fromCommit ? null : normalizeName(displayName);
        contributor.bot = bot;
        contributor.createdAt = Instant.now();
        contributor.persist();
        created++;
        return contributor.id;
    }

    /** An e-mail as identities store it: stripped, lower case, a long one keyed (StoredText.key); null for none. */
    public static String normalizeEmail(String email) {
        if (email == null) {
            return null;
        }
        String e = email.strip().toLowerCase(Locale.ROOT);
        return e.isEmpty() ? null : StoredText.key(e, 320); // identity.handle holds 320
    }

    /** The account id a GitHub noreply address names ("12345" of "12345+ada@users.noreply.github.com"), or null. */
    static String noreplyAccount(String email) {
        Matcher m = email == null ? null : GITHUB_NOREPLY.matcher(email);
        return m != null && m.matches() ? m.group(1) : null;
    }

    static String noreplyLogin(String email) {
        if (email == null) {
            return null;
        }
        Matcher m = GITHUB_NOREPLY.matcher(email);
        return m.matches() ? "github:" + m.group(2) : null;
    }

    /**
     * The name later commits join contributor {@code c} by: a person's full name, once Merit met them through a commit
     * (an e-mail of theirs); null for a bot, and for a contributor known only by forge or tracker accounts.
     */
    public static String joinName(Contributor c) {
        return c.bot || Identity.count("contributorId = ?1 and kind = ?2", c.id, Identity.Kind.GIT_EMAIL) == 0 ? null
                : normalizeName(c.displayName);
    }

    /**
     * A name that identifies a person well enough to merge e-mails: at least two words, letters
     * included. "root", "admin" or a single handle never merge.
     */
    static String normalizeName(String name) {
        if (name == null) {
            return null;
        }
        String n = name.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        if (n.length() < 5 || n.indexOf(' ') < 0 || n.chars().noneMatch(Character::isLetter)) {
            return null;
        }
        return StoredText.key(n, 255); // contributor.normalized_name holds 255
    }
}
