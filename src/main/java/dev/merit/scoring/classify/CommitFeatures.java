package dev.merit.scoring.classify;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The inputs of the contribution-type classifier, as named features: words of the message (its Conventional Commits
 * prefix already removed), kinds and extensions of the changed files, and bucketed diff statistics. Names are
 * hashed (CRC-32) into a fixed number of buckets; the names are kept, so every prediction can say which features
 * moved it. Repository-specific path words (directory and file names) are deliberately left out: they do not carry
 * over to a repository the model never saw.
 */
public final class CommitFeatures {

    /** A changed file as the classifier sees it; added/deleted are null for binary files. */
    public record FileChange(String path, Integer added, Integer deleted) {
    }

    /** Hashed features: bucket ids (distinct, in first-seen order), their weights, and one name per bucket. */
    public record Vector(int[] buckets, float[] weights, List<String> names) {
        public int size() {
            return buckets.length;
        }
    }

    /** At most this many distinct features are used per contribution (the first ones: subject, body, files). */
    public static final int MAX_FEATURES = 256;
    /** Bump when the feature definitions change: a model trained on other features cannot be used. */
    public static final String VERSION = "features-v4";

    private static final int MAX_BODY_WORDS = 200;
    private static final int MAX_FILES = 50;
    private static final Pattern WORD = Pattern.compile("[a-z][a-z0-9]*");
    private static final String[] TRAILER_KEYS = {"signed-off-by:", "co-authored-by:", "reviewed-by:", "change-id:", "cc:"};
    private static final String[] CLOSING_VERBS = {"close", "closes", "closed", "fix", "fixs", "fixd", "resolve",
            "resolves", "resolved"};
    private static final Pattern VERSION2 = Pattern.compile("\\d+\\.\\d+");
    private static final Pattern VERSION3 = Pattern.compile("\\d+\\.\\d+\\.\\d+");
    private static final Pattern VERSION_TO = Pattern.compile("(->|\u2192|\\bto\\b).*\\d+\\.\\d+");
    private static final Pattern REFERENCE = Pattern.compile("#\\d+");
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

    private final int buckets;

    public CommitFeatures(int buckets) {
        if (buckets < 2) {
            throw new IllegalArgumentException("buckets must be at least 2, got " + buckets);
        }
        this.buckets = buckets;
    }

    public int buckets() {
        return buckets;
    }

    /** The feature names of a message (prefix removed) and its files, in order, with repeats. */
    public static List<String> names(String strippedMessage, List<FileChange> files) {
        List<String> out = new ArrayList<>();
        walk(strippedMessage, files, new Names(out));
        return out;
    }

    /**
     * Where the feature walk puts each name, in order, with repeats: a list ({@link #names}), or the hashing of
     * {@link #vector}, which only makes a name's string when the name is new.
     */
    private interface Sink {
        void add(String name);

        /** The name {@code prefix} + the word {@code text[start, end)}, ASCII capitals lower-cased. */
        void addWord(String prefix, String text, int start, int end);

        /** Whether further names can change nothing (the vector holds {@link #MAX_FEATURES} already). */
        default boolean full() {
            return false;
        }
    }

    private record Names(List<String> out) implements Sink {
        @Override
        public void add(String name) {
            out.add(name);
        }

        @Override
        public void addWord(String prefix, String text, int start, int end) {
            char[] name = new char[prefix.length() + end - start];
            prefix.getChars(0, prefix.length(), name, 0);
            for (int k = start, at = prefix.length(); k < end; k++, at++) {
                name[at] = lowerAscii(text.charAt(k));
            }
            out.add(new String(name));
        }
    }

    private static void walk(String strippedMessage, List<FileChange> files, Sink f) {
        String raw = strippedMessage == null ? "" : strippedMessage;
        String text = (hasTrailer(raw) ? withoutTrailers(raw) : raw).strip();
        // Bodies can be long (release notes in dependency bumps) and only their first 200 words are used, so text is
        // lower-cased word by word as it is read (ASCII capitals only). That is exactly what lower-casing it whole, as
        // Unicode says, then matching [a-z][a-z0-9]* would find, unless the text holds one of the four characters
        // outside ASCII whose lower case or case-blind match is an ASCII letter: then it is lower-cased whole.
        // Lower-casing never adds or removes a line break, so the subject is the first line either way.
        boolean asRead = !hasCaseFoldingToAscii(text);
        String source = asRead ? text : text.toLowerCase(Locale.ROOT);
        int newline = source.indexOf('\n');
        int bodyStart = newline < 0 ? source.length() : newline + 1;
        String subject = newline < 0 ? source : source.substring(0, newline);
        if (asRead) {
            subject = subject.toLowerCase(Locale.ROOT);
        }
        List<String> words = new ArrayList<>();
        words(subject, 0, Integer.MAX_VALUE, "", new Names(words));
        if (!words.isEmpty()) {
            f.add("first=" + words.get(0));
        }
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            f.add("s=" + w);
            String stem = stem(w);
            if (!stem.equals(w)) {
                f.add("s=" + stem);
            }
            if (i + 1 < words.size()) {
                f.add("sb=" + w + "_" + words.get(i + 1));
            }
        }
        words(source, bodyStart, MAX_BODY_WORDS, "b=", f);
        boolean digits = hasDigit(subject);
        if (digits && VERSION2.matcher(subject).find()) {
            f.add("ver");
        }
        if (subject.indexOf('#') >= 0 && REFERENCE.matcher(subject).find()) {
            f.add("prref");
        }
        if (source.indexOf('#') >= 0 && closesAnIssue(source, asRead)) {
            f.add("closes");
        }
        if (isBlank(source, bodyStart)) {
            f.add("nobody");
        }
        if (digits && VERSION3.matcher(subject).find()) {
            f.add("semver");
        }
        if (digits && VERSION_TO.matcher(subject).find()) {
            f.add("vto");
        }
        int n = files.size();
        f.add(numbered("nf=", NF, n < 10 ? n : 10 + log2(n)));
        long added = 0;
        long deleted = 0;
        for (FileChange file : files) {
            added += file.added() == null ? 0 : file.added();
            deleted += file.deleted() == null ? 0 : file.deleted();
        }
        f.add(numbered("la=", LA, log2(added + 1)));
        f.add(numbered("ld=", LD, log2(deleted + 1)));
        if (added + deleted > 0) {
            f.add(numbered("ratio=", RATIO, (int) (4 * added / (added + deleted))));
        }
        Map<String, Integer> kinds = new LinkedHashMap<>();
        int seen = 0;
        for (FileChange file : files) {
            if (seen++ == MAX_FILES) {
                break;
            }
            PathFeatures path = pathFeatures(file.path());
            f.add(path.extension());
            f.add(path.fileName());
            kinds.merge(path.kind(), 1, Integer::sum);
        }
        if (files.isEmpty()) {
            f.add("nofiles");
        }
        for (Map.Entry<String, Integer> k : kinds.entrySet()) {
            f.add("kind=" + k.getKey());
            if (k.getValue() == Math.min(n, MAX_FILES)) {
                f.add("allkind=" + k.getKey());
            }
        }
    }

    /** Names hashed to buckets, distinct, each weighted 1/sqrt(count) so long messages do not shout. */
    public Vector vector(String strippedMessage, List<FileChange> files) {
        Hashing sink = new Hashing(buckets, SCRATCH.get());
        walk(strippedMessage, files, sink);
        int count = sink.count;
        int[] distinct = Arrays.copyOf(sink.ids, count);
        float[] weights = new float[count];
        Arrays.fill(weights, count == 0 ? 0f : (float) (1 / Math.sqrt(count)));
        return new Vector(distinct, weights, sink.names);
    }

    /** Per-thread work space of {@link Hashing}: a name's bytes, and an open-addressing set of buckets. */
    private static final class Scratch {
        final byte[] bytes = new byte[256];
        /** Slot holds a bucket of the current vector when its stamp is the current generation: no clearing. */
        final int[] slots = new int[4 * MAX_FEATURES];
        final int[] stamps = new int[4 * MAX_FEATURES];
        int generation;
        final CRC32 crc = new CRC32();
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Hashes names as the walk gives them, keeping the first {@link #MAX_FEATURES} distinct buckets and their names. */
    private static final class Hashing implements Sink {
        private final int buckets;
        private final Scratch scratch;
        private final int generation;
        final int[] ids = new int[MAX_FEATURES];
        final List<String> names = new ArrayList<>();
        int count;

        Hashing(int buckets, Scratch scratch) {
            this.buckets = buckets;
            this.scratch = scratch;
            if (scratch.generation == Integer.MAX_VALUE) {
                // Before the counter wraps, forget every stamp: an old one must never read as the current generation.
                Arrays.fill(scratch.stamps, 0);
                scratch.generation = 0;
            }
            this.generation = ++scratch.generation;
        }

        @Override
        public boolean full() {
            return count == MAX_FEATURES;
        }

        @Override
        public void add(String name) {
            if (!full()) {
                keep((int) (crc32(scratch.crc, name, scratch.bytes) % buckets), name, null, 0);
            }
        }

        @Override
        public void addWord(String prefix, String text, int start, int end) {
            int length = prefix.length() + end - start;
            if (full()) {
                return;
            }
            if (length > scratch.bytes.length) {
                add(prefix + text.substring(start, end).toLowerCase(Locale.ROOT));
                return;
            }
            // Words are [a-z][a-z0-9]* (ASCII), so a name's UTF-8 bytes are its characters.
            byte[] bytes = scratch.bytes;
            for (int k = 0; k < prefix.length(); k++) {
                bytes[k] = (byte) prefix.charAt(k);
            }
            for (int k = start, at = prefix.length(); k < end; k++, at++) {
                bytes[at] = (byte) lowerAscii(text.charAt(k));
            }
            scratch.crc.reset();
            scratch.crc.update(bytes, 0, length);
            keep((int) (scratch.crc.getValue() % buckets), null, bytes, length);
        }

        /** Adds the bucket if it is new, with its name (given, or made from the name's bytes only then). */
        private void keep(int bucket, String name, byte[] bytes, int length) {
            int[] slots = scratch.slots;
            int[] stamps = scratch.stamps;
            int mask = slots.length - 1;
            int slot = (bucket * 0x9E3779B1 >>> 7) & mask;
            while (stamps[slot] == generation && slots[slot] != bucket) {
                slot = (slot + 1) & mask;
            }
            if (stamps[slot] != generation) {
                stamps[slot] = generation;
                slots[slot] = bucket;
                ids[count++] = bucket;
                names.add(name != null ? name : new String(bytes, 0, length, StandardCharsets.ISO_8859_1));
            }
        }
    }

    int bucket(String name) {
        return (int) (crc32(new CRC32(), name, new byte[256]) % buckets);
    }

    /** CRC-32 of the name's UTF-8 bytes; ASCII names (nearly all) are copied into {@code buffer} instead of encoded. */
    private static long crc32(CRC32 crc, String name, byte[] buffer) {
        crc.reset();
        int n = name.length();
        if (n <= buffer.length) {
            boolean ascii = true;
            for (int i = 0; i < n; i++) {
                char c = name.charAt(i);
                if (c >= 0x80) {
                    ascii = false;
                    break;
                }
                buffer[i] = (byte) c;
            }
            if (ascii) {
                crc.update(buffer, 0, n);
                return crc.getValue();
            }
        }
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    /** What a changed file's path gives: its {@code ext=} and {@code fn=} features and its kind. */
    private record PathFeatures(String extension, String fileName, String kind) {
    }

    /**
     * Paths seen recently and their features: a repository's contributions touch the same files again and again, and
     * working a path out (lower-casing, test words, file kinds) cost more than the rest of a contribution's features.
     * Emptied when full, so it holds at most {@value #PATH_CACHE_LIMIT} paths.
     */
    private static final ConcurrentHashMap<String, PathFeatures> PATHS =
            new ConcurrentHashMap<>();
    private static final int PATH_CACHE_LIMIT = 65_536;

    private static PathFeatures pathFeatures(String path) {
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

    private static final String[] SUFFIXES = {"ing", "ed", "es", "s"};

    static String stem(String w) {
        for (String suffix : SUFFIXES) {
            if (w.endsWith(suffix) && w.length() - suffix.length() >= 3) {
                return w.substring(0, w.length() - suffix.length());
            }
        }
        return w;
    }

    /**
     * Adds {@code prefix} + each run of [a-z][a-z0-9]* from {@code from} on, at most {@code max} of them, in text that
     * is lower-cased or free of {@link #hasCaseFoldingToAscii} characters (ASCII capitals are lower-cased as they are
     * read: what {@code toLowerCase} then the regex would find). Stops early once the sink is full.
     */
    private static void words(String text, int from, int max, String prefix, Sink out) {
        int n = text.length();
        int i = from;
        int found = 0;
        while (i < n && found < max && !out.full()) {
            char c = lowerAscii(text.charAt(i));
            if (c >= 'a' && c <= 'z') {
                int start = i++;
                while (i < n) {
                    char d = lowerAscii(text.charAt(i));
                    if ((d >= 'a' && d <= 'z') || (d >= '0' && d <= '9')) {
                        i++;
                    } else {
                        break;
                    }
                }
                out.addWord(prefix, text, start, i);
                found++;
            } else {
                i++;
            }
        }
    }

    private static char lowerAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /**
     * Whether the text holds a character outside ASCII that lower-cases to ASCII letters (U+0130 I with dot above, to
     * "i" and a combining dot; U+212A Kelvin sign, to "k") or equals an ASCII letter ignoring case (U+0131 dotless i,
     * U+017F long s). These four are all there are (checked over every code point); any other character outside ASCII
     * stays outside it when lower-cased, so it separates words either way.
     */
    static boolean hasCaseFoldingToAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x130 && (c == '\u0130' || c == '\u0131' || c == '\u017f' || c == '\u212a')) {
                return true;
            }
        }
        return false;
    }

    private static boolean isBlank(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (!Character.isWhitespace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether any line starts with a trailer key, checked in place (no lower-cased copy of the message). */
    private static boolean hasTrailer(String text) {
        if (text.indexOf(':') < 0) {
            return false;
        }
        for (int start = 0; start < text.length(); ) {
            if (isTrailer(text, start)) {
                return true;
            }
            int end = text.indexOf('\n', start);
            if (end < 0) {
                break;
            }
            start = end + 1;
        }
        return false;
    }

    /** Lines that are trailers (Signed-off-by:, Co-authored-by:, Reviewed-by:, Change-Id:, Cc:) emptied. */
    private static String withoutTrailers(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('\n', start);
            int stop = end < 0 ? text.length() : end;
            if (!isTrailer(text, start)) {
                out.append(text, start, stop);
            }
            if (end < 0) {
                break;
            }
            out.append('\n');
            start = end + 1;
        }
        return out.toString();
    }

    private static boolean isTrailer(String text, int lineStart) {
        if (lineStart >= text.length()) {
            return false;
        }
        char first = lowerAscii(text.charAt(lineStart));
        if (first < 0x80 && first != 's' && first != 'c' && first != 'r') {
            return false; // no key can match (non-ASCII letters may equal a key's letter ignoring case)
        }
        for (String key : TRAILER_KEYS) {
            if (text.regionMatches(true, lineStart, key, 0, key.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * "close(s|d) #N", "fix(s|d) #N", "resolve(s|d) #N" anywhere in text that is lower-cased, or as read (then the
     * verb is compared ignoring case, which without {@link #hasCaseFoldingToAscii} characters is exactly lower-casing
     * first).
     */
    private static boolean closesAnIssue(String text, boolean asRead) {
        for (int i = text.indexOf(" #"); i >= 0; i = text.indexOf(" #", i + 1)) {
            if (i + 2 < text.length() && text.charAt(i + 2) >= '0' && text.charAt(i + 2) <= '9') {
                for (String verb : CLOSING_VERBS) {
                    if (i >= verb.length() && text.regionMatches(asRead, i - verb.length(), verb, 0, verb.length())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean hasDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    /** "nf=0" ... "nf=63" and the like, made once: every contribution has four of them. */
    private static final String[] NF = numberedNames("nf=");
    private static final String[] LA = numberedNames("la=");
    private static final String[] LD = numberedNames("ld=");
    private static final String[] RATIO = numberedNames("ratio=");

    private static String[] numberedNames(String prefix) {
        String[] names = new String[64];
        for (int i = 0; i < names.length; i++) {
            names[i] = prefix + i;
        }
        return names;
    }

    private static String numbered(String prefix, String[] names, int value) {
        return value >= 0 && value < names.length ? names[value] : prefix + value;
    }

    private static int log2(long n) {
        return 63 - Long.numberOfLeadingZeros(Math.max(1, n));
    }
}
