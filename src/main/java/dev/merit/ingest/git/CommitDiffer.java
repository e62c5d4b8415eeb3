package dev.merit.ingest.git;

import dev.merit.ingest.ChangedFile;
import dev.merit.ingest.ChangedLines;
import dev.merit.ingest.ChangedFile.Category;
import dev.merit.ingest.ChangedFile.Change;
import dev.merit.ingest.ContributionMetrics;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Diffs one commit against its first parent, file by file, the way {@code git log --numstat --no-renames}
 * counts lines ({@link GitLineDiff}, binary when the first 8000 bytes hold a NUL), then measures how much of the change
 * is work: excluded file categories, blank and whitespace-only lines, reformatted hunks, repeated edits, moved lines,
 * renames.
 * Thread-safe: each call uses only the reader it is given.
 */
final class CommitDiffer {

    /** git's binary heuristic looks at this many leading bytes. */
    private static final int BINARY_PROBE = 8000;
    /** At most this many deleted and added files of one name are paired (a commit adding hundreds of BUILD files). */
    private static final int MAX_SAME_NAME = 16;

    private final PathClassifier classifier;
    private final long maxDiffBytes;
    private final boolean allowMissingBlobs;
    private final Set<ObjectId> missingBlobs = ConcurrentHashMap.newKeySet();
    private final BlobCache cache = new BlobCache(256L << 20);

    /**
     * @param allowMissingBlobs whether a blob absent from the object database (a partial clone) is counted and its
     *                          file recorded without line counts, like a file too large to diff, instead of failing
     */
    CommitDiffer(PathClassifier classifier, long maxDiffBytes, boolean allowMissingBlobs) {
        this.classifier = classifier;
        this.maxDiffBytes = maxDiffBytes;
        this.allowMissingBlobs = allowMissingBlobs;
    }

    /** Distinct blobs that were absent and skipped so far (only when allowed). */
    long missingBlobs() {
        return missingBlobs.size();
    }

    /**
     * @param patchId the commit's patch identity ({@link #patchId}); null when it changes no line of text
     * @param lines   keys of the effective lines it added and deleted ({@link #changedLines}); null when there are none
     */
    record Result(List<ChangedFile> files, ContributionMetrics metrics, String patchId, ChangedLines lines) {
    }

    /** One changed path, with its content loaded and its edits computed. */
    private static final class FileDiff {
        String path;
        Change change;
        Category category;
        ObjectId oldId;
        ObjectId newId;
        HashedText oldText;
        HashedText newText;
        GitLineDiff.Result lines;
        int added;
        int deleted;
        int workAdded;
        int blankAdded;
        int movedAdded;
        int whitespaceAdded;
        int blankDeleted;
        /** Added lines counted as work (line numbers of the new text). */
        BitSet workAddedLines;
        /** Deleted non-blank lines registered with the ledger, in line order; work unless matched. */
        List<MovedLineLedger.Deleted> registered;
        /** Lines of hunks a formatter could have written ({@link Reformatting}); null when there are none. */
        DiffLines reformatted;
        int reformattedAdded;
        int reformattedDeleted;
        /** Lines of a replacement made again and again in the commit ({@link RepeatedEdits}); null when there are none. */
        DiffLines repeated;
        int repeatedAdded;
        int repeatedDeleted;
        String renamedFrom;
        Map<Integer, Integer> movedFrom;
    }

    /** Diffs {@code newTree} against {@code oldTree} (null for a root commit). Merges are not diffed. */
    Result diff(ObjectReader reader, ObjectId oldTree, ObjectId newTree) throws IOException {
        List<FileDiff> diffs = new ArrayList<>();
        try (TreeWalk walk = new TreeWalk(reader)) {
            walk.setRecursive(true);
            if (oldTree == null) {
                walk.addTree(new EmptyTreeIterator());
            } else {
                walk.addTree(oldTree);
            }
            walk.addTree(newTree);
            walk.setFilter(TreeFilter.ANY_DIFF);
            while (walk.next()) {
                diffs.add(load(reader, walk));
            }
        }
        findRepeatedEdits(diffs);
        MovedLineLedger ledger = new MovedLineLedger(diffs.size());
        for (int f = 0; f < diffs.size(); f++) {
            registerDeletions(f, diffs.get(f), ledger);
        }
        for (FileDiff d : diffs) {
            classifyAdditions(d, ledger);
        }
        detectRenames(diffs);
        return summarise(diffs, ledger);
    }

    /**
     * Marks the repeated edits ({@link RepeatedEdits}) of modified source files, and of files moved and changed in the
     * same commit: a deleted file and an added one with the same name are compared as one file (the name's only
     * pair, or the pair whose directories end alike), so renaming {@code swagger} to {@code openapi} throughout a
     * package that moves is search and replace too.
     */
    private static void findRepeatedEdits(List<FileDiff> diffs) {
        List<RepeatedEdits.FileEdits> edits = new ArrayList<>(diffs.size());
        // For each entry of edits: the file whose old lines it covers and the file whose new lines it covers.
        List<FileDiff> oldSides = new ArrayList<>(diffs.size());
        List<FileDiff> newSides = new ArrayList<>(diffs.size());
        for (FileDiff d : diffs) {
            if (d.category == Category.SOURCE && d.lines != null) {
                edits.add(new RepeatedEdits.FileEdits(d.oldText, d.newText, d.lines, d.reformatted));
                oldSides.add(d);
                newSides.add(d);
            }
        }
        for (FileDiff[] pair : movedAndChanged(diffs)) {
            edits.add(new RepeatedEdits.FileEdits(pair[0].oldText, pair[1].newText,
                    GitLineDiff.diff(pair[0].oldText, pair[1].newText), null));
            oldSides.add(pair[0]);
            newSides.add(pair[1]);
        }
        if (edits.isEmpty()) {
            return;
        }
        DiffLines[] repeated = RepeatedEdits.find(edits);
        for (int e = 0; e < edits.size(); e++) {
            if (repeated[e] == null) {
                continue;
            }
            FileDiff oldSide = oldSides.get(e);
            FileDiff newSide = newSides.get(e);
            if (oldSide == newSide) {
                oldSide.repeated = repeated[e];
            } else {
                oldSide.repeated = new DiffLines(repeated[e].deleted(), new BitSet());
                newSide.repeated = new DiffLines(new BitSet(), repeated[e].added());
            }
        }
    }

    /**
     * Pairs of a deleted and an added source file with the same file name and different content: {deleted, added}.
     * Among several of one name, each added file takes the deleted one whose directories end with the most equal
     * names; files identical to a deleted one are renames, with nothing to compare.
     */
    private static List<FileDiff[]> movedAndChanged(List<FileDiff> diffs) {
        Map<String, List<FileDiff>> deleted = new HashMap<>();
        Map<String, List<FileDiff>> added = new HashMap<>();
        for (FileDiff d : diffs) {
            if (d.category != Category.SOURCE || d.oldText == null || d.newText == null) {
                continue;
            }
            if (d.change == Change.DELETE && d.oldText.size() > 0) {
                deleted.computeIfAbsent(fileName(d.path), k -> new ArrayList<>()).add(d);
            } else if (d.change == Change.ADD && d.newText.size() > 0) {
                added.computeIfAbsent(fileName(d.path), k -> new ArrayList<>()).add(d);
            }
        }
        List<FileDiff[]> pairs = new ArrayList<>();
        for (Map.Entry<String, List<FileDiff>> e : new TreeMap<>(added).entrySet()) {
            List<FileDiff> candidates = deleted.get(e.getKey());
            if (candidates == null || candidates.size() > MAX_SAME_NAME || e.getValue().size() > MAX_SAME_NAME) {
                continue;
            }
            List<FileDiff> free = new ArrayList<>(candidates);
            for (FileDiff a : e.getValue()) {
                FileDiff best = null;
                int bestShared = -1;
                for (FileDiff d : free) {
                    int shared = sharedTail(d.path, a.path);
                    if (shared > bestShared) {
                        best = d;
                        bestShared = shared;
                    }
                }
                if (best != null) {
                    free.remove(best);
                    if (!best.oldId.equals(a.newId)) {
                        pairs.add(new FileDiff[]{best, a});
                    }
                }
            }
        }
        return pairs;
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** How many trailing path segments two paths share. */
    private static int sharedTail(String a, String b) {
        String[] x = a.split("/");
        String[] y = b.split("/");
        int n = 0;
        while (n < Math.min(x.length, y.length) && x[x.length - 1 - n].equals(y[y.length - 1 - n])) {
            n++;
        }
        return n;
    }

    /**
     * What {@code git patch-id} identifies: the changed lines, file by file in path order, deleted then added, with
     * whitespace and line numbers left out, hashed (SHA-256). Two commits that make the same change (a cherry-pick, a
     * change applied again on a branch merged back) have the same identity wherever they apply it. Binary files count
     * by path and new content. Null when the commit changes no line.
     */
    private static String patchId(List<FileDiff> diffs) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer buffer = ByteBuffer.allocate(9);
        boolean any = false;
        for (FileDiff d : diffs) {
            sha.update(d.path.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            if (d.category == Category.BINARY) {
                sha.update(d.newId.name().getBytes(StandardCharsets.US_ASCII));
                continue;
            }
            int[] counted = {0};
            forEachDeleted(d, line -> {
                buffer.clear();
                sha.update(buffer.put((byte) '-').putLong(d.oldText.normalizedHash(line)).array());
                counted[0]++;
            });
            forEachAdded(d, line -> {
                buffer.clear();
                sha.update(buffer.put((byte) '+').putLong(d.newText.normalizedHash(line)).array());
                counted[0]++;
            });
            any |= counted[0] > 0;
        }
        return any ? HexFormat.of().formatHex(sha.digest()) : null;
    }

    private FileDiff load(ObjectReader reader, TreeWalk walk) throws IOException {
        FileDiff d = new FileDiff();
        d.path = walk.getPathString();
        FileMode oldMode = walk.getFileMode(0);
        FileMode newMode = walk.getFileMode(1);
        d.change = oldMode == FileMode.MISSING ? Change.ADD : newMode == FileMode.MISSING ? Change.DELETE : Change.MODIFY;
        d.oldId = walk.getObjectId(0);
        d.newId = walk.getObjectId(1);
        HashedText oldText = oldMode == FileMode.REGULAR_FILE || oldMode == FileMode.EXECUTABLE_FILE
                ? cache.peek(d.oldId) : null;
        HashedText newText = newMode == FileMode.REGULAR_FILE || newMode == FileMode.EXECUTABLE_FILE
                ? cache.take(d.newId) : null;
        if (oldText == null) {
            byte[] bytes = content(reader, oldMode, d.oldId);
            if (bytes == null || isBinary(bytes)) {
                d.category = Category.BINARY;
                return d;
            }
            oldText = new HashedText(bytes);
            if (oldMode == FileMode.REGULAR_FILE || oldMode == FileMode.EXECUTABLE_FILE) {
                cache.put(d.oldId, oldText);
            }
        }
        if (newText == null) {
            byte[] bytes = content(reader, newMode, d.newId);
            if (bytes == null || isBinary(bytes)) {
                d.category = Category.BINARY;
                return d;
            }
            newText = new HashedText(bytes);
        }
        d.category = classifier.classify(d.path, (d.change == Change.DELETE ? oldText : newText).content());
        d.oldText = oldText;
        d.newText = newText;
        if (d.change == Change.ADD) {
            d.added = d.newText.size();
        } else if (d.change == Change.DELETE) {
            d.deleted = d.oldText.size();
        } else if (!d.oldId.equals(d.newId)) {
            d.lines = GitLineDiff.diff(d.oldText, d.newText);
            d.added = d.lines.addedCount();
            d.deleted = d.lines.deletedCount();
            if (d.category == Category.SOURCE) {
                DiffLines reformatted = Reformatting.find(d.oldText, d.newText, d.lines);
                d.reformatted = reformatted.isEmpty() ? null : reformatted;
            }
        }
        return d;
    }

    /** Blob bytes; a submodule is the one line git diffs for it; null when too large to diff (or absent, if allowed). */
    private byte[] content(ObjectReader reader, FileMode mode, ObjectId id) throws IOException {
        if (mode == FileMode.MISSING) {
            return new byte[0];
        }
        if (mode == FileMode.GITLINK) {
            return ("Subproject commit " + id.name() + "\n").getBytes(StandardCharsets.US_ASCII);
        }
        ObjectLoader loader;
        try {
            loader = reader.open(id, Constants.OBJ_BLOB);
        } catch (MissingObjectException e) {
            if (!allowMissingBlobs) {
                throw e;
            }
            missingBlobs.add(id.copy());
            return null;
        }
        if (loader.getSize() > maxDiffBytes) {
            return null;
        }
        return loader.getCachedBytes(Integer.MAX_VALUE);
    }

    private static boolean isBinary(byte[] bytes) {
        int n = Math.min(bytes.length, BINARY_PROBE);
        for (int i = 0; i < n; i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private static void registerDeletions(int file, FileDiff d, MovedLineLedger ledger) {
        if (d.category != Category.SOURCE) {
            return;
        }
        forEachDeleted(d, line -> {
            if (d.reformatted != null && d.reformatted.deleted().get(line)) {
                d.reformattedDeleted++;
                return;
            }
            if (d.repeated != null && d.repeated.deleted().get(line)) {
                d.repeatedDeleted++;
                return;
            }
            long normalized = d.oldText.normalizedHash(line);
            if (normalized == HashedText.BLANK) {
                d.blankDeleted++;
            } else {
                if (d.registered == null) {
                    d.registered = new ArrayList<>();
                }
                d.registered.add(ledger.deleted(file, line, d.oldText.exactHash(line), normalized));
            }
        });
    }

    private static void classifyAdditions(FileDiff d, MovedLineLedger ledger) {
        if (d.category != Category.SOURCE) {
            return;
        }
        forEachAdded(d, line -> {
            if (d.reformatted != null && d.reformatted.added().get(line)) {
                d.reformattedAdded++;
                return;
            }
            if (d.repeated != null && d.repeated.added().get(line)) {
                d.repeatedAdded++;
                return;
            }
            long normalized = d.newText.normalizedHash(line);
            if (normalized == HashedText.BLANK) {
                d.blankAdded++;
                return;
            }
            switch (ledger.added(d.newText.exactHash(line), normalized)) {
                case WORK -> {
                    d.workAdded++;
                    if (d.workAddedLines == null) {
                        d.workAddedLines = new BitSet();
                    }
                    d.workAddedLines.set(line);
                }
                case MOVED -> {
                    d.movedAdded++;
                    if (d.change == Change.ADD) {
                        if (d.movedFrom == null) {
                            d.movedFrom = new HashMap<>();
                        }
                        d.movedFrom.merge(ledger.lastSourceFile, 1, Integer::sum);
                    }
                }
                case WHITESPACE -> d.whitespaceAdded++;
            }
        });
    }

    private interface LineVisitor {
        void visit(int line);
    }

    private static void forEachDeleted(FileDiff d, LineVisitor visitor) {
        if (d.change == Change.DELETE) {
            for (int i = 0; i < d.oldText.size(); i++) {
                visitor.visit(i);
            }
        } else if (d.lines != null) {
            for (int line : d.lines.deleted()) {
                visitor.visit(line);
            }
        }
    }

    private static void forEachAdded(FileDiff d, LineVisitor visitor) {
        if (d.change == Change.ADD) {
            for (int i = 0; i < d.newText.size(); i++) {
                visitor.visit(i);
            }
        } else if (d.lines != null) {
            for (int line : d.lines.added()) {
                visitor.visit(line);
            }
        }
    }

    /**
     * An added file is a rename of a deleted one when it has the same content, or when at least half of its
     * lines moved from that one file. Line counts stay as git counts them without rename detection.
     */
    private static void detectRenames(List<FileDiff> diffs) {
        Map<ObjectId, FileDiff> deletedById = new HashMap<>();
        for (FileDiff d : diffs) {
            if (d.change == Change.DELETE) {
                deletedById.putIfAbsent(d.oldId, d);
            }
        }
        for (FileDiff d : diffs) {
            if (d.change != Change.ADD) {
                continue;
            }
            FileDiff same = deletedById.remove(d.newId);
            if (same != null) {
                d.renamedFrom = same.path;
            } else if (d.movedFrom != null) {
                int bestFile = -1;
                int bestLines = 0;
                for (Map.Entry<Integer, Integer> e : new TreeMap<>(d.movedFrom).entrySet()) {
                    if (e.getValue() > bestLines) {
                        bestFile = e.getKey();
                        bestLines = e.getValue();
                    }
                }
                FileDiff source = diffs.get(bestFile);
                if (source.change == Change.DELETE && 2 * bestLines >= d.added) {
                    d.renamedFrom = source.path;
                }
            }
        }
    }

    private static Result summarise(List<FileDiff> diffs, MovedLineLedger ledger) {
        List<ChangedFile> files = new ArrayList<>(diffs.size());
        int added = 0;
        int deleted = 0;
        int binary = 0;
        int renamed = 0;
        int whitespace = 0;
        int moved = 0;
        int repeated = 0;
        int effective = 0;
        Map<Category, Integer> excluded = new EnumMap<>(Category.class);
        for (int f = 0; f < diffs.size(); f++) {
            FileDiff d = diffs.get(f);
            if (d.category == Category.BINARY) {
                binary++;
                files.add(new ChangedFile(d.path, null, d.change, null, null, Category.BINARY, 0));
                continue;
            }
            added += d.added;
            deleted += d.deleted;
            int fileEffective = 0;
            if (d.category == Category.SOURCE) {
                int movedDeleted = ledger.movedDeleted[f];
                int whitespaceDeleted = ledger.whitespaceDeleted[f];
                whitespace += d.blankAdded + d.whitespaceAdded + d.blankDeleted + whitespaceDeleted
                        + d.reformattedAdded + d.reformattedDeleted;
                moved += d.movedAdded + movedDeleted;
                repeated += d.repeatedAdded + d.repeatedDeleted;
                fileEffective = d.workAdded + d.deleted - d.blankDeleted - movedDeleted - whitespaceDeleted
                        - d.reformattedDeleted - d.repeatedDeleted;
            } else if (d.added + d.deleted > 0) {
                excluded.merge(d.category, d.added + d.deleted, Integer::sum);
            }
            effective += fileEffective;
            Change change = d.renamedFrom != null ? Change.RENAME : d.change;
            if (d.renamedFrom != null) {
                renamed++;
            }
            files.add(new ChangedFile(d.path, d.renamedFrom, change, d.added, d.deleted, d.category, fileEffective));
        }
        Map<String, Integer> excludedByName = new TreeMap<>();
        excluded.forEach((k, v) -> excludedByName.put(k.name().toLowerCase(Locale.ROOT), v));
        return new Result(files, new ContributionMetrics(added, deleted, diffs.size(), binary, renamed,
                excludedByName, whitespace, moved, repeated, effective), patchId(diffs), changedLines(diffs));
    }

    /**
     * Keys of the effective lines (source files only): each work line hashed with the work lines before and after it
     * in the same run of consecutive changed lines (or a run boundary), whitespace left out, and with the file's path
     * in a run of one or two. Lines that are not work (blank, moved, reformatted) are passed over without ending the
     * run.
     */
    private static ChangedLines changedLines(List<FileDiff> diffs) {
        KeyBuffer added = new KeyBuffer();
        KeyBuffer deleted = new KeyBuffer();
        for (FileDiff d : diffs) {
            if (d.category != Category.SOURCE) {
                continue;
            }
            if (d.workAddedLines != null) {
                RunKeys run = new RunKeys(added, d.path);
                forEachAdded(d, line -> run.line(line, d.workAddedLines.get(line) ? d.newText.normalizedHash(line) : 0));
                run.end();
            }
            if (d.registered != null) {
                RunKeys run = new RunKeys(deleted, d.path);
                int[] next = {0};
                forEachDeleted(d, line -> {
                    long key = 0;
                    if (next[0] < d.registered.size() && d.registered.get(next[0]).line == line) {
                        MovedLineLedger.Deleted entry = d.registered.get(next[0]++);
                        key = entry.matched ? 0 : entry.normalized;
                    }
                    run.line(line, key);
                });
                run.end();
            }
        }
        return added.size == 0 && deleted.size == 0 ? null : new ChangedLines(added.toArray(), deleted.toArray());
    }

    /** A growable array of keys. */
    private static final class KeyBuffer {
        long[] keys = new long[64];
        int size;

        void add(long key) {
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
            }
            keys[size++] = key;
        }

        long[] toArray() {
            return Arrays.copyOf(keys, size);
        }
    }

    /**
     * Turns one side of one file's changed lines, in order, into keys of its work lines. A run of fewer than
     * {@link #SHORT_RUN} work lines is keyed with the file's path as well: a lone {@code import re} or version line
     * is the same line only in the same file, while a block is the same block wherever it moved.
     */
    private static final class RunKeys {
        private static final int SHORT_RUN = 3;
        private static final long RUN_EDGE = 0x5bd1e9955bd1e995L;
        private final KeyBuffer out;
        private final long path;
        private final KeyBuffer run = new KeyBuffer();
        private int last = -2;

        RunKeys(KeyBuffer out, String path) {
            this.out = out;
            long h = 0xcbf29ce484222325L;
            for (int i = 0; i < path.length(); i++) {
                h = (h ^ path.charAt(i)) * 0x100000001b3L;
            }
            this.path = h;
        }

        /** @param hash the line's whitespace-free hash when it is a work line, else 0 */
        void line(int line, long hash) {
            if (line != last + 1) {
                end();
            }
            last = line;
            if (hash != 0) {
                run.add(hash);
            }
        }

        void end() {
            int n = run.size;
            for (int i = 0; i < n; i++) {
                long key = key(i == 0 ? RUN_EDGE : run.keys[i - 1], run.keys[i], i == n - 1 ? RUN_EDGE : run.keys[i + 1]);
                out.add(n < SHORT_RUN ? key(path, key, RUN_EDGE) : key);
            }
            run.size = 0;
        }

        private static long key(long before, long line, long after) {
            long h = line * 0x9E3779B97F4A7C15L;
            h = Long.rotateLeft(h ^ before * 0xC2B2AE3D27D4EB4FL, 27) * 0x94D049BB133111EBL;
            h = Long.rotateLeft(h ^ after * 0xFF51AFD7ED558CCDL, 31) * 0xC4CEB9FE1A85EC53L;
            return h ^ (h >>> 33);
        }
    }
}
