package dev.merit.scoring.classify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Model directories side by side ({@code models/commit-type}, {@code models/commit-type-5a2b8f0c9e5a}, ...), each a
 * {@code manifest.json} and its parameters; a model's hash is the SHA-256 of its manifest, which holds the SHA-256 of
 * its parameters. Finds the one a pinned hash names, so an older model stays selectable after a newer one ships.
 */
public final class ModelDirectories {

    private ModelDirectories() {
    }

    /** {@code configured} if its manifest has this hash, else the directory beside it whose manifest does. */
    public static Optional<Path> withHash(Path configured, String sha256) {
        for (Path dir : candidates(configured)) {
            Optional<String> hash = hash(dir);
            if (hash.isPresent() && hash.get().equalsIgnoreCase(sha256.strip())) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /** "dir (hash), ..." for every model directory considered: what a refusal names. */
    public static String describe(Path configured) {
        List<String> found = new ArrayList<>();
        for (Path dir : candidates(configured)) {
            hash(dir).ifPresent(h -> found.add(dir + " (" + h + ")"));
        }
        return found.isEmpty() ? "none" : String.join(", ", found);
    }

    /** The configured directory first, then its siblings in name order. */
    static List<Path> candidates(Path configured) {
        List<Path> out = new ArrayList<>(List.of(configured));
        Path parent = configured.toAbsolutePath().getParent();
        if (parent != null && Files.isDirectory(parent)) {
            try (Stream<Path> siblings = Files.list(parent)) {
                siblings.filter(Files::isDirectory).sorted()
                        .filter(p -> !p.toAbsolutePath().normalize().equals(configured.toAbsolutePath().normalize()))
                        .map(p -> configured.getParent() == null ? p.getFileName() : configured.getParent().resolve(p.getFileName()))
                        .forEach(out::add);
            } catch (IOException e) {
                // Only the configured directory, then.
            }
        }
        return out;
    }

    private static Optional<String> hash(Path dir) {
        Path manifest = dir.resolve(TypeClassifier.MANIFEST);
        try {
            return Files.isRegularFile(manifest) ? Optional.of(TypeClassifier.sha256(Files.readAllBytes(manifest)))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
