package dev.merit.cli;

import dev.merit.support.InProcess;
import dev.merit.support.InProcess.Run;
import dev.merit.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a command refuses, and how it says so: a missing path, an amount no one can mean, a month that does not exist, a
 * file that is a directory or cut short, an option out of its range. Each is one sentence on standard error and a
 * non-zero exit code, never a stack trace. The commands run in the test's application (what their own process adds,
 * the data directory and the embedded database, is {@code CommandLineIT}'s). Year 2008.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class CommandRefusalsTest {

    @Inject
    CommandLine.IFactory factory;

    private Run merit(String... args) {
        return InProcess.merit(factory, args);
    }

    @Test
    void badInputExitsNonZeroWithAClearMessage() {
        Run missing = merit("ingest", "/nonexistent/repo");
        assertThat(missing.exitCode()).as(missing.err()).isEqualTo(2);
        assertThat(missing.err()).contains("No such path").contains("/nonexistent/repo");

        Run budget = merit("payroll", "--epoch", "2008-01", "--budget", "0");
        assertThat(budget.exitCode()).isEqualTo(2);
        assertThat(budget.err()).contains("The budget must be more than 0 tokens");

        Run decimals = merit("payroll", "--epoch", "2008-02", "--budget", "0.0000000000000000001");
        assertThat(decimals.exitCode()).isEqualTo(2);
        assertThat(decimals.err()).contains("more decimal places than the token's 18");

        // An amount is refused in the terminal's words (an option is typed as it is, not "written as a string").
        Run separated = merit("payroll", "--epoch", "2008-05", "--budget", "1,000");
        assertThat(separated.exitCode()).isEqualTo(2);
        assertThat(separated.err()).contains("--budget must be a decimal number of tokens, such as 5000 or 12.5")
                .doesNotContain("written as a string");

        Run empty = merit("score", "--epoch", "2008-03");
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).contains("no contributions");

        // A month that does not exist, in words; a row count below 0 before anything is scored.
        Run month = merit("score", "--epoch", "2008-13");
        assertThat(month.exitCode()).isEqualTo(2);
        assertThat(month.err()).contains("there is no such month or day").doesNotContain("TemporalAccessor");
        Run top = merit("score", "--epoch", "2008-04", "--top", "-5");
        assertThat(top.exitCode()).isEqualTo(2);
        assertThat(top.err()).contains("--top is a number of rows, 0 or more; got -5.");
        assertThat(top.out()).doesNotContain("run #");

        Run unknown = merit("epochs", "delete", "2008-13");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.err()).contains("No epoch is named '2008-13'");
    }

    /** Files that are missing, a directory, or cut short: one sentence each, never a stack trace. */
    @Test
    void badFilesExitNonZeroWithASentence(@TempDir Path dir) throws IOException {
        Run directory = merit("evaluate", "--data", dir.toString());
        assertThat(directory.exitCode()).as(directory.err()).isEqualTo(2);
        assertThat(directory.err()).contains("it is a directory").doesNotContain("\tat ");

        Path cut = dir.resolve("cut.jsonl.gz");
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(whole)) {
            gz.write("{\"repo\":\"a/b\",\"message\":\"feat: x\"}\n".repeat(2000).getBytes(StandardCharsets.UTF_8));
        }
        Files.write(cut, Arrays.copyOf(whole.toByteArray(), whole.size() / 2));
        Run truncated = merit("evaluate", "--data", cut.toString());
        assertThat(truncated.exitCode()).as(truncated.err()).isNotZero();
        assertThat(truncated.err()).contains("error: ").doesNotContain("\tat ");

        // A file of nothing evaluable is refused, not scored "accuracy=0.0000".
        Path junk = dir.resolve("junk.jsonl");
        Files.writeString(junk, "not json\n{\"repo\":\"a/b\",\"message\":\"no prefix here\"}\n");
        Run nothing = merit("evaluate", "--data", junk.toString());
        assertThat(nothing.exitCode()).as(nothing.err()).isEqualTo(2);
        assertThat(nothing.err()).contains("No commit with a declared type was read").doesNotContain("\tat ");

        // A wallet file that is not there says so, as every command says a file it cannot read (exit 1).
        Run missing = merit("wallet", "import", dir.resolve("nothere.csv").toString());
        assertThat(missing.exitCode()).as(missing.err()).isEqualTo(1);
        assertThat(missing.err()).contains("error: no such file or directory: " + dir.resolve("nothere.csv"))
                .doesNotContain("\tat ");

        // Where the export goes is checked before the repository is read.
        Run nowhere = merit("export-dataset", dir.toString(), "--out", "/nonexistent/dir/x.jsonl");
        assertThat(nowhere.exitCode()).as(nowhere.err()).isNotZero();
        assertThat(nowhere.err()).contains("/nonexistent/dir").doesNotContain("\tat ");
    }

    /** Checked before hours of training, not when the model is written. */
    @Test
    void trainRefusesAnOccupiedDirectoryAndAShareOutsideZeroToOne(@TempDir Path dir) throws IOException {
        Path commits = Files.writeString(dir.resolve("commits.jsonl"), "{\"repo\":\"a/b\",\"message\":\"feat: x\"}\n");
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("manifest.json"), "{}");
        Run again = merit("train", "--data", commits.toString(), "--out", model.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("already holds a model");

        Run share = merit("train", "--data", commits.toString(), "--out", dir.resolve("other").toString(),
                "--own-history", "1.5");
        assertThat(share.exitCode()).isEqualTo(2);
        assertThat(share.err()).contains("--own-history is the newest share").contains("1.5");
    }
}
