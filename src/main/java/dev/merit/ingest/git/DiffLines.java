package dev.merit.ingest.git;

import java.util.BitSet;

/**
 * Lines of one file's diff that a rule picked out (a formatter's hunks, repeated edits): deleted ones by their line
 * index in the old text, added ones by their line index in the new text.
 */
record DiffLines(BitSet deleted, BitSet added) {

    boolean isEmpty() {
        return deleted.isEmpty() && added.isEmpty();
    }
}
