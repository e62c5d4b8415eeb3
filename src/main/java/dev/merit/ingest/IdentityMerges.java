package dev.merit.ingest;

import dev.merit.audit.RecordedText;

import dev.merit.security.MaintainerCall;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.contributor.Contributor;
import dev.merit.contributor.ContributorMerge;
import dev.merit.contributor.Identity;
import dev.merit.contributor.IdentityLookup;
import dev.merit.contributor.Wallets;
import dev.merit.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One person known as two contributors (a forge login and a plain e-mail, say), made one by a maintainer: the
 * merged-away contributor's identities, the contributions it is the actor of and its credits move to the contributor
 * merged into, so scoring runs from then on credit one person. The merge records every row it moved and an unmerge
 * puts them back exactly. What was computed before is left as it is: scoring runs and their scores, payout proposals
 * and their lines (they verify from their stored inputs), disputes and wallet claims keep the contributor they named;
 * a payout line of the merged-away contributor is paid to the wallet of the one it was merged into.
 * <p>
 * Suggestions of pairs that may be one person are only shown, never applied: the same name, or the e-mail of a GitLab
 * account's profile (its webhook events carry it) that authored commits as another contributor. Neither proves
 * anything (anyone can type a name or an e-mail into a profile); the maintainer checks and decides.
 */
@ApplicationScoped
public class IdentityMerges {

    private static final int MAX_REASON = 2000;
    private static final int PAGE = 1000;

    public record Side(long id, String name) {
    }

    public record MergeView(long id, Side into, Side from, String mergedBy,
                            @Schema(description = "How Merit knew a maintainer merged (see the bot marks' "
                                    + "markedVia); absent before Merit kept it") String mergedVia,
                            Instant mergedAt, String reason, boolean standing, String unmergedBy,
                            @Schema(description = "How Merit knew a maintainer undid it") String unmergedVia,
                            Instant unmergedAt, List<String> identities,
                            int actorOf, int credited, String note) {
    }

    public record Suggestion(Side into, Side from, List<String> reasons, String blocker, String command) {
    }

    private final EntityManager em;
    private final Wallets wallets;
    private final ObjectMapper json;
    private final MergeCredits credits;

    public IdentityMerges(EntityManager em, Wallets wallets, ObjectMapper json) {
        this.em = em;
        this.wallets = wallets;
        this.json = json;
        this.credits = new MergeCredits(em);
    }

    /**
     * Merges contributor {@code from} into {@code into} (each an id, login, e-mail or wallet). Refused (409): the same
     * contributor, one already merged away, a bot and a person, or two contributors with different wallets.
     */
    @Transactional
    public MergeView merge(String into, String from, String by, String reason) {
        long a = exactly("into", into);
        long b = exactly("from", from);
        if (a == b) {
            throw ProblemException.conflict("'" + into + "' and '" + from + "' are both contributor " + a
                    + ": a contributor cannot be merged into itself.");
        }
        // Locked in id order, so merges of overlapping pairs wait for each other instead of deadlocking.
        lock(Math.min(a, b));
        lock(Math.max(a, b));
        Contributor ca = em.find(Contributor.class, a);
        Contributor cb = em.find(Contributor.class, b);
        Optional<ContributorMerge> intoAway = ContributorMerge.awayOf(a);
        if (intoAway.isPresent()) {
            throw ProblemException.conflict(who(ca) + " was merged into " + who(intoAway.get().intoId) + " (merge "
                    + intoAway.get().id + "): merge into " + intoAway.get().intoId + " instead.");
        }
        Optional<ContributorMerge> fromAway = ContributorMerge.awayOf(b);
        if (fromAway.isPresent()) {
            throw ProblemException.conflict(who(cb) + " is already merged into " + who(fromAway.get().intoId)
                    + " (merge " + fromAway.get().id + ").");
        }
        if (ca.bot != cb.bot) {
            Contributor bot = ca.bot ? ca : cb;
            Contributor person = ca.bot ? cb : ca;
            throw ProblemException.conflict(who(bot) + " is a bot and " + who(person) + " a person: a bot's work is "
                    + "paid by each epoch's policy, a person's always, so they are not merged.");
        }
        Optional<String> wa = wallets.of(a);
        Optional<String> wb = wallets.of(b);
        if (wa.isPresent() && wb.isPresent() && !wa.get().equalsIgnoreCase(wb.get())) {
            throw ProblemException.conflict(who(ca) + " has wallet " + wa.get() + " and " + who(cb) + " has wallet "
                    + wb.get() + ": which one gets the payouts is the person's to say. Link the right one to "
                    + a + " (merit wallet " + a + " ADDRESS --replace), remove the other (merit wallet " + b
                    + " --unlink), then merge.");
        }
        ContributorMerge m = new ContributorMerge();
        m.intoId = a;
        m.fromId = b;
        m.mergedBy = RecordedText.name("by", by, MaintainerCall.nameOr("maintainer"));
        m.mergedVia = MaintainerCall.proof();
        m.reason = RecordedText.prose("reason", reason, MAX_REASON, null);
        m.mergedAt = Instant.now();
        m.persist();
        em.flush();
        long id = m.id;
        update("insert into contributor_merge_identity (merge_id, identity_id) select ?1, id from contributor_identity "
                + "where contributor_id = ?2", id, b);
        update("update contributor_identity set contributor_id = ?1 where contributor_id = ?2", a, b);
        update("insert into contributor_merge_actor (merge_id, contribution_id) select ?1, id from contribution "
                + "where actor_id = ?2", id, b);
        update("update contribution set actor_id = ?1 where actor_id = ?2", a, b);
        update("insert into contributor_merge_credit (merge_id, contribution_id, position, contributor_id, role) "
                + "select ?1, cc.contribution_id, cc.position, cc.contributor_id, cc.role from contribution_credit cc "
                + "where cc.contribution_id in (select contribution_id from contribution_credit where contributor_id = ?2)",
                id, b);
        update("update contribution_credit set contributor_id = ?1 where contributor_id = ?2", a, b);
        // A contribution that credited both (an author and their own co-author trailer) credits the person once.
        List<?> twice = em.createNativeQuery("select contribution_id from contribution_credit where contributor_id = ?1 "
                        + "and contribution_id in (select contribution_id from contributor_merge_credit where merge_id = ?2) "
                        + "group by contribution_id having count(*) > 1")
                .setParameter(1, a).setParameter(2, id).getResultList();
        for (Object contribution : twice) {
            credits.creditOnce(((Number) contribution).longValue());
        }
        em.clear();
        return view(ContributorMerge.findById(id), true);
    }

    /**
     * The contributions an unmerge of merge ?1 (into ?3) rebuilds besides those it recorded: credited to ?3 now, with
     * an author e-mail or a Co-authored-by trailer naming one of the e-mails the merge moved.
     */
    private static final String REBUILT = "select c.id from contribution c where c.id in (select contribution_id from "
            + "contribution_credit where contributor_id = ?3) and exists (select 1 from contributor_identity i where "
            + "i.kind = 'GIT_EMAIL' and i.id in (select identity_id from contributor_merge_identity where merge_id = ?1) "
            + "and (lower(c.actor_email) = i.handle or position(i.handle in lower(c.body)) > 0))";

    /**
     * Undoes a merge: the identities, actors and credits it moved go back as they were. Refused (409) while a later
     * merge that stands changed the same contributor or contributions (undo that one first). Those include the work
     * ingested while this merge stood whose credits are rebuilt below ({@link #REBUILT}): a later merge that recorded
     * them would, undone afterwards, put back the credits from before that rebuild.
     */
    @Transactional
    public MergeView unmerge(long mergeId, String by) {
        ContributorMerge m = ContributorMerge.<ContributorMerge>findByIdOptional(mergeId)
                .orElseThrow(() -> ProblemException.notFound("merge", mergeId));
        lock(Math.min(m.intoId, m.fromId));
        lock(Math.max(m.intoId, m.fromId));
        em.refresh(m);
        if (!m.standing()) {
            throw ProblemException.conflict("Merge " + mergeId + " was undone at " + dev.merit.problem.Moments.of(m.unmergedAt) + " by " + m.unmergedBy
                    + ".");
        }
        List<?> later = em.createNativeQuery("select distinct n.id from contributor_merge n where n.unmerged_at is null "
                        + "and n.id <> ?1 and (n.merged_at > ?2 or (n.merged_at = ?2 and n.id > ?1)) and (n.into_id = ?3 "
                        + "or n.from_id = ?3 or exists (select 1 from contributor_merge_credit nc where nc.merge_id = n.id "
                        + "and (nc.contribution_id in (select contribution_id from contributor_merge_credit where merge_id = ?1) "
                        + "or nc.contribution_id in (" + REBUILT + ")))) "
                        + "order by n.id")
                .setParameter(1, mergeId).setParameter(2, m.mergedAt).setParameter(3, m.intoId).getResultList();
        if (!later.isEmpty()) {
            throw ProblemException.conflict("Merge " + mergeId + " (" + who(m.fromId) + " into " + who(m.intoId)
                    + ") is followed by merge " + later.stream().map(String::valueOf).reduce((x, y) -> x + ", " + y)
                    .orElseThrow() + ", which changed the same contributor or contributions: undo "
                    + (later.size() == 1 ? "it" : "them, latest first,") + " before this one.");
        }
        m.unmergedBy = RecordedText.name("by", by, MaintainerCall.nameOr("maintainer"));
        m.unmergedVia = MaintainerCall.proof();
        m.unmergedAt = Instant.now();
        em.flush();
        long a = m.intoId;
        long b = m.fromId;
        update("update contributor_identity set contributor_id = ?1 where contributor_id = ?2 and id in (select "
                + "identity_id from contributor_merge_identity where merge_id = ?3)", b, a, mergeId);
        update("update contribution set actor_id = ?1 where actor_id = ?2 and id in (select contribution_id from "
                + "contributor_merge_actor where merge_id = ?3)", b, a, mergeId);
        update("delete from contribution_credit where contribution_id in (select contribution_id from "
                + "contributor_merge_credit where merge_id = ?1)", mergeId);
        update("insert into contribution_credit (contribution_id, position, contributor_id, role) select "
                + "contribution_id, position, contributor_id, role from contributor_merge_credit where merge_id = ?1", mergeId);
        // Work ingested while the merge stood was credited to the merged-into contributor through the moved identities:
        // a contribution whose author's e-mail is again the other contributor's goes back to them with its author
        // credit (the merge did not record these rows; it did not exist when it was made).
        String movedBack = "select c.id from contribution c where c.actor_id = ?1 and c.actor_email is not null and "
                + "lower(c.actor_email) in (select i.handle from contributor_identity i where i.contributor_id = ?2 and "
                + "i.kind = 'GIT_EMAIL') and c.id not in (select contribution_id from contributor_merge_actor where merge_id = ?3)";
        update("update contribution_credit set contributor_id = ?2 where position = 0 and contributor_id = ?1 and "
                + "contribution_id in (" + movedBack + ")", a, b, mergeId);
        update("update contribution set actor_id = ?2 where id in (" + movedBack + ")", a, b, mergeId);
        credits.coAuthorsBack(a, b, mergeId);
        em.clear();
        return view(ContributorMerge.findById(mergeId), true);
    }

    /** Every merge, newest first; the e-mail addresses each moved whole ({@code wholeEmails}) or shortened. */
    @Transactional
    public List<MergeView> list(boolean wholeEmails) {
        return ContributorMerge.<ContributorMerge>list("order by mergedAt desc, id desc").stream()
                .map(m -> view(m, wholeEmails)).toList();
    }

    @Transactional
    public MergeView get(long id, boolean wholeEmails) {
        return view(ContributorMerge.<ContributorMerge>findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("merge", id)), wholeEmails);
    }

    /**
     * Pairs that may be one person, for a maintainer to check: the same name (written with other case, accents or
     * punctuation), or a GitLab account whose events carry an e-mail that authored commits as another contributor.
     * Pairs a maintainer unmerged before are not suggested again.
     */
    @Transactional
    public List<Suggestion> suggestions() {
        Set<Long> away = new HashSet<>();
        Set<String> declined = new HashSet<>();
        for (ContributorMerge m : ContributorMerge.<ContributorMerge>listAll()) {
            if (m.standing()) {
                away.add(m.fromId);
            } else {
                declined.add(pairKey(m.intoId, m.fromId));
            }
        }
        Map<String, Suggestion> found = new LinkedHashMap<>();
        Map<String, List<Contributor>> byName = new TreeMap<>();
        for (Contributor c : Contributor.<Contributor>list("order by id")) {
            String key = nameKey(c.displayName);
            if (!away.contains(c.id) && key != null && !c.bot) { // bots are not paid: nothing to merge them for
                byName.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
            }
        }
        for (List<Contributor> same : byName.values()) {
            String first = same.size() > 1 ? known(same.get(0)) : null; // read once for the whole group
            for (int i = 1; i < same.size(); i++) {
                suggest(found, declined, same.get(0), same.get(i), "the same name: " + first + " and "
                        + known(same.get(i)));
            }
        }
        for (LoginEmails.Pair p : LoginEmails.pairs(em)) {
            Contributor login = Contributor.findById(ContributorMerge.current(p.loginContributor()));
            Contributor commits = Contributor.findById(ContributorMerge.current(p.emailContributor()));
            if (!login.id.equals(commits.id) && !login.bot && !commits.bot) {
                suggest(found, declined, login, commits, "the login " + p.login() + " is the name of the e-mail "
                        + p.email() + ", which authored commits as " + who(commits));
            }
        }
        Map<String, Optional<Long>> authors = new HashMap<>();
        Set<String> seen = new HashSet<>();
        long after = 0;
        while (true) {
            List<?> rows = em.createNativeQuery("select id, actor_id, raw from contribution where source = 'gitlab' and "
                            + "raw like '%\"email\"%' and id > ?1 order by id")
                    .setParameter(1, after).setMaxResults(PAGE).getResultList();
            for (Object row : rows) {
                Object[] r = (Object[]) row;
                after = ((Number) r[0]).longValue();
                long actor = ContributorMerge.current(((Number) r[1]).longValue());
                String email = gitlabEmail((String) r[2]);
                if (email == null || !seen.add(actor + " " + email)) {
                    continue;
                }
                Optional<Long> author = authors.computeIfAbsent(email, e -> Identity.<Identity>find("kind = ?1 and "
                        + "handle = ?2", Identity.Kind.GIT_EMAIL, e).firstResultOptional().map(i -> i.contributorId));
                if (author.isPresent() && author.get() != actor) {
                    Contributor login = Contributor.findById(actor);
                    Contributor commits = Contributor.findById(author.get());
                    String account = Identity.<Identity>find("contributorId = ?1 and kind = ?2 and handle like 'gitlab:%' "
                            + "order by id", actor, Identity.Kind.FORGE_LOGIN).firstResultOptional()
                            .map(i -> i.handle).orElse("a GitLab account");
                    suggest(found, declined, login, commits, account + "'s GitLab events carry the e-mail " + email
                            + ", which authored commits as " + who(commits));
                }
            }
            if (rows.size() < PAGE) {
                break;
            }
        }
        return List.copyOf(found.values());
    }

    /** How a maintainer tells two of one name apart: the name, and up to two of the e-mails and logins it goes by. */
    private static String known(Contributor c) {
        List<String> as = Identity.<Identity>find("contributorId = ?1 and kind <> ?2 order by kind, id", c.id,
                Identity.Kind.WALLET).page(0, 3).list().stream().map(i -> i.handle).toList();
        return "'" + c.displayName + "'" + (as.isEmpty() ? "" : " (" + String.join(", ", as.subList(0, Math.min(2,
                as.size()))) + (as.size() > 2 ? ", ..." : "") + ")");
    }

    private void suggest(Map<String, Suggestion> found, Set<String> declined, Contributor into, Contributor from,
                         String reason) {
        String key = pairKey(into.id, from.id);
        if (declined.contains(key)) {
            return;
        }
        Suggestion known = found.get(key);
        if (known != null) {
            List<String> reasons = new ArrayList<>(known.reasons());
            reasons.add(reason);
            found.put(key, new Suggestion(known.into(), known.from(), reasons, known.blocker(), known.command()));
            return;
        }
        String blocker = null;
        if (into.bot != from.bot) {
            blocker = "a bot and a person are not merged";
        } else {
            Optional<String> wa = wallets.of(into.id);
            Optional<String> wb = wallets.of(from.id);
            if (wa.isPresent() && wb.isPresent() && !wa.get().equalsIgnoreCase(wb.get())) {
                blocker = "both have wallets (" + wa.get() + ", " + wb.get() + "): keep one first";
            }
        }
        found.put(key, new Suggestion(new Side(into.id, into.displayName), new Side(from.id, from.displayName),
                List.of(reason), blocker, "merit contributors merge " + into.id + " " + from.id));
    }

    /** The e-mail a GitLab contribution's raw record says its account has, lower-cased; null without one. */
    private String gitlabEmail(String raw) {
        try {
            String email = json.readTree(raw).path("user").path("email").asText("").strip().toLowerCase(Locale.ROOT);
            return email.indexOf('@') > 0 ? email : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /**
     * The name a same-name suggestion compares: without accents, case or punctuation. A name of two words or more
     * counts from 5 characters; a single word only when it reads as a handle (a digit or a capital inside it, as in
     * "ThomasKrieger" or "vishalup29", which people often commit under from two e-mails) of 6 characters or more,
     * and is not one machines share ({@link #GENERIC}): two strangers called "Michael" are not suggested. These are
     * suggestions a maintainer confirms, never merges.
     */
    static String nameKey(String name) {
        if (name == null) {
            return null;
        }
        String key = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}+", "")
                .toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
        if (key.length() < 5 || key.chars().noneMatch(Character::isLetter)) {
            return null;
        }
        if (key.indexOf(' ') < 0 && (key.length() < 6 || GENERIC.contains(key) || !handle(name.strip()))) {
            return null;
        }
        return key;
    }

    /** A single word with a digit, or a capital after its first letter: a chosen handle, not a first name. */
    private static boolean handle(String word) {
        return word.chars().anyMatch(Character::isDigit) || word.chars().skip(1).anyMatch(Character::isUpperCase);
    }

    /** Single-word names that machines and strangers share: never a reason to think two accounts are one person. */
    private static final Set<String> GENERIC = Set.of("unknown", "ubuntu", "runner", "github", "gitlab", "jenkins",
            "developer", "localhost", "builder", "buildbot", "deploy", "travis", "vagrant", "docker", "support",
            "noreply", "nobody", "anonymous", "default", "system", "service", "administrator");

    private static String pairKey(long x, long y) {
        return Math.min(x, y) + "-" + Math.max(x, y);
    }

    private MergeView view(ContributorMerge m, boolean wholeEmails) {
        List<String> identities = new ArrayList<>();
        for (Object row : em.createNativeQuery("select kind, handle from contributor_identity where id in (select "
                + "identity_id from contributor_merge_identity where merge_id = ?1) order by id").setParameter(1, m.id)
                .getResultList()) {
            Object[] r = (Object[]) row;
            identities.add(((String) r[0]).toLowerCase(Locale.ROOT).replace('_', ' ') + " "
                    + Identity.shown(Identity.Kind.valueOf((String) r[0]), (String) r[1], wholeEmails));
        }
        int recorded = count("select count(*) from contributor_merge_identity where merge_id = ?1", m.id);
        int actors = count("select count(*) from contributor_merge_actor where merge_id = ?1", m.id);
        int credited = count("select count(distinct contribution_id) from contributor_merge_credit where merge_id = ?1", m.id);
        String note = recorded == identities.size() ? null : (recorded - identities.size())
                + " of the identities it moved no longer exist (a wallet replaced since?)";
        return new MergeView(m.id, side(m.intoId), side(m.fromId), Identity.shownIn(m.mergedBy, wholeEmails),
                Identity.shownIn(m.mergedVia, wholeEmails), m.mergedAt, m.reason, m.standing(),
                Identity.shownIn(m.unmergedBy, wholeEmails), Identity.shownIn(m.unmergedVia, wholeEmails), m.unmergedAt,
                identities, actors, credited, note);
    }

    private static Side side(long id) {
        return new Side(id, Contributor.<Contributor>findByIdOptional(id).map(c -> c.displayName).orElse(null));
    }

    private long exactly(String field, String text) {
        if (text == null || text.isBlank()) {
            throw ProblemException.invalid("'" + field + "' names a contributor: an id (#12), a login (github:ada), an "
                    + "e-mail or a wallet address.");
        }
        IdentityLookup.Match match = IdentityLookup.exactly(text);
        return switch (match.outcome()) {
            case FOUND -> match.contributorId();
            case UNKNOWN -> throw match.unknown();
            default -> throw ProblemException.invalid("'" + field + "': " + match.detail() + ".");
        };
    }

    private Contributor lock(long id) {
        Contributor c = em.find(Contributor.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (c == null) {
            throw ProblemException.notFound("contributor", id);
        }
        return c;
    }

    private static String who(Contributor c) {
        return "contributor " + c.id + " (" + c.displayName + ")";
    }

    private static String who(long id) {
        return Contributor.<Contributor>findByIdOptional(id).map(IdentityMerges::who).orElse("contributor " + id);
    }

    private int update(String sql, Object... parameters) {
        return NativeSql.update(em, sql, parameters);
    }

    private int count(String sql, long id) {
        return ((Number) em.createNativeQuery(sql).setParameter(1, id).getSingleResult()).intValue();
    }
}
