package dev.merit.it;

import dev.merit.support.TempPaths;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher ({@code ./merit}) as a newcomer runs it, from another directory: a command runs on the flat class path
 * with the class-data archive it writes once per build, and the archive really maps ({@code -Xshare:on} makes the JVM
 * refuse to start otherwise, where the launcher's own {@code -Xshare:auto} would quietly run slower).
 */
class LauncherIT {

    private static final Path LAUNCHER = Path.of("merit").toAbsolutePath();

    private record Run(int exitCode, String output) {
    }

    private static Run merit(Path workDir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(workDir, "merit", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("MERIT_CHAIN_ENABLED", "false");
        builder.environment().put("MERIT_DATA_DIR", workDir.resolve("data").toString());
        builder.environment().put("MERIT_JAVA_OPTS", "-Xshare:on");
        Process process = builder.start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("merit " + String.join(" ", args) + " did not end:\n" + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    @Test
    void aCommandRunsOnTheFlatClassPathWithTheClassDataArchive() throws Exception {
        Path jar = PackagedApp.jar();
        Assumptions.assumeTrue(jar.toAbsolutePath().startsWith(LAUNCHER.getParent()),
                "the launcher runs the application packaged beside it");
        Assumptions.assumeFalse(sourcesNewerThan(jar), "sources changed since packaging: the launcher would rebuild");
        Path work = TempPaths.directory("merit-launcher");

        Run first = merit(work, "disputes"); // writes the class path and the archive if this build has none yet
        assertThat(first.exitCode()).as(first.output()).isZero();
        // The first command in a folder says it starts a database there; the next one finds it.
        assertThat(first.output()).contains("Merit data: " + work.resolve("data") + " (new: no database was here");
        Run second = merit(work, "disputes");
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).contains("Merit data: " + work.resolve("data") + "\n").contains("status")
                .doesNotContain("Building Merit").doesNotContain("Preparing").doesNotContain("ERROR");
        try (Stream<Path> files = Files.list(jar.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("merit-cli-") && n.endsWith(".jsa"))
                    .anyMatch(n -> n.startsWith("merit-cli-") && n.endsWith(".classpath"));
        }

        Run help = merit(work, "train", "--help");
        assertThat(help.exitCode()).as(help.output()).isZero();
        assertThat(help.output()).contains("Usage: merit train");
    }

    private static boolean sourcesNewerThan(Path jar) throws IOException {
        long built = Files.getLastModifiedTime(jar).toMillis();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            return files.anyMatch(p -> {
                try {
                    return Files.getLastModifiedTime(p).toMillis() > built;
                } catch (IOException e) {
                    return true;
                }
            });
        }
    }
}
