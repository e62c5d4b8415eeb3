package dev.merit.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Temporary files and directories for tests, deleted when the test JVM exits. Not earlier: repositories registered
 * with the service stay referenced by path in the shared test database for the whole run.
 */
public final class TempPaths {

    private static final List<Path> CREATED = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TempPaths::deleteAll, "merit-test-temp-cleanup"));
    }

    private TempPaths() {
    }

    public static Path directory(String prefix) {
        try {
            return register(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path file(String prefix, String suffix) {
        try {
            return register(Files.createTempFile(prefix, suffix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized Path register(Path path) {
        CREATED.add(path);
        return path;
    }

    private static synchronized void deleteAll() {
        for (Path root : CREATED) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // Best effort at exit: a path that cannot be walked is left behind.
            }
        }
    }
}
