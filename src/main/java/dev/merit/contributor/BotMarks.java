package dev.merit.contributor;

import dev.merit.audit.IdSlices;
import dev.merit.audit.RecordedText;

import dev.merit.security.MaintainerCall;
import dev.merit.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether a contributor is a bot or a person, as a maintainer says. Merit decides when it first meets an account
 * ({@link BotRule}) and never again by itself, so a rule that improves later, or an account it misread ("OpenFeature
 * Bot" counted as a person, a person surnamed Bot counted as a bot), needs a person's decision: a mark. Marks are
 * kept (who, when, why, what the contributor was before) and hold for every scoring run after them; runs and payout
 * proposals made before keep what they computed.
 * <p>
 * {@link #accounts(boolean)} shows a treasurer what to check: every contributor counted as a bot, and the ones today's
 * rule reads otherwise than they are counted, unless a maintainer marked them already.
 */
@ApplicationScoped
public class BotMarks {

    private static final int MAX_REASON = 2000;

    @Schema(description = "A maintainer's mark: what the contributor became, and what it was")
    public record MarkView(long id, long contributorId, String displayName,
                           @Schema(description = "true: marked a bot; false: marked a person") boolean bot,
                           boolean wasBot,
                           @Schema(description = "The name the maintainer gave (default: the signed-in user or "
                                   + "wallet, else 'maintainer')") String markedBy,
                           @Schema(description = "How Merit knew a maintainer made it: 'with the maintainer token', "
                                   + "'signed in as alice (issuer)', 'signed in with the maintainer wallet 0x...', 'from "
                                   + "this machine, without a token', 'on the command line (system user ...)'; absent "
                                   + "for marks recorded before Merit kept it") String markedVia,
                           Instant markedAt, String reason) {
    }

    @Schema(description = "The outcome of a mark. 'changed' is false when the contributor was that already: then a "
            + "mark is recorded only if no maintainer had decided on it before (a confirmation, which takes it off the "
            + "list to review)")
    public record Marked(long contributorId, String displayName, boolean bot, boolean changed,
                         @Schema(description = "The mark recorded; absent when nothing was recorded") MarkView mark,
                         String note) {
    }

    @Schema(description = "A contributor counted as a bot, or one that today's rule reads otherwise than it is counted")
    public record Account(long contributorId, String displayName,
                          @Schema(description = "How Merit counts it now") boolean bot,
                          @Schema(description = "Who decided: 'rule' (when Merit first met the account) or "
                                  + "'maintainer' (a mark)") String decidedBy,
                          @Schema(description = "Why, in words") String why,
                          @Schema(description = "The command that changes it, for a person to check first")
                          String change) {
    }

    @Schema(description = "Bot accounts, accounts to review, and every mark, newest first")
    public record Accounts(List<Account> bots, List<Account> review, List<MarkView> marks) {
    }

    private final EntityManager em;
    private final ContributorDirectory directory;

    public BotMarks(EntityManager em, ContributorDirectory directory) {
        this.em = em;
        this.directory = directory;
    }

    /**
     * Marks the contributor {@code who} names (an id, login, e-mail or wallet) a bot or a person. Refused: a
     * contributor merged into another (mark that one), an unknown one (404).
     */
    @Transactional
    public Marked mark(String who, boolean bot, String by, String reason) {
        if (who == null || who.isBlank()) {
            throw ProblemException.invalid("Name a contributor: an id (#12), a login (github:ada), an e-mail or a "
                    + "wallet address.");
        }
        IdentityLookup.Match match = IdentityLookup.exactly(who);
        long id = switch (match.outcome()) {
            case FOUND -> match.contributorId();
            case UNKNOWN -> throw match.unknown();
            default -> throw ProblemException.invalid(match.detail() + ".");
        };
        return mark(id, bot, by, reason);
    }

    @Transactional
    public Marked mark(long id, boolean bot, String by, String reason) {
        String markedBy = RecordedText.name("by", by, MaintainerCall.nameOr("maintainer"));
        String why = RecordedText.prose("reason", reason, MAX_REASON, null);
        Contributor c = em.find(Contributor.class, id);
        if (c == null) {
            throw ProblemException.notFound("contributor", id);
        }
        // Locked and read again: a lookup by name may have loaded it before, and two marks at once must not both
        // read the same "was".
        em.refresh(c, LockModeType.PESSIMISTIC_WRITE);
        Optional<ContributorMerge> away = ContributorMerge.awayOf(id);
        if (away.isPresent()) {
            long into = away.get().intoId;
            throw ProblemException.conflict(who(c) + " was merged into contributor " + into + " (merge "
                    + away.get().id + "), which is credited with its work: mark " + into + " instead.");
        }
        if (c.bot == bot) {
            if (BotMark.count("contributorId", c.id) > 0) {
                return new Marked(c.id, c.displayName, bot, false, null, c.displayName + " is counted as " + kind(bot)
                        + " already: nothing changed.");
            }
            // Decided by the rule so far: a maintainer who checked and agrees says so on the record, and the account
            // leaves the list to review.
            BotMark m = record(c, bot, markedBy, why);
            return new Marked(c.id, c.displayName, bot, false, view(m, c.displayName), c.displayName + " is counted as "
                    + kind(bot) + " already; recorded as a maintainer's decision, so it is no longer listed to review. "
                    + "Nothing else changed.");
        }
        BotMark m = record(c, bot, markedBy, why);
        c.bot = bot;
        // As when Merit meets an account: a person's full name links their other e-mails (if met through a commit); a
        // bot's name links nothing.
        c.normalizedName = IdentityResolution.joinName(c);
        return new Marked(c.id, c.displayName, bot, true, view(m, c.displayName), "Scoring runs from now on count "
                + c.displayName + " as " + kind(bot) + (bot ? ": paid only in epochs whose policy includes bots, and "
                + "taking no share of a change it is credited on beside a person" : ": paid like everyone")
                + ". Runs and payout proposals made before keep what they computed; score the open epochs again.");
    }

    private static BotMark record(Contributor c, boolean bot, String markedBy, String why) {
        BotMark m = new BotMark();
        m.contributorId = c.id;
        m.bot = bot;
        m.wasBot = c.bot;
        m.markedBy = markedBy;
        m.markedVia = MaintainerCall.proof();
        m.markedAt = Instant.now();
        m.reason = why;
        m.persist();
        return m;
    }

    /** Each contributor's latest mark, for those a maintainer ever marked (one query for a page of contributors). */
    public static Map<Long, MarkView> lastMarks(List<Contributor> contributors) {
        if (contributors.isEmpty()) {
            return Map.of();
        }
        Map<Long, String> names = contributors.stream().collect(Collectors.toMap(c -> c.id, c -> c.displayName,
                (a, b) -> a));
        Map<Long, MarkView> last = new HashMap<>();
        // In slices: each contributor's marks are in one slice, so the last of each is still the last.
        latest(IdSlices.list(names.keySet(), slice -> BotMark.list("contributorId in ?1 order by markedAt, id", slice)))
                .forEach((id, m) -> last.put(id, view(m, names.get(id))));
        return last;
    }

    /** The last of each contributor's marks, from marks listed oldest first. */
    private static Map<Long, BotMark> latest(List<BotMark> oldestFirst) {
        Map<Long, BotMark> last = new HashMap<>();
        oldestFirst.forEach(m -> last.put(m.contributorId, m));
        return last;
    }

    /** Every mark, newest first. */
    @Transactional
    public List<MarkView> marks() {
        List<BotMark> marks = BotMark.list("order by markedAt desc, id desc");
        Map<Long, String> names = names(marks.stream().map(m -> m.contributorId).collect(Collectors.toSet()));
        return marks.stream().map(m -> view(m, names.get(m.contributorId))).toList();
    }

    /**
     * The contributors counted as bots, those today's rule reads otherwise (unmarked ones only), and the marks; e-mail
     * addresses in the reasons whole ({@code wholeEmails}, for a maintainer) or shortened
     * ({@link Identity#shortenedEmail}).
     */
    @Transactional
    public Accounts accounts(boolean wholeEmails) {
        Map<Long, BotMark> lastMark = latest(BotMark.list("order by markedAt, id"));
        Set<Long> away = ContributorMerge.<ContributorMerge>list("unmergedAt is null").stream().map(m -> m.fromId)
                .collect(Collectors.toSet());
        Map<Long, List<Identity>> handles = new HashMap<>();
        for (Identity i : Identity.<Identity>list("kind in ?1 order by id",
                List.of(Identity.Kind.GIT_EMAIL, Identity.Kind.FORGE_LOGIN))) {
            handles.computeIfAbsent(i.contributorId, k -> new ArrayList<>()).add(i);
        }
        List<Account> bots = new ArrayList<>();
        List<Account> review = new ArrayList<>();
        for (Contributor c : Contributor.<Contributor>list("order by id")) {
            if (away.contains(c.id)) {
                continue;
            }
            BotMark mark = lastMark.get(c.id);
            List<Identity> known = handles.getOrDefault(c.id, List.of());
            Optional<String> ruleSays = botReading(c.displayName, known, wholeEmails);
            if (c.bot) {
                bots.add(new Account(c.id, c.displayName, true, mark == null ? "rule" : "maintainer",
                        mark != null ? Identity.shownIn(marked(mark), wholeEmails)
                                : ruleSays.map(r -> "read as a bot when Merit first met it: " + r)
                                .orElse("read as a bot when Merit first met it (today's rule would not)"),
                        command(c.id, false)));
            }
            if (mark == null && c.bot != ruleSays.isPresent()) {
                review.add(new Account(c.id, c.displayName, c.bot, "rule", c.bot
                        ? "counted as a bot, but today's rule reads " + describe(c.displayName, known, wholeEmails)
                        + " as a person"
                        : "counted as a person since Merit first met it, but today's rule reads it as a bot: "
                        + ruleSays.orElseThrow(), command(c.id, !c.bot)));
            }
        }
        List<MarkView> marks = marks();
        return new Accounts(bots, review, wholeEmails ? marks : marks.stream().map(BotMarks::forPublic).toList());
    }

    /** Why today's rule reads the account as a bot (its name with one of its e-mails or logins), if it does. */
    private Optional<String> botReading(String name, List<Identity> handles, boolean wholeEmails) {
        if (directory.isBot(name, null)) {
            return Optional.of("the name '" + name + "'");
        }
        for (Identity i : handles) {
            if (directory.isBot(name, i.handle)) {
                return Optional.of("the name '" + name + "' with " + i.shown(wholeEmails));
            }
        }
        return Optional.empty();
    }

    private static String describe(String name, List<Identity> handles, boolean wholeEmails) {
        return "'" + name + "'" + (handles.isEmpty() ? "" : " (" + String.join(", ", handles.subList(0,
                Math.min(3, handles.size())).stream().map(i -> i.shown(wholeEmails)).toList())
                + (handles.size() > 3 ? ", ..." : "") + ")");
    }

    private static String marked(BotMark m) {
        return "marked a " + (m.bot ? "bot" : "person") + " by " + m.markedBy
                + (m.markedVia == null ? "" : " (" + m.markedVia + ")") + " at " + m.markedAt
                + (m.reason == null ? "" : ": " + m.reason);
    }

    private static String command(long id, boolean bot) {
        return "merit contributors bot " + id + (bot ? " yes" : " no");
    }

    private static String kind(boolean bot) {
        return bot ? "a bot" : "a person";
    }

    private static String who(Contributor c) {
        return "contributor " + c.id + " (" + c.displayName + ")";
    }

    /** This mark as readers other than maintainers see it: e-mail addresses in who made it shortened. */
    public static MarkView forPublic(MarkView m) {
        return m == null ? null : new MarkView(m.id(), m.contributorId(), m.displayName(), m.bot(), m.wasBot(),
                Identity.shortenEmailsIn(m.markedBy()), Identity.shortenEmailsIn(m.markedVia()), m.markedAt(),
                m.reason());
    }

    private static MarkView view(BotMark m, String name) {
        return new MarkView(m.id, m.contributorId, name, m.bot, m.wasBot, m.markedBy, m.markedVia, m.markedAt,
                m.reason);
    }

    private static Map<Long, String> names(Set<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return IdSlices.list(ids, slice -> Contributor.<Contributor>list("id in ?1", slice)).stream()
                .collect(Collectors.toMap(c -> c.id, c -> c.displayName));
    }
}
