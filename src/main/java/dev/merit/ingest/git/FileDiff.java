package dev.merit.ingest.git;

import dev.merit.ingest.ChangedFile.Category;
import dev.merit.ingest.ChangedFile.Change;
import org.eclipse.jgit.lib.ObjectId;

import java.util.BitSet;
import java.util.List;
import java.util.Map;

/** One changed path, with its content loaded and its edits computed. */
final class FileDiff {
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
