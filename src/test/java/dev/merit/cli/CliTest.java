package dev.merit.cli;

import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusMainTest
@WithTestResource(PostgresResource.class)
class CliTest {

    @Test
    void ingestScoreAndPayrollPrintReadableTables(QuarkusMainLauncher launcher) {
        TestRepo r = TestRepo.create("merit-cli", Instant.parse("2004-06-01T00:00:00Z"));
        r.write("a.txt", "one\ntwo\n").commit("feat: a", "Ann Example", "ann@example.com");
        r.write("b.txt", "three\nfour\nfive\n").commit("fix: b", "Ben Example", "ben@example.com");

        LaunchResult ingest = launcher.launch("ingest", r.path());
        assertThat(ingest.exitCode()).isZero();
        assertThat(ingest.getOutput()).contains("commits read").contains("2");

        LaunchResult again = launcher.launch("ingest", r.path());
        assertThat(again.exitCode()).as(again.getErrorOutput()).isZero();
        assertThat(again.getOutput()).contains("already known");
        assertThat(again.getOutput().lines().filter(l -> l.contains("HEAD")).findFirst().orElseThrow())
                .matches(".*HEAD\\s+\\w+\\s+0\\s+0\\s+0\\s+0\\s+.*");

        LaunchResult score = launcher.launch("score", "--epoch", "2004-06");
        assertThat(score.exitCode()).isZero();
        assertThat(score.getOutput()).contains("Ann Example").contains("Ben Example").contains("share");

        LaunchResult payroll = launcher.launch("payroll", "--epoch", "2004-06-01..2004-07-01", "--budget", "1000.5",
                "--cap", "600");
        assertThat(payroll.exitCode()).isZero();
        assertThat(payroll.getOutput()).contains("= budget: yes").contains("1000500000000000000000")
                .contains("Content hash");
        String proposal = payroll.getOutput().replaceAll("(?s).*merit verify (\\d+).*", "$1");

        LaunchResult verify = launcher.launch("verify", proposal);
        assertThat(verify.exitCode()).isZero();
        assertThat(verify.getOutput()).contains("verify ok");
    }

    @Test
    void trainReportsLeaveOneRepositoryOutAndOwnHistoryAndWritesANewModel(QuarkusMainLauncher launcher,
                                                                           @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        // Three repositories of templated commits, in time order.
        String[][] kinds = {{"feat", "add %s support", "src/%s.ts", "40"}, {"fix", "%s crash on empty input", "src/%s.ts", "3"},
                {"docs", "document the %s options", "docs/%s.md", "20"}, {"test", "cover %s edge cases", "tests/%s.test.ts", "30"}};
        String[] nouns = {"parser", "cache", "login", "export", "queue"};
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 360; i++) {
            String[] k = kinds[i % kinds.length];
            String noun = nouns[(i / 4) % nouns.length];
            jsonl.append(String.format(java.util.Locale.ROOT, "{\"repo\": \"org/r%d\", \"sha\": \"%040x\", \"time\": %d, "
                    + "\"author\": \"a%d\", \"message\": \"%s: %s\", \"files\": [{\"path\": \"%s\", \"added\": %s, "
                    + "\"deleted\": 1}]}%n", i % 3, i, 1_700_000_000 + i, i % 7, k[0], String.format(k[1], noun),
                    String.format(k[2], noun), k[3]));
        }
        java.nio.file.Path data = dir.resolve("commits.jsonl");
        java.nio.file.Files.writeString(data, jsonl);
        String out = dir.resolve("model").toString();

        LaunchResult train = launcher.launch("train", "--data", data.toString(), "--out", out, "--epochs", "2",
                "--own-history", "0.25");
        assertThat(train.exitCode()).as(train.getErrorOutput()).isZero();
        assertThat(train.getOutput()).contains("+ own older commits: accuracy").contains("mean on the newest commits")
                .contains("held-out repository").contains("org/r0").contains("org/r2");
        assertThat(train.getOutput().lines().filter(l -> l.startsWith("train n=")).findFirst().orElseThrow())
                .matches("train n=360 loro_accuracy=[01]\\.\\d{4} loro_macro_f1=[01]\\.\\d{4} loro_type_factor_error=[01]\\.\\d{4} loro_ece=[01]\\.\\d{4} model=[0-9a-f]{64}");
        assertThat(java.nio.file.Files.readString(dir.resolve("model").resolve("manifest.json")))
                .contains("\"ownHistory\"").contains("\"newestShare\" : 0.25");

        // evaluate the new model: labelled commits are scored, commits without a prefix are typed but not scored
        java.nio.file.Path plain = dir.resolve("plain.jsonl");
        java.nio.file.Files.writeString(plain, String.join("\n",
                "{\"repo\": \"org/plain\", \"sha\": \"p1\", \"time\": 1, \"author\": \"x\", \"message\": \"Document the cache options\", \"files\": [{\"path\": \"docs/cache.md\", \"added\": 20, \"deleted\": 1}]}",
                "not json", ""));
        LaunchResult evaluate = launcher.launch("evaluate", "--data", data.toString(), plain.toString(), "--model", out);
        assertThat(evaluate.exitCode()).as(evaluate.getErrorOutput()).isZero();
        assertThat(evaluate.getOutput()).contains("read 361 commits, 1 malformed lines")
                .contains("same type weight").contains("In pay, under the policy's type weights (feature 1, fix 1, docs 0.6")
                .contains("The 1 commits without a known prefix (not evaluated)");
        assertThat(evaluate.getOutput().lines().filter(l -> l.startsWith("evaluate n=")).findFirst().orElseThrow())
                .matches("evaluate n=360 accuracy=[01]\\.\\d{4} macro_f1=[01]\\.\\d{4} type_factor_error=[01]\\.\\d{4} ece=[01]\\.\\d{4}");

        LaunchResult again = launcher.launch("train", "--data", data.toString(), "--out", out);
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.getErrorOutput()).contains("already holds a model");

        // In groups of repositories, the figures say so: they are not leave-one-repository-out ones.
        LaunchResult grouped = launcher.launch("train", "--data", data.toString(), "--out", dir.resolve("grouped").toString(),
                "--epochs", "1", "--folds", "2");
        assertThat(grouped.exitCode()).as(grouped.getErrorOutput()).isZero();
        assertThat(grouped.getOutput().lines().filter(l -> l.startsWith("train n=")).findFirst().orElseThrow())
                .matches("train n=360 cv2_accuracy=[01]\\.\\d{4} cv2_macro_f1=[01]\\.\\d{4} cv2_type_factor_error=[01]\\.\\d{4} cv2_ece=[01]\\.\\d{4} model=[0-9a-f]{64}");

        LaunchResult share = launcher.launch("train", "--data", data.toString(), "--out", dir.resolve("other").toString(),
                "--own-history", "1.5");
        assertThat(share.exitCode()).isEqualTo(2);
        assertThat(share.getErrorOutput()).contains("--own-history is the newest share").contains("1.5");
    }

    @Test
    void exportDatasetReadsAPartialCloneOnlyWhenAskedAndNamesTheRepository(QuarkusMainLauncher launcher,
                                                                       @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        TestRepo r = TestRepo.create("merit-cli-partial", Instant.parse("1982-01-01T00:00:00Z"));
        String big = "row\n".repeat(300);
        r.write("big.csv", big).write("README.md", "hi\n").commit("docs: data", "Ada Partial", "ada@partial.example");
        String blob = r.dropBlob(big);
        java.nio.file.Path out = dir.resolve("partial.jsonl");

        LaunchResult refused = launcher.launch("export-dataset", r.path(), "--out", out.toString());
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.getErrorOutput()).contains("Missing blob " + blob).contains("--allow-missing-blobs");

        LaunchResult exported = launcher.launch("export-dataset", r.path(), "--out", out.toString(), "--name",
                "example/partial", "--allow-missing-blobs");
        assertThat(exported.exitCode()).as(exported.getErrorOutput()).isZero();
        assertThat(exported.getOutput()).contains("1 file versions had no content in the clone")
                .contains("wrote 1 commits of example/partial");
        assertThat(java.nio.file.Files.readString(out)).contains("\"repo\":\"example/partial\"")
                .contains("{\"path\":\"big.csv\",\"added\":null,\"deleted\":null}");
    }

    @Test
    void everyCommandAndSubcommandAnswersHelp(QuarkusMainLauncher launcher) {
        // train has required options, and chain propose is a subcommand's subcommand: --help must still print usage,
        // not an error (MeritCommand.commandLine gives every command the option; one launch is ~10 s, so two cases).
        for (String[] args : new String[][]{{"train", "--help"}, {"chain", "propose", "--help"}}) {
            LaunchResult help = launcher.launch(args);
            String command = String.join(" ", args);
            assertThat(help.exitCode()).as(command + ": " + help.getErrorOutput()).isZero();
            assertThat(help.getOutput()).as(command).contains("Usage: merit " + args[0]).contains("--help");
        }
    }

    @Test
    void badInputExitsNonZeroWithAClearMessage(QuarkusMainLauncher launcher) {
        LaunchResult missing = launcher.launch("ingest", "/nonexistent/repo");
        assertThat(missing.exitCode()).as(missing.getErrorOutput()).isEqualTo(2);
        assertThat(missing.getErrorOutput()).contains("No such path").contains("/nonexistent/repo");

        LaunchResult budget = launcher.launch("payroll", "--epoch", "1999-01", "--budget", "0");
        assertThat(budget.exitCode()).isEqualTo(2);
        assertThat(budget.getErrorOutput()).contains("The budget must be more than 0 tokens");

        LaunchResult decimals = launcher.launch("payroll", "--epoch", "1999-02", "--budget", "0.0000000000000000001");
        assertThat(decimals.exitCode()).isEqualTo(2);
        assertThat(decimals.getErrorOutput()).contains("more decimal places than the token's 18");

        LaunchResult empty = launcher.launch("score", "--epoch", "1999-03");
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.getErrorOutput()).contains("no contributions");
    }

    @Test
    void failedPayrollDoesNotLeaveItsEpochBehind(QuarkusMainLauncher launcher) {
        TestRepo r = TestRepo.create("merit-cli-atomic", Instant.parse("2005-02-01T00:00:00Z"));
        r.write("a.txt", "one\n").commit("feat: a", "Solo Author", "solo@example.com");
        assertThat(launcher.launch("ingest", r.path()).exitCode()).isZero();

        LaunchResult capped = launcher.launch("payroll", "--epoch", "2005-02", "--budget", "1000", "--cap", "600");
        assertThat(capped.exitCode()).isEqualTo(2);
        assertThat(capped.getErrorOutput()).contains("Cap too low");

        // The epoch was not kept with the impossible cap: the same epoch without a cap now pays out.
        LaunchResult paid = launcher.launch("payroll", "--epoch", "2005-02", "--budget", "1000");
        assertThat(paid.exitCode()).as(paid.getErrorOutput()).isZero();
        assertThat(paid.getOutput()).contains("= budget: yes");
    }
}
