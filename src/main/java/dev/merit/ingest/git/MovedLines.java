package dev.merit.ingest.git;

import dev.merit.ingest.ChangedFile.Category;
import dev.merit.ingest.ChangedFile.Change;
import org.eclipse.jgit.lib.ObjectId;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Moved code and renames across one commit's files: deleted lines are registered with the commit's
 * {@link MovedLineLedger}, added lines that match one elsewhere are moved (not work), and a deleted and an added file
 * of one name whose content mostly matches are a rename.
 */
final class MovedLines {

    /** At most this many deleted and added files of one name are paired (a commit adding hundreds of BUILD files). */
    private static final int MAX_SAME_NAME = 16;

    private MovedLines() {
    }

    /**
     * Pairs of a deleted and an added source file with the same file name and different content: {deleted, added}.
     * Among several of one name, each added file takes the deleted one whose directories end with the most equal
     * names; files identical to a deleted one are renames, with nothing to compare.
     */
    static List<FileDiff[]> movedAndChanged(List<FileDiff> diffs) {
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

    static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** How many trailing path segments two paths share. */
    static int sharedTail(String a, String b) {
        String[] x = a.split("/");
        String[] y = b.split("/");
        int n = 0;
        while (n < Math.min(x.length, y.length) && x[x.length - 1 - n].equals(y[y.length - 1 - n])) {
            n++;
        }
        return n;
    }

    static void registerDeletions(int file, FileDiff d, MovedLineLedger ledger) {
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

    static void classifyAdditions(FileDiff d, MovedLineLedger ledger) {
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

    interface LineVisitor {
        void visit(int line);
    }

    static void forEachDeleted(FileDiff d, LineVisitor visitor) {
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

    static void forEachAdded(FileDiff d, LineVisitor visitor) {
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
    static void detectRenames(List<FileDiff> diffs) {
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
}
