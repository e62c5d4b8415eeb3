package dev.merit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A data directory for one command's throw-away database, deleted when the process ends. */
final class ScratchData {

    private ScratchData() {
    }

    static Path directory() {
        try {
            Path dir = Files.createTempDirectory("merit-scratch-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir), "merit-scratch-cleanup"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch data directory: " + e.getMessage(), e);
        }
    }

    /**
     * Deletes {@code dir} and everything in it, as far as it can: what cannot be deleted stays (a caller that needs it
     * gone checks).
     */
    static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Not there, or left: a scratch directory is in the system's temporary directory, which it clears.
        }
    }
}
