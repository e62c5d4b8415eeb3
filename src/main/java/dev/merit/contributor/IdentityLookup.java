package dev.merit.contributor;

import dev.merit.problem.ProblemException;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A contributor named the way a maintainer names one: a contributor id ({@code #12} or {@code 12}), a forge login
 * ({@code github:ada}, {@code gitlab:ada}, or a bare {@code ada} meaning GitHub), a git e-mail, or a wallet address.
 * A contributor merged into another stands for that one (the answer says so).
 */
public final class IdentityLookup {

    public enum Outcome { FOUND, UNKNOWN, AMBIGUOUS, INVALID }

    /** What a name resolved to: the contributor (when found), and in words how or why not. */
    public record Match(Outcome outcome, Long contributorId, String detail) {

        public boolean found() {
            return outcome == Outcome.FOUND;
        }

        /** A 404 problem saying what was looked for: "No contributor has the e-mail ada@home.example." */
        public ProblemException unknown() {
            return new ProblemException(ProblemException.Kind.NOT_FOUND, "not-found", "Not found",
                    Character.toUpperCase(detail.charAt(0)) + detail.substring(1) + ".", Map.of("resource", "contributor"));
        }
    }

    public static final int MAX_LENGTH = 320;
    private static final Pattern ID = Pattern.compile("#?[0-9]{1,18}");
    private static final Pattern WALLET = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final Pattern FORGE_LOGIN = Pattern.compile("([a-z][a-z0-9-]{0,31}):([^\\s:@]{1,255})");
    private static final Pattern GITHUB_LOGIN = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\\[bot])?");
    private static final Pattern EMAIL = Pattern.compile("[^\\s@]{1,64}@[^\\s@]{1,255}");

    private IdentityLookup() {
    }

    /** The contributor {@code text} names, or the one it was merged into. */
    public static Match resolve(String text) {
        Match m = exactly(text);
        if (!m.found()) {
            return m;
        }
        long current = ContributorMerge.current(m.contributorId());
        return current == m.contributorId() ? m : new Match(Outcome.FOUND, current, m.detail() + ": contributor #"
                + m.contributorId() + " was merged into #" + current);
    }

    /** The contributor number {@code text} is ("#12" or "12"), or null when it is not one. */
    static Long number(String text) {
        String t = text == null ? "" : text.strip();
        return ID.matcher(t).matches() ? Long.parseLong(t.startsWith("#") ? t.substring(1) : t) : null;
    }

    /** The contributor {@code text} names, merged away or not. */
    public static Match exactly(String text) {
        if (text == null || text.isBlank()) {
            return new Match(Outcome.INVALID, null, "no identity given");
        }
        String t = text.strip();
        if (t.length() > MAX_LENGTH || t.chars().anyMatch(Character::isISOControl)) {
            return new Match(Outcome.INVALID, null, "'" + shorten(t) + "' is not an identity (too long, or control "
                    + "characters)");
        }
        Long number = number(t);
        if (number != null) {
            long id = number;
            Optional<Contributor> byId = Contributor.findByIdOptional(id);
            Optional<Long> byLogin = t.startsWith("#") ? Optional.empty()
                    : owner(Identity.Kind.FORGE_LOGIN, "github:" + t.toLowerCase(Locale.ROOT));
            if (byId.isPresent() && byLogin.isPresent() && !byLogin.get().equals(id)) {
                return new Match(Outcome.AMBIGUOUS, null, "'" + t + "' is contributor #" + id + " and the GitHub login of "
                        + "contributor #" + byLogin.get() + ": write #" + id + " or github:" + t);
            }
            if (byId.isPresent()) {
                return found(id, "contributor #" + id);
            }
            if (byLogin.isPresent()) {
                return found(byLogin.get(), "github:" + t);
            }
            return new Match(Outcome.UNKNOWN, null, "no contributor #" + id);
        }
        if (WALLET.matcher(t).matches()) {
            return lookup(Identity.Kind.WALLET, t.toLowerCase(Locale.ROOT), "wallet");
        }
        if (t.indexOf('@') >= 0) {
            if (!EMAIL.matcher(t).matches()) {
                return new Match(Outcome.INVALID, null, "'" + shorten(t) + "' is not an e-mail address");
            }
            return lookup(Identity.Kind.GIT_EMAIL, t.toLowerCase(Locale.ROOT), "e-mail");
        }
        if (FORGE_LOGIN.matcher(t.toLowerCase(Locale.ROOT)).matches()) {
            return lookup(Identity.Kind.FORGE_LOGIN, t.toLowerCase(Locale.ROOT), "login");
        }
        if (GITHUB_LOGIN.matcher(t).matches()) {
            Match m = lookup(Identity.Kind.FORGE_LOGIN, "github:" + t.toLowerCase(Locale.ROOT), "login");
            if (m.outcome() == Outcome.UNKNOWN) {
                List<String> elsewhere = Identity.<Identity>list("kind = ?1 and handle like ?2 order by handle",
                                Identity.Kind.FORGE_LOGIN, "%:" + t.toLowerCase(Locale.ROOT)).stream()
                        .map(i -> i.handle).filter(h -> h.endsWith(":" + t.toLowerCase(Locale.ROOT))).toList();
                if (!elsewhere.isEmpty()) {
                    return new Match(Outcome.UNKNOWN, null, "no GitHub login '" + t + "' (a bare login is GitHub's); "
                            + "known on other forges as " + String.join(", ", elsewhere));
                }
            }
            return m;
        }
        return new Match(Outcome.INVALID, null, "'" + shorten(t) + "' is neither a contributor id (#12), a login "
                + "(github:ada, gitlab:ada), an e-mail nor a wallet address");
    }

    private static Match lookup(Identity.Kind kind, String handle, String what) {
        return owner(kind, handle).map(id -> found(id, what + " " + handle))
                .orElseGet(() -> new Match(Outcome.UNKNOWN, null, "no contributor has the " + what + " " + handle));
    }

    private static Optional<Long> owner(Identity.Kind kind, String handle) {
        return Identity.<Identity>find("kind = ?1 and handle = ?2", kind, handle).firstResultOptional()
                .map(i -> i.contributorId);
    }

    private static Match found(long id, String via) {
        return new Match(Outcome.FOUND, id, via);
    }

    private static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
