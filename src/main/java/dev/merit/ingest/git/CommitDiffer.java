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
import java.util.BitSet;
import java.util.EnumMap;
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
            MovedLines.registerDeletions(f, diffs.get(f), ledger);
        }
        for (FileDiff d : diffs) {
            MovedLines.classifyAdditions(d, ledger);
        }
        MovedLines.detectRenames(diffs);
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
        for (FileDiff[] pair : MovedLines.movedAndChanged(diffs)) {
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
            MovedLines.forEachDeleted(d, line -> {
                buffer.clear();
                sha.update(buffer.put((byte) '-').putLong(d.oldText.normalizedHash(line)).array());
                counted[0]++;
            });
            MovedLines.forEachAdded(d, line -> {
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
                excludedByName, whitespace, moved, repeated, effective), patchId(diffs), ChangedLineKeys.changedLines(diffs));
    }

}
