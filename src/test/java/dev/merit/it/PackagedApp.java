package dev.merit.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Merit as its users run it: {@code java -jar target/quarkus-app/quarkus-run.jar COMMAND}, a real process with its
 * own data directory and environment, whose output is kept in a file the test can watch.
 */
final class PackagedApp implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final Path dataDir;

    private PackagedApp(Process process, Path log, Path dataDir) {
        this.process = process;
        this.log = log;
        this.dataDir = dataDir;
    }

    /** Whether a command was started that writes the class-data archive (one at a time, one per test run). */
    private static final java.util.concurrent.atomic.AtomicBoolean ARCHIVING = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * {@code java} and its options. The tests start Merit a few dozen times, and each start loads the same classes:
     * the first command that ends by itself ({@code mayArchive}) writes them to a class-data archive beside the jar
     * (named after the jar's time, so a new build writes a new one), and the starts after it map that archive, about
     * 0.7 s faster each (2.5 s against 3.2 s for {@code authors --tsv} here; the launcher does the same for users).
     * The archive's own log is off, so a start that cannot use it (another JVM, another jar) says nothing into the
     * output the tests read, and starts as users start it.
     */
    private static List<String> java(boolean mayArchive) {
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        try {
            Path jar = jar().toAbsolutePath();
            Path archive = jar.resolveSibling("merit-it-" + Files.getLastModifiedTime(jar).toMillis() + ".jsa");
            if (Files.exists(archive)) {
                java.add("-XX:SharedArchiveFile=" + archive);
            } else if (mayArchive && ARCHIVING.compareAndSet(false, true)) {
                java.add("-XX:ArchiveClassesAtExit=" + archive);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        java.addAll(List.of("-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off")); // as the launcher, ./merit
        return java;
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("merit.app.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("No packaged application at " + jar + ": run ./mvnw verify (it packages first)");
        }
        return jar;
    }

    /** A TCP port free now, for a server to listen on. */
    static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts {@code args} with the data directory {@code dataDir}; {@code env} adds or overrides variables. */
    static PackagedApp start(Path dataDir, Map<String, String> env, String... args) {
        List<String> command = java(false);
        command.addAll(List.of("-Dquarkus.log.console.level=INFO", "-jar", jar().toAbsolutePath().toString()));
        command.addAll(List.of(args));
        try {
            Path log = Files.createTempFile("merit-app", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).directory(dataDir.getParent().toFile());
            builder.environment().put("MERIT_DATA_DIR", dataDir.toString());
            builder.environment().putAll(env);
            return new PackagedApp(builder.start(), log, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command to its end and returns its exit code (fails the test after {@code timeout}). */
    static int run(Path dataDir, Map<String, String> env, Duration timeout, String... args) {
        try (PackagedApp app = start(dataDir, env, args)) {
            if (!app.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("merit " + String.join(" ", args) + " did not end within " + timeout
                        + ":\n" + app.output());
            }
            int exit = app.process.exitValue();
            if (exit != 0) { // the test's assertion says only the code; what the command said is in the test's output
                System.out.println("merit " + String.join(" ", args) + " exited " + exit + ":\n" + app.output());
            }
            return exit;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What a command printed: standard output and standard error apart, as a person's terminal tells them. */
    record Command(int exitCode, String out, String err) {
    }

    /**
     * Runs {@code args} to its end with the application's own log settings (a command line, not a server) and keeps
     * its standard output and standard error apart; fails the test after {@code timeout}.
     */
    static Command command(Path dataDir, Map<String, String> env, Duration timeout, String... args) {
        List<String> line = java(true);
        // The tests' commands are short: the quick compiler alone starts each in about 2.5 s instead of 3.4 s, with half
        // the CPU time (the optimising compiler's work pays off only in a long command, and a user's keeps it).
        line.addAll(List.of("-XX:TieredStopAtLevel=1", "-jar", jar().toAbsolutePath().toString()));
        line.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("merit-out", ".txt");
            Path err = Files.createTempFile("merit-err", ".txt");
            try {
                ProcessBuilder builder = new ProcessBuilder(line).redirectOutput(out.toFile()).redirectError(err.toFile())
                        .directory(dataDir.getParent().toFile());
                builder.environment().put("MERIT_DATA_DIR", dataDir.toString());
                builder.environment().putAll(env);
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("merit " + String.join(" ", args) + " did not end within " + timeout
                            + ":\n" + Files.readString(out) + Files.readString(err));
                }
                return new Command(process.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Path dataDir() {
        return dataDir;
    }

    Process process() {
        return process;
    }

    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the output satisfies {@code condition}; false if the process ended or time ran out first. */
    boolean awaitOutput(Predicate<String> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.test(output())) {
                return true;
            }
            if (!process.isAlive()) {
                return condition.test(output());
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** kill -9: no shutdown hook, no flush, no goodbye. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temporary file
        }
    }
}
