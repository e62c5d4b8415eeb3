package dev.merit.scoring;

import dev.merit.ingest.ChangedFile;
import dev.merit.scoring.train.CommitLabels;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first, transparent type classifier: a Conventional Commits prefix if there is one, else what the paths
 * say (only docs, only tests, only build files), else keywords in the title. Every guess carries its reason.
 */
public final class TypeHeuristic {

    public record Guess(ContributionType type, String reason) {
    }

    private static final Pattern DOC_PATH = Pattern.compile(
            "(^|/)(docs?|documentation|website|www)/|\\.(md|mdx|rst|adoc|txt)$|(^|/)(readme|license|changelog|authors|contributing)[^/]*$");
    private static final Pattern TEST_PATH = Pattern.compile(
            "(^|/)(tests?|__tests__|spec|specs|testdata|fixtures)/|(_test|\\.test|\\.spec|_spec|Test|Tests|IT)\\.[a-z]+$|(^|/)test_[^/]*$");
    private static final Pattern BUILD_PATH = Pattern.compile(
            "(^|/)(\\.github|\\.gitlab-ci|\\.circleci|\\.ci|\\.buildkite)(/|\\.yml$)|(^|/)(makefile|dockerfile|jenkinsfile|"
                    + "pom\\.xml|build\\.gradle(\\.kts)?|settings\\.gradle(\\.kts)?|cmakelists\\.txt|\\.travis\\.yml|"
                    + "azure-pipelines\\.yml|build\\.rs|justfile|taskfile\\.ya?ml)$|\\.cmake$|\\.mk$");
    private static final Pattern DEPENDENCY_PATH = Pattern.compile(
            "(^|/)(package\\.json|go\\.mod|cargo\\.toml|requirements[^/]*\\.txt|pyproject\\.toml|gemfile|"
                    + "renovate\\.json|\\.dependabot/[^/]*|dependabot\\.yml)$");
    private static final List<Map.Entry<Pattern, ContributionType>> KEYWORDS = List.of(
            Map.entry(Pattern.compile("^revert\\b"), ContributionType.REVERT),
            Map.entry(Pattern.compile("\\b(fix(es|ed)?|bug|crash|regression|broken|leak|wrong|incorrect|error)\\b"), ContributionType.FIX),
            Map.entry(Pattern.compile("\\b(perf|performance|faster|speed ?up|optimi[sz]e[sd]?|optimi[sz]ation)\\b"), ContributionType.PERF),
            Map.entry(Pattern.compile("\\b(refactor(ed|ing)?|clean ?up|simplif(y|ied)|restructure|rename[sd]?)\\b"), ContributionType.REFACTOR),
            Map.entry(Pattern.compile("\\b(tests?|testing|coverage)\\b"), ContributionType.TEST),
            Map.entry(Pattern.compile("\\b(docs?|documentation|readme|typos?|comments?)\\b"), ContributionType.DOCS),
            Map.entry(Pattern.compile("\\b(bump|upgrade|update dependenc(y|ies)|deps)\\b"), ContributionType.CHORE),
            Map.entry(Pattern.compile("\\b(ci|build|workflow|makefile|pipeline)\\b"), ContributionType.BUILD),
            Map.entry(Pattern.compile("\\b(format(ting)?|lint|whitespace|indent(ation)?)\\b"), ContributionType.STYLE),
            Map.entry(Pattern.compile("\\b(add(s|ed)?|implement(s|ed)?|introduce[sd]?|support|new|allow|enable)\\b"), ContributionType.FEATURE));

    private TypeHeuristic() {
    }

    public static Guess classify(String kind, String title, List<ChangedFile> files) {
        if ("merge".equals(kind)) {
            return new Guess(ContributionType.MERGE, "merge commit");
        }
        if (ContributionType.ofKind(kind).isPresent()) {
            return new Guess(ContributionType.ofKind(kind).get(), "from the source");
        }
        String subject = title == null ? "" : title;
        CommitLabels.Labelled prefix = CommitLabels.of(subject);
        if (prefix.label().isPresent()) {
            return new Guess(prefix.label().get(), "Conventional Commits prefix '" + prefix.prefixWord() + ":'");
        }
        Guess byPath = byPaths(files);
        if (byPath != null) {
            return byPath;
        }
        String lower = subject.toLowerCase(Locale.ROOT);
        for (Map.Entry<Pattern, ContributionType> keyword : KEYWORDS) {
            Matcher m = keyword.getKey().matcher(lower);
            if (m.find()) {
                return new Guess(keyword.getValue(), "keyword '" + m.group().strip() + "' in the title");
            }
        }
        return new Guess(ContributionType.OTHER, "no type signal in message or paths");
    }

    private static Guess byPaths(List<ChangedFile> files) {
        List<String> paths = files.stream()
                .filter(f -> f.category.equals(ChangedFile.Category.SOURCE.name())
                        || f.category.equals(ChangedFile.Category.LOCKFILE.name()))
                .map(f -> f.path).toList();
        if (paths.isEmpty()) {
            return null;
        }
        if (all(paths, DOC_PATH)) {
            return new Guess(ContributionType.DOCS, "every changed file is documentation");
        }
        if (all(paths, TEST_PATH)) {
            return new Guess(ContributionType.TEST, "every changed file is a test");
        }
        if (all(paths, BUILD_PATH)) {
            return new Guess(ContributionType.BUILD, "every changed file is build or CI configuration");
        }
        boolean onlyDependencies = files.stream().allMatch(f -> f.category.equals(ChangedFile.Category.LOCKFILE.name())
                || DEPENDENCY_PATH.matcher(f.path.toLowerCase(Locale.ROOT)).find());
        if (onlyDependencies) {
            return new Guess(ContributionType.CHORE, "only dependency manifests and lock files changed");
        }
        return null;
    }

    private static boolean all(List<String> paths, Pattern pattern) {
        return paths.stream().allMatch(p -> pattern.matcher(p.toLowerCase(Locale.ROOT)).find()
                || pattern.matcher(p).find());
    }
}
