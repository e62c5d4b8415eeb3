package dev.merit;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where Merit is installed: the directory holding {@code contracts/} (the anvil node and the contracts' packages) and
 * {@code models/} (the type classifier), found from the jar itself (target/quarkus-app/... in a build, /app in the
 * image), so that Merit started from any working directory finds them. Paths configured explicitly win; the data
 * directory stays where it is configured ({@code ./data} of the working directory by default), and is printed.
 */
final class InstallHome {

    private InstallHome() {
    }

    /** Points the contracts and model directories at the installation unless configured; no-op if none is found. */
    static void apply(UnaryOperator<String> lookup) {
        Optional<Path> home = find(codeLocation());
        if (home.isEmpty()) {
            return;
        }
        if (lookup.apply("merit.chain.contracts-dir") == null && Files.isDirectory(home.get().resolve("contracts"))) {
            System.setProperty("merit.chain.contracts-dir", home.get().resolve("contracts").toString());
        }
        if (lookup.apply("merit.scoring.model-dir") == null
                && Files.isDirectory(home.get().resolve("models/commit-type"))) {
            System.setProperty("merit.scoring.model-dir", home.get().resolve("models/commit-type").toString());
        }
    }

    /** The nearest directory at or above {@code start} that holds contracts/package.json or models/commit-type. */
    static Optional<Path> find(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("contracts/package.json"))
                    || Files.isDirectory(dir.resolve("models/commit-type"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    private static Path codeLocation() {
        try {
            Path p = Path.of(InstallHome.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return (Files.isRegularFile(p) ? p.getParent() : p).toAbsolutePath();
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
