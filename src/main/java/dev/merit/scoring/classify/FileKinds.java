package dev.merit.scoring.classify;

import java.util.Locale;
import java.util.Set;

/**
 * What a changed file's path says, for {@link CommitFeatures}: its extension ({@code ext=code} for every source
 * language), whether it is a well-known file ({@code fn=package.json}), and its kind: test code, documentation, a
 * release history, a dependency manifest or lock file, CI configuration, a change file, or code.
 */
final class FileKinds {

    private FileKinds() {
    }

    private static final Set<String> KNOWN_FILES = Set.of("package.json", "go.mod", "go.sum", "cargo.toml",
            "cargo.lock", "yarn.lock", "package-lock.json", "pnpm-lock.yaml", "uv.lock", "poetry.lock",
            "pyproject.toml", "readme.md", "changelog.md", "dockerfile", "makefile", ".gitignore", "tsconfig.json",
            "setup.py", "requirements.txt");
    /** Manifests and lock files of the common package managers: a change to one is (also) dependency work. */
    private static final Set<String> DEPENDENCY_FILES = Set.of("package.json", "go.mod", "go.sum", "go.work",
            "go.work.sum", "cargo.toml", "cargo.lock", "yarn.lock", "package-lock.json", "npm-shrinkwrap.json",
            "pnpm-lock.yaml", "bun.lock", "bun.lockb", "deno.lock", "uv.lock", "poetry.lock", "pyproject.toml",
            "requirements.txt", "pipfile", "pipfile.lock", "gemfile", "gemfile.lock", "composer.json", "composer.lock",
            "pom.xml", "build.gradle", "build.gradle.kts", "gradle.lockfile", "mix.exs", "mix.lock", "pubspec.yaml",
            "pubspec.lock", "package.swift", "package.resolved", "podfile", "podfile.lock");
    private static final Set<String> DOC_EXTENSIONS = Set.of("md", "mdx", "rst", "txt");
    /**
     * Source-code extensions, all one feature ({@code ext=code}): the language a change is written in does not say what
     * kind of change it is, and a per-language weight only learns the type mix of the training repository that
     * happened to use that language (TypeScript from typescript-eslint, Go from goreleaser).
     */
    private static final Set<String> CODE_EXTENSIONS = Set.of("ts", "tsx", "js", "jsx", "mjs", "cjs", "go", "py", "rs",
            "java", "kt", "kts", "c", "cc", "cpp", "h", "hpp", "swift", "m", "mm", "rb", "php", "cs", "scala", "vue",
            "svelte", "dart", "lua", "ex", "exs", "erl", "hs", "clj", "zig");

    /** What a changed file's path gives: its {@code ext=} and {@code fn=} features and its kind. */
    record PathFeatures(String extension, String fileName, String kind) {
    }

    /**
     * Paths seen recently and their features: a repository's contributions touch the same files again and again, and
     * working a path out (lower-casing, test words, file kinds) cost more than the rest of a contribution's features.
     * Emptied when full, so it holds at most {@value #PATH_CACHE_LIMIT} paths.
     */
    private static final java.util.concurrent.ConcurrentHashMap<String, PathFeatures> PATHS =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int PATH_CACHE_LIMIT = 65_536;

    static PathFeatures pathFeatures(String path) {
        PathFeatures known = PATHS.get(path);
        if (known != null) {
            return known;
        }
        String p = path.toLowerCase(Locale.ROOT);
        String name = p.substring(p.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        PathFeatures features = new PathFeatures(CODE_EXTENSIONS.contains(ext) ? "ext=code" : "ext=" + ext,
                KNOWN_FILES.contains(name) ? "fn=" + name : "fn=other", kind(path, p, name, ext));
        if (PATHS.size() >= PATH_CACHE_LIMIT) {
            PATHS.clear();
        }
        PATHS.put(path, features);
        return features;
    }

    private static String kind(String path, String p, String name, String ext) {
        if (p.startsWith(".changes/")) {
            return "changefile";
        }
        if (isChangelog(name, ext)) {
            return "changelog";
        }
        if (isTestPath(path, p, ext)) {
            return "test";
        }
        if (DEPENDENCY_FILES.contains(name)) {
            return "deps";
        }
        if (DOC_EXTENSIONS.contains(ext) || p.contains("docs/") || p.contains("doc/")) {
            return "doc";
        }
        if (isCi(p, name)) {
            return "ci";
        }
        return "code";
    }

    /** CI configuration of the common hosted systems, wherever the repository keeps it. */
    private static boolean isCi(String p, String name) {
        return p.contains(".github/") || p.contains(".gitlab") || p.startsWith("ci/") || p.startsWith(".circleci/")
                || p.startsWith(".buildkite/") || p.startsWith(".woodpecker") || p.startsWith(".drone")
                || name.equals(".travis.yml") || name.equals("jenkinsfile") || name.equals("azure-pipelines.yml")
                || name.equals("appveyor.yml") || name.equals(".appveyor.yml") || name.equals("bitbucket-pipelines.yml");
    }

    /** Names (without a document extension) of release-history files. */
    private static final Set<String> CHANGELOG_NAMES = Set.of("changelog", "changes", "history", "news", "release-notes",
            "release_notes", "releasenotes");

    /**
     * Whether a (lower-cased) file name is a release history: a document ({@code .md}, {@code .rst}, ..., or no
     * extension) named CHANGELOG, CHANGES, HISTORY, NEWS or RELEASE-NOTES, or whose name ends in "changelog"
     * ({@code 7.changelog.md}, {@code packages-changelog.md}). Not code about changelogs or releases
     * ({@code changelog.py}, {@code release.go}, {@code release-notes.spec.ts}) nor a release workflow ({@code release.yml}).
     */
    static boolean isChangelog(String name, String ext) {
        if (!ext.isEmpty() && !DOC_EXTENSIONS.contains(ext) && !ext.equals("adoc")) {
            return false;
        }
        String base = ext.isEmpty() ? name : name.substring(0, name.length() - ext.length() - 1);
        return CHANGELOG_NAMES.contains(base) || base.endsWith("changelog");
    }

    /** Path words (between / . _ - and space) that mark test code besides those starting with "test". */
    private static final String[] TEST_WORDS = {"spec", "specs", "fixture", "fixtures", "snapshot", "snapshots", "e2e"};
    /** Languages whose test files are named FooTest / FooTests / FooSpec without a separator. */
    private static final Set<String> SUFFIXED_TEST_LANGUAGES = Set.of("java", "kt", "kts", "scala", "groovy", "cs",
            "swift", "php");

    /**
     * Whether a path is test code: one of its words starts with "test" ({@code tests/}, {@code __tests__},
     * {@code foo.test.ts}, {@code foo_test.go}, {@code test_foo.py}, {@code testdata/}, {@code testutil/}) or is a
     * spec/fixture/snapshot/e2e word, or a Java-like file is named ...Test/Tests/Spec in CamelCase
     * ({@code ParserTest.java}, not {@code Contest.java}). Whole words, not substrings: the files of a project named
     * "vitest", a "latest/" folder or an "inspector/" are not tests.
     *
     * @param path the path as written; {@code p} the same lower-cased; {@code ext} its lower-cased extension
     */
    static boolean isTestPath(String path, String p, String ext) {
        int n = p.length();
        int start = 0;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? p.charAt(i) : '/';
            if (c == '/' || c == '.' || c == '_' || c == '-' || c == ' ') {
                if (i > start && (p.startsWith("test", start) || isTestWord(p, start, i - start))) {
                    return true;
                }
                start = i + 1;
            }
        }
        if (SUFFIXED_TEST_LANGUAGES.contains(ext)) {
            String fileName = path.substring(path.lastIndexOf('/') + 1);
            String stem = fileName.substring(0, Math.max(0, fileName.lastIndexOf('.')));
            return camelSuffix(stem, "Test") || camelSuffix(stem, "Tests") || camelSuffix(stem, "Spec");
        }
        return false;
    }

    private static boolean isTestWord(String p, int start, int length) {
        for (String word : TEST_WORDS) {
            if (word.length() == length && p.regionMatches(start, word, 0, length)) {
                return true;
            }
        }
        return false;
    }

    /** {@code stem} ends with {@code suffix} as a CamelCase word: {@code ParserTest}, not {@code Contest} or {@code Test}. */
    private static boolean camelSuffix(String stem, String suffix) {
        int at = stem.length() - suffix.length();
        return at > 0 && stem.endsWith(suffix) && !Character.isUpperCase(stem.charAt(at - 1));
    }

}
