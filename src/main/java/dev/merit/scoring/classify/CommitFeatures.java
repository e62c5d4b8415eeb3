package dev.merit.scoring.classify;

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
    public static final String VERSION = "features-v1";

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
    private static final Set<String> DEPENDENCY_FILES = Set.of("package.json", "go.mod", "go.sum", "cargo.toml",
            "cargo.lock", "yarn.lock", "package-lock.json", "pnpm-lock.yaml", "uv.lock", "poetry.lock",
            "pyproject.toml");
    private static final Set<String> DOC_EXTENSIONS = Set.of("md", "mdx", "rst", "txt");

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
        List<String> f = new ArrayList<>();
        String raw = strippedMessage == null ? "" : strippedMessage;
        String text = (mayHaveTrailer(raw) ? withoutTrailers(raw) : raw).strip();
        int newline = text.indexOf('\n');
        String subject = (newline < 0 ? text : text.substring(0, newline)).toLowerCase(Locale.ROOT);
        String body = newline < 0 ? "" : text.substring(newline + 1).replace('\n', ' ').toLowerCase(Locale.ROOT);
        List<String> words = words(subject, Integer.MAX_VALUE);
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
        for (String w : words(body, MAX_BODY_WORDS)) {
            f.add("b=" + w);
        }
        boolean digits = hasDigit(subject);
        if (digits && VERSION2.matcher(subject).find()) {
            f.add("ver");
        }
        if (subject.indexOf('#') >= 0 && REFERENCE.matcher(subject).find()) {
            f.add("prref");
        }
        if (text.indexOf('#') >= 0 && closesAnIssue(text.toLowerCase(Locale.ROOT))) {
            f.add("closes");
        }
        if (body.isBlank()) {
            f.add("nobody");
        }
        if (digits && VERSION3.matcher(subject).find()) {
            f.add("semver");
        }
        if (digits && VERSION_TO.matcher(subject).find()) {
            f.add("vto");
        }
        int n = files.size();
        f.add("nf=" + (n < 10 ? n : 10 + log2(n)));
        long added = 0;
        long deleted = 0;
        for (FileChange file : files) {
            added += file.added() == null ? 0 : file.added();
            deleted += file.deleted() == null ? 0 : file.deleted();
        }
        f.add("la=" + log2(added + 1));
        f.add("ld=" + log2(deleted + 1));
        if (added + deleted > 0) {
            f.add("ratio=" + (int) (4 * added / (added + deleted)));
        }
        Map<String, Integer> kinds = new LinkedHashMap<>();
        int seen = 0;
        for (FileChange file : files) {
            if (seen++ == MAX_FILES) {
                break;
            }
            String p = file.path().toLowerCase(Locale.ROOT);
            String[] parts = p.split("/");
            String name = parts[parts.length - 1];
            int dot = name.lastIndexOf('.');
            String ext = dot < 0 ? "" : name.substring(dot + 1);
            f.add("ext=" + ext);
            f.add("fn=" + (KNOWN_FILES.contains(name) ? name : "other"));
            kinds.merge(kind(p, parts, name, ext), 1, Integer::sum);
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
        return f;
    }

    /** Names hashed to buckets, distinct, each weighted 1/sqrt(count) so long messages do not shout. */
    public Vector vector(String strippedMessage, List<FileChange> files) {
        List<String> all = names(strippedMessage, files);
        int[] ids = new int[Math.min(all.size(), MAX_FEATURES)];
        List<String> names = new ArrayList<>(ids.length);
        // Open-addressing set of the buckets seen so far (sized for the feature count, not the bucket count).
        int[] seen = new int[Integer.highestOneBit(Math.max(4, all.size() * 2) - 1) << 1];
        java.util.Arrays.fill(seen, -1);
        CRC32 crc = new CRC32();
        byte[] ascii = ASCII.get();
        int count = 0;
        for (int k = 0; k < all.size() && count < MAX_FEATURES; k++) {
            String name = all.get(k);
            int bucket = (int) (crc32(crc, name, ascii) % buckets);
            int slot = (bucket * 0x9E3779B1 >>> 7) & (seen.length - 1);
            while (seen[slot] != -1 && seen[slot] != bucket) {
                slot = (slot + 1) & (seen.length - 1);
            }
            if (seen[slot] == -1) {
                seen[slot] = bucket;
                ids[count++] = bucket;
                names.add(name);
            }
        }
        int[] distinct = count == ids.length ? ids : java.util.Arrays.copyOf(ids, count);
        float[] weights = new float[count];
        java.util.Arrays.fill(weights, count == 0 ? 0f : (float) (1 / Math.sqrt(count)));
        return new Vector(distinct, weights, names);
    }

    int bucket(String name) {
        return (int) (crc32(new CRC32(), name, new byte[256]) % buckets);
    }

    /** A reusable buffer per thread: feature names are hashed without allocating their bytes. */
    private static final ThreadLocal<byte[]> ASCII = ThreadLocal.withInitial(() -> new byte[256]);

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

    private static String kind(String p, String[] parts, String name, String ext) {
        if (p.startsWith(".changes/")) {
            return "changefile";
        }
        if (name.contains("changelog") || name.startsWith("history.") || name.startsWith("release")) {
            return "changelog";
        }
        if (p.contains("test") || p.contains("spec") || p.contains("fixture") || p.contains("snapshot")) {
            return "test";
        }
        if (DOC_EXTENSIONS.contains(ext) || p.contains("docs/") || p.contains("doc/")) {
            return "doc";
        }
        if (p.contains(".github/") || p.contains(".gitlab") || (parts.length > 1 && parts[0].equals("ci"))) {
            return "ci";
        }
        if (DEPENDENCY_FILES.contains(name)) {
            return "deps";
        }
        return "code";
    }

    static String stem(String w) {
        for (String suffix : new String[]{"ing", "ed", "es", "s"}) {
            if (w.endsWith(suffix) && w.length() - suffix.length() >= 3) {
                return w.substring(0, w.length() - suffix.length());
            }
        }
        return w;
    }

    /** The runs of [a-z][a-z0-9]* in already lower-cased text (what the regex would find, without it). */
    private static List<String> words(String text, int max) {
        List<String> words = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n && words.size() < max) {
            char c = text.charAt(i);
            if (c >= 'a' && c <= 'z') {
                int start = i++;
                while (i < n) {
                    char d = text.charAt(i);
                    if ((d >= 'a' && d <= 'z') || (d >= '0' && d <= '9')) {
                        i++;
                    } else {
                        break;
                    }
                }
                words.add(text.substring(start, i));
            } else {
                i++;
            }
        }
        return words;
    }

    private static boolean mayHaveTrailer(String text) {
        if (text.indexOf(':') < 0) {
            return false;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.startsWith("cc:") || lower.contains("-by:") || lower.contains("change-id:") || lower.contains("\ncc:");
    }

    /** Lines that are trailers (Signed-off-by:, Co-authored-by:, Reviewed-by:, Change-Id:, Cc:) emptied. */
    private static String withoutTrailers(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('\n', start);
            int stop = end < 0 ? text.length() : end;
            String line = text.substring(start, stop);
            if (!isTrailer(line)) {
                out.append(line);
            }
            if (end < 0) {
                break;
            }
            out.append('\n');
            start = end + 1;
        }
        return out.toString();
    }

    private static boolean isTrailer(String line) {
        for (String key : TRAILER_KEYS) {
            if (line.regionMatches(true, 0, key, 0, key.length())) {
                return true;
            }
        }
        return false;
    }

    /** "close(s|d) #N", "fix(s|d) #N", "resolve(s|d) #N" anywhere in lower-cased text. */
    private static boolean closesAnIssue(String lower) {
        for (int i = lower.indexOf(" #"); i >= 0; i = lower.indexOf(" #", i + 1)) {
            if (i + 2 < lower.length() && lower.charAt(i + 2) >= '0' && lower.charAt(i + 2) <= '9') {
                String before = lower.substring(0, i);
                for (String verb : CLOSING_VERBS) {
                    if (before.endsWith(verb)) {
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

    private static int log2(long n) {
        return 63 - Long.numberOfLeadingZeros(Math.max(1, n));
    }
}
