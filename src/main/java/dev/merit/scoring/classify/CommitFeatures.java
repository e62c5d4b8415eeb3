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
    /** The features of models up to commit-type-5a2b8f0c9e5a: computed still, so those models stay usable. */
    public static final String V4 = "features-v4";
    /**
     * What {@code train} computes. Bump when the feature definitions change: a model trained on other features cannot
     * be used (unless its version stays in {@link #VERSIONS}).
     */
    public static final String VERSION = "features-v6";
    /**
     * The features of v2 to v2.2 (up to commit-type-682df4cedead): as v6, with 200 words of the body and no share of
     * the lines by kind of file ({@link FeaturesV6}).
     */
    public static final String V5 = "features-v5";
    /** v6 and the subject's meaning by pretrained word vectors ({@link FeaturesV7}); trained with word vectors only. */
    public static final String V7 = "features-v7";
    /** Every version this Merit computes, oldest first. */
    public static final List<String> VERSIONS = List.of(V4, V5, VERSION, V7);

    /**
     * The body's words read (v4, v5): pull-request templates and release notes made most of a long body, and the
     * model learnt each project's template. From v6 only the first {@link #BODY_WORDS} count (measured in the model
     * card).
     */
    private static final int MAX_BODY_WORDS = 200;
    private static final int BODY_WORDS = 40;
    private static final int MAX_FILES = 50;
    private static final Pattern VERSION2 = Pattern.compile("\\d+\\.\\d+");
    private static final Pattern VERSION3 = Pattern.compile("\\d+\\.\\d+\\.\\d+");
    private static final Pattern VERSION_TO = Pattern.compile("(->|\u2192|\\bto\\b).*\\d+\\.\\d+");
    private static final Pattern REFERENCE = Pattern.compile("#\\d+");
    private final int buckets;
    private final String version;
    private final boolean v5;
    private final boolean v6;
    /** features-v7's word vectors, in the last rows; null before v7. Named features hash into the rows before them. */
    private final WordVectors vectors;
    private final int hashed;

    /** The current features ({@link #VERSION}) hashed into this many buckets. */
    public CommitFeatures(int buckets) {
        this(VERSION, buckets, null);
    }

    private CommitFeatures(String version, int buckets, WordVectors vectors) {
        if (V7.equals(version) != (vectors != null)) {
            throw new IllegalArgumentException(version + (vectors == null ? " needs" : " has no") + " word vectors");
        }
        if (buckets - (vectors == null ? 0 : vectors.dims()) < 2) {
            throw new IllegalArgumentException("buckets must be at least 2 besides the word vectors', got " + buckets);
        }
        if (!VERSIONS.contains(version)) {
            throw new IllegalArgumentException("features " + version + " are not computed here, only " + VERSIONS);
        }
        this.buckets = buckets;
        this.version = version;
        this.v5 = !version.equals(V4);
        this.v6 = v6(version);
        this.vectors = vectors;
        this.hashed = vectors == null ? buckets : buckets - vectors.dims();
    }

    /**
     * The features of a given version (a model's manifest says which it was trained on) in {@code buckets} rows; for
     * features-v7 the last {@code vectors.dims()} rows are the subject's meaning ({@code vectors} null before v7).
     */
    public static CommitFeatures of(String version, int buckets, WordVectors vectors) {
        return new CommitFeatures(version, buckets, vectors);
    }

    public int buckets() {
        return buckets;
    }

    public String version() {
        return version;
    }

    /** The current ({@link #VERSION}) feature names of a message (prefix removed) and its files, in order, with repeats. */
    public static List<String> names(String strippedMessage, List<FileChange> files) {
        return names(VERSION, strippedMessage, files);
    }

    /** The feature names of a version. */
    public static List<String> names(String version, String strippedMessage, List<FileChange> files) {
        List<String> out = new ArrayList<>();
        walk(strippedMessage, files, !version.equals(V4), v6(version), new Names(out));
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
                name[at] = MessageText.lowerAscii(text.charAt(k));
            }
            out.add(new String(name));
        }
    }

    /** From v6: 40 words of the body, and how much of the change each kind of file is. */
    private static boolean v6(String version) {
        return !version.equals(V4) && !version.equals(V5);
    }

    private static void walk(String strippedMessage, List<FileChange> files, boolean v5, boolean v6, Sink f) {
        String text = MessageText.readable(strippedMessage);
        // Bodies can be long (release notes in dependency bumps) and only their first words are used, so text is
        // lower-cased word by word as it is read (ASCII capitals only). That is exactly what lower-casing it whole, as
        // Unicode says, then matching [a-z][a-z0-9]* would find, unless the text holds one of the four characters
        // outside ASCII whose lower case or case-blind match is an ASCII letter: then it is lower-cased whole.
        // Lower-casing never adds or removes a line break, so the subject is the first line either way.
        boolean asRead = !MessageText.hasCaseFoldingToAscii(text);
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
        if (v5) {
            FeaturesV5.afterSubject(text, subject, words, f::add);
        }
        words(source, bodyStart, v6 ? BODY_WORDS : MAX_BODY_WORDS, "b=", f);
        boolean digits = MessageText.hasDigit(subject);
        if (digits && VERSION2.matcher(subject).find()) {
            f.add("ver");
        }
        if (subject.indexOf('#') >= 0 && REFERENCE.matcher(subject).find()) {
            f.add("prref");
        }
        if (source.indexOf('#') >= 0 && MessageText.closesAnIssue(source, asRead)) {
            f.add("closes");
        }
        if (MessageText.isBlank(source, bodyStart)) {
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
        if (v5) {
            FeaturesV5.afterSizes(added, deleted, f::add);
        }
        Map<String, Integer> kinds = new LinkedHashMap<>();
        Map<String, Long> kindLines = v6 ? new LinkedHashMap<>() : null; // features-v6 only
        int seen = 0;
        for (FileChange file : files) {
            if (seen++ == MAX_FILES) {
                break;
            }
            FileKinds.PathFeatures path = FileKinds.pathFeatures(file.path());
            f.add(path.extension());
            f.add(path.fileName());
            kinds.merge(path.kind(), 1, Integer::sum);
            if (v6) {
                kindLines.merge(path.kind(), (file.added() == null ? 0L : file.added())
                        + (file.deleted() == null ? 0L : file.deleted()), Long::sum);
            }
        }
        if (v6) {
            FeaturesV6.lineShares(kindLines, f::add);
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
        Hashing sink = new Hashing(hashed, SCRATCH.get());
        walk(strippedMessage, files, v5, v6, sink);
        int count = sink.count;
        int[] distinct = Arrays.copyOf(sink.ids, count);
        float[] weights = new float[count];
        Arrays.fill(weights, count == 0 ? 0f : (float) (1 / Math.sqrt(count)));
        Vector v = new Vector(distinct, weights, sink.names);
        return vectors == null ? v : FeaturesV7.withMeaning(v, strippedMessage, vectors, hashed);
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
                bytes[at] = (byte) MessageText.lowerAscii(text.charAt(k));
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
        return (int) (crc32(new CRC32(), name, new byte[256]) % hashed);
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
            char c = MessageText.lowerAscii(text.charAt(i));
            if (c >= 'a' && c <= 'z') {
                int start = i++;
                while (i < n) {
                    char d = MessageText.lowerAscii(text.charAt(i));
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
