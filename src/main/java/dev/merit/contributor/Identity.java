package dev.merit.contributor;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** One way a contributor shows up in a source: a git e-mail, a forge login, a wallet address. */
@Entity
@Table(name = "contributor_identity")
public class Identity extends PanacheEntityBase {

    public enum Kind { GIT_EMAIL, FORGE_LOGIN, WALLET }

    /** Why this identity belongs to its contributor, for the audit trail of identity merges. */
    /**
     * SIWE: a wallet linked on a signed message alone (before wallet claims had to be proven; kept for those rows).
     * FORGE_PROOF: a wallet whose claim code the contributor's forge account posted.
     */
    public enum LinkedBy { COMMIT, MAILMAP, NOREPLY_EMAIL, SAME_NAME, MANUAL, SIWE, FORGE_PROOF }

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "contributor_identity_seq")
    @SequenceGenerator(name = "contributor_identity_seq", sequenceName = "contributor_identity_seq", allocationSize = 50)
    public Long id;

    @Column(name = "contributor_id", nullable = false)
    public Long contributorId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Kind kind;

    /** Normalised: e-mails lower-cased, logins as "forge:login", wallets lower-case 0x-hex. */
    @Column(nullable = false)
    public String handle;

    @Enumerated(EnumType.STRING)
    @Column(name = "linked_by", nullable = false)
    public LinkedBy linkedBy;

    /** A forge login's account id (GitHub's, GitLab's user.id), first seen; null until a webhook names it. */
    @Column(name = "account_id")
    public String accountId;

    /**
     * An e-mail address as readers other than maintainers see it: its first character and its domain
     * ("a…@example.org"). Whole, a public directory would hand every contributor's address to anyone who pages
     * through it (a spammer, or a reader of a DAO of private repositories); shortened, a person still knows their own,
     * and a search by the whole address still finds them.
     */
    public static String shortenedEmail(String email) {
        int at = email.lastIndexOf('@');
        if (at <= 0) {
            return "…";
        }
        return email.substring(0, Character.charCount(email.codePointAt(0))) + "…" + email.substring(at);
    }

    /**
     * Whether {@code login} can be an account's login (a username, a Jira account id): not blank, with no space,
     * control or invisible character (a direction override, a zero-width space) and no half of a character. Two
     * logins never become one ("a\u0000b" stored as "ab" was the account "ab", every blank login one contributor),
     * and none is shown looking like another.
     */
    public static boolean wellFormedLogin(String login) {
        return login != null && !login.isBlank() && login.codePoints().noneMatch(c -> Character.isWhitespace(c)
                || Character.isSpaceChar(c) || dev.merit.audit.RecordedText.unseen(c));
    }

    private static final java.util.regex.Pattern EMAIL =
            java.util.regex.Pattern.compile("[^\\s@]+@[^\\s@]+\\.[^\\s@]+");

    /** Whether {@code text} reads as an e-mail address (one @, no spaces, a dot in the domain): not a person's name. */
    public static boolean looksLikeEmail(String text) {
        return EMAIL.matcher(text.strip()).matches();
    }

    private static final java.util.regex.Pattern EMAIL_IN_TEXT =
            java.util.regex.Pattern.compile("[^\\s@()<>,;:'\"]+@[^\\s@()<>,;:'\"]+\\.[^\\s@()<>,;:'\"]*"
                    + "[^\\s@()<>,;:'\".]");

    /**
     * {@code text} with every e-mail address in it shortened ({@link #shortenedEmail}): who decided, as a record names
     * them ("signed in as alice@dao.example (https://idp...)", a "by" a maintainer typed), for readers other than
     * maintainers. Null stays null.
     */
    public static String shortenEmailsIn(String text) {
        return text == null || text.indexOf('@') < 0 ? text
                : EMAIL_IN_TEXT.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                shortenedEmail(m.group())));
    }

    /** This identity's handle as shown to a reader: whole ({@code whole}), or with an e-mail address shortened. */
    public String shown(boolean whole) {
        return shown(kind, handle, whole);
    }

    /** A handle of {@code kind} as shown to a reader: whole ({@code whole}), or shortened if it is an address. */
    public static String shown(Kind kind, String handle, boolean whole) {
        return whole || kind != Kind.GIT_EMAIL ? handle : shortenedEmail(handle);
    }

    /** A text naming who decided, as shown to a reader: whole ({@code whole}), or with its addresses shortened. */
    public static String shownIn(String text, boolean whole) {
        return whole ? text : shortenEmailsIn(text);
    }

    /**
     * The login identity of a forge account ({@code login}'s forge, "github:" or "gitlab:", and the forge's id of the
     * account), under whichever login Merit met it first: an account renamed is still that one.
     */
    public static java.util.Optional<Identity> forgeAccount(String login, String accountId) {
        String forge = login.substring(0, login.indexOf(':') + 1);
        return Identity.<Identity>find("kind = ?1 and accountId = ?2 and handle like ?3 order by id", Kind.FORGE_LOGIN,
                accountId, forge + "%").firstResultOptional();
    }

    public static Identity of(Long contributorId, Kind kind, String handle, LinkedBy linkedBy) {
        Identity identity = new Identity();
        identity.contributorId = contributorId;
        identity.kind = kind;
        identity.handle = handle;
        identity.linkedBy = linkedBy;
        return identity;
    }
}
