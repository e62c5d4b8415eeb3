package dev.merit.cli;

import dev.merit.problem.ProblemException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The dataset files train and evaluate read: each a readable file, checked before any work. */
final class DatasetFiles {

    private DatasetFiles() {
    }

    static void requireReadable(List<Path> data) {
        for (Path p : data) {
            if (!Files.isReadable(p) || Files.isDirectory(p)) {
                throw ProblemException.invalid("Cannot read " + p + (Files.isDirectory(p) ? ": it is a directory; give "
                        + "its dataset files (DIR/*.jsonl.gz)." : "."));
            }
        }
    }
}
