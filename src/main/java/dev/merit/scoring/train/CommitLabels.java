package dev.merit.scoring.train;

import java.util.Set;
import dev.merit.scoring.ContributionType;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Conventional Commits prefixes as labels. The spelling of a type varies across projects; this is the one mapping
 * from spellings to Merit's contribution types (documented in models/MODEL_CARD.md once models ship):
 * <pre>
 * feature  feat, feature, new, add, enhance, breaking
 * fix      fix, bugfix, hotfix, bug, fiix, sec, security
 * docs     docs, doc, typo
 * test     test, tests
 * refactor refactor, refactory, reafactor, clean, cleanup, remove, removed
 * perf     perf, performance
 * build    build, ci, docker, homebrew, tooling
 * chore    chore, chores, bump, deps, dep, upgrade, update, release
 * style    style, lint, format
 * revert   revert
 * </pre>
 * A dependency scope ({@code deps}, {@code deps-dev}, {@code dependencies}, {@code dependency}, {@code dev-deps})
 * makes any type a dependency chore: {@code build(deps): bump x}, {@code feat(deps): update y} and
 * {@code chore(deps): bump z} are the same kind of work, however a project spells it.
 * Other words before a colon (wip, draft, ...) are no label.
 */
public final class CommitLabels {

    private static final Pattern PREFIX = Pattern.compile("^\\s*([A-Za-z]+)(\\([^)\\n]*\\))?(!)?\\s*:\\s*");
    private static final Map<String, ContributionType> TYPES = Map.ofEntries(
            Map.entry("feat", ContributionType.FEATURE), Map.entry("feature", ContributionType.FEATURE),
            Map.entry("new", ContributionType.FEATURE), Map.entry("add", ContributionType.FEATURE),
            Map.entry("enhance", ContributionType.FEATURE), Map.entry("breaking", ContributionType.FEATURE),
            Map.entry("fix", ContributionType.FIX), Map.entry("bugfix", ContributionType.FIX),
            Map.entry("hotfix", ContributionType.FIX), Map.entry("bug", ContributionType.FIX),
            Map.entry("fiix", ContributionType.FIX), Map.entry("sec", ContributionType.FIX),
            Map.entry("security", ContributionType.FIX),
            Map.entry("docs", ContributionType.DOCS), Map.entry("doc", ContributionType.DOCS),
            Map.entry("typo", ContributionType.DOCS),
            Map.entry("test", ContributionType.TEST), Map.entry("tests", ContributionType.TEST),
            Map.entry("refactor", ContributionType.REFACTOR), Map.entry("refactory", ContributionType.REFACTOR),
            Map.entry("reafactor", ContributionType.REFACTOR), Map.entry("clean", ContributionType.REFACTOR),
            Map.entry("cleanup", ContributionType.REFACTOR), Map.entry("remove", ContributionType.REFACTOR),
            Map.entry("removed", ContributionType.REFACTOR),
            Map.entry("perf", ContributionType.PERF), Map.entry("performance", ContributionType.PERF),
            Map.entry("build", ContributionType.BUILD), Map.entry("ci", ContributionType.BUILD),
            Map.entry("docker", ContributionType.BUILD), Map.entry("homebrew", ContributionType.BUILD),
            Map.entry("tooling", ContributionType.BUILD),
            Map.entry("chore", ContributionType.CHORE), Map.entry("bump", ContributionType.CHORE),
            Map.entry("deps", ContributionType.CHORE), Map.entry("dep", ContributionType.CHORE),
            Map.entry("upgrade", ContributionType.CHORE), Map.entry("update", ContributionType.CHORE),
            Map.entry("release", ContributionType.CHORE),
            Map.entry("style", ContributionType.STYLE), Map.entry("lint", ContributionType.STYLE),
            Map.entry("format", ContributionType.STYLE),
            Map.entry("revert", ContributionType.REVERT), Map.entry("chores", ContributionType.CHORE));
    private static final Set<String> DEPENDENCY_SCOPES =
            Set.of("deps", "deps-dev", "dependencies", "dependency", "dev-deps");

    /** A message's label and the message without its prefix (what a model may see). */
    public record Labelled(Optional<ContributionType> label, String prefixWord, String strippedMessage) {
    }

    private CommitLabels() {
    }

    public static Labelled of(String message) {
        String m = message == null ? "" : message;
        Matcher matcher = PREFIX.matcher(m);
        if (!matcher.find()) {
            return new Labelled(Optional.empty(), null, m);
        }
        String word = matcher.group(1);
        Optional<ContributionType> type = typeOf(word);
        String scope = matcher.group(2) == null ? ""
                : matcher.group(2).substring(1, matcher.group(2).length() - 1).strip().toLowerCase(Locale.ROOT);
        if (type.isPresent() && DEPENDENCY_SCOPES.contains(scope)) {
            type = Optional.of(ContributionType.CHORE);
        }
        return new Labelled(type, word, m.substring(matcher.end()));
    }

    public static Optional<ContributionType> typeOf(String prefixWord) {
        return Optional.ofNullable(TYPES.get(prefixWord.toLowerCase(Locale.ROOT)));
    }
}
