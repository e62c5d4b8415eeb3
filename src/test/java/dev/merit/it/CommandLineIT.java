package dev.merit.it;

import dev.merit.support.TempPaths;
import dev.merit.support.TestRepo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Merit's commands as a maintainer runs them: the packaged application ({@code java -jar quarkus-run.jar COMMAND}) on
 * its embedded database, one process per command, with what it prints to standard output and standard error. The
 * commands share one data directory, as a DAO's commands do, each test on its own months.
 */
class CommandLineIT {

    private static final Map<String, String> ENV = Map.of("MERIT_CHAIN_ENABLED", "false");

    private static Path data;

    @BeforeAll
    static void dataDirectory() {
        data = TempPaths.directory("merit-cli").resolve("data");
    }

    private static PackagedApp.Command merit(String... args) {
        return PackagedApp.command(data, ENV, Duration.ofMinutes(3), args);
    }

    @Test
    void ingestScoreAndPayrollPrintReadableTables() {
        TestRepo r = TestRepo.create("merit-cli", Instant.parse("2004-06-01T00:00:00Z"));
        r.write("a.txt", "one\ntwo\n").commit("feat: a", "Ann Example", "ann@example.com");
        r.write("b.txt", "three\nfour\nfive\n").commit("fix: b", "Ben Example", "ben@example.com");

        PackagedApp.Command ingest = merit("ingest", r.path());
        assertThat(ingest.exitCode()).as(ingest.err()).isZero();
        assertThat(ingest.out()).contains("commits read").contains("2")
                // When its work is dated, and the command that pays a month of it (on H2, in a process of its own).
                .contains("Its work is dated 2004-06-01 to 2004-06-01 (UTC). `merit payroll --epoch 2004-06 ");

        PackagedApp.Command again = merit("ingest", r.path());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("already known");
        assertThat(again.out().lines().filter(l -> l.contains("HEAD")).findFirst().orElseThrow())
                .matches(".*HEAD\\s+\\w+\\s+0\\s+0\\s+0\\s+0\\s+.*");

        PackagedApp.Command score = merit("score", "--epoch", "2004-06");
        assertThat(score.exitCode()).as(score.err()).isZero();
        assertThat(score.out()).contains("Ann Example").contains("Ben Example").contains("share")
                .doesNotContain(".000000"); // points as the dashboard writes them, not at the stored scale
        // The epoch it made has a budget no one chose: said, with what a larger payroll budget then needs.
        assertThat(score.err()).contains("Note: made epoch '2004-06' with the default budget, 1000 tokens")
                .contains("a budget above 1000 tokens needs --above-epoch-budget");

        PackagedApp.Command payroll = merit("payroll", "--epoch", "2004-06-01..2004-07-01", "--budget", "1000.5",
                "--cap", "600");
        assertThat(payroll.exitCode()).as(payroll.err()).isZero();
        assertThat(payroll.out()).contains("= budget: yes").contains("1000500000000000000000").contains("Content hash");
        // The range makes an epoch of its own beside the month's, with exactly its dates: said, with how to name the other.
        assertThat(payroll.err()).contains("Note: epoch '2004-06' has exactly the dates of epoch '2004-06-01 to 2004-06-30'")
                .contains("--epoch '2004-06'");
        String proposal = payroll.out().replaceAll("(?s).*merit verify (\\d+).*", "$1");
        // A month after a month no epoch covers: said, with the work dated then, never silent.
        r.write("c.txt", "six\n").commitAt(Instant.parse("2004-07-15T00:00:00Z"), "fix: c", "Ann Example",
                "ann@example.com");
        r.write("d.txt", "seven\n").commitAt(Instant.parse("2004-08-10T00:00:00Z"), "feat: d", "Ben Example",
                "ben@example.com");
        r.write("e.txt", "eight\n").commitAt(Instant.parse("2004-04-10T00:00:00Z"), "docs: e", "Ann Example",
                "ann@example.com");
        assertThat(merit("ingest", r.path()).exitCode()).isZero();
        PackagedApp.Command august = merit("score", "--epoch", "2004-08");
        assertThat(august.exitCode()).as(august.err()).isZero();
        assertThat(august.err()).contains("Note: no epoch covers 2004-07-01 00:00 UTC to 2004-08-01 00:00 UTC, between "
                + "epoch '2004-06' and epoch '2004-08': the contribution dated then is paid by no payout until an "
                + "epoch covers that time");
        // A month before the first leaves one after it, before June: said too.
        PackagedApp.Command april = merit("score", "--epoch", "2004-04");
        assertThat(april.exitCode()).as(april.err()).isZero();
        assertThat(april.err()).contains("Note: no epoch covers 2004-05-01 00:00 UTC to 2004-06-01 00:00 UTC, between "
                + "epoch '2004-04' and epoch '2004-06': no contribution is dated then yet");

        PackagedApp.Command verify = merit("verify", proposal);
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("verify ok");
    }

    @Test
    void trainReportsLeaveOneRepositoryOutAndOwnHistoryAndWritesANewModel(@TempDir Path dir) throws IOException {
        // Three repositories of templated commits, in time order.
        String[][] kinds = {{"feat", "add %s support", "src/%s.ts", "40"}, {"fix", "%s crash on empty input", "src/%s.ts", "3"},
                {"docs", "document the %s options", "docs/%s.md", "20"}, {"test", "cover %s edge cases", "tests/%s.test.ts", "30"}};
        String[] nouns = {"parser", "cache", "login", "export", "queue"};
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 360; i++) {
            String[] k = kinds[i % kinds.length];
            String noun = nouns[(i / 4) % nouns.length];
            jsonl.append(String.format(Locale.ROOT, "{\"repo\": \"org/r%d\", \"sha\": \"%040x\", \"time\": %d, "
                    + "\"author\": \"a%d\", \"message\": \"%s: %s\", \"files\": [{\"path\": \"%s\", \"added\": %s, "
                    + "\"deleted\": 1}]}%n", i % 3, i, 1_700_000_000 + i, i % 7, k[0], String.format(k[1], noun),
                    String.format(k[2], noun), k[3]));
        }
        Path commits = dir.resolve("commits.jsonl");
        Files.writeString(commits, jsonl);
        String out = dir.resolve("model").toString();

        // A small layer and few steps: what is checked is what train reports and writes, not how well it fits.
        PackagedApp.Command train = merit("train", "--data", commits.toString(), "--out", out, "--buckets", "4096",
                "--iterations", "40", "--own-history", "0.25");
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out()).contains("+ own older commits: accuracy").contains("mean on the newest commits")
                .contains("held-out repository").contains("org/r0").contains("org/r2");
        assertThat(train.out().lines().filter(l -> l.startsWith("train n=")).findFirst().orElseThrow())
                .matches("train n=360 loro_accuracy=[01]\\.\\d{4} loro_macro_f1=[01]\\.\\d{4} loro_type_factor_error=[01]\\.\\d{4} loro_ece=[01]\\.\\d{4} model=[0-9a-f]{64}");
        assertThat(Files.readString(dir.resolve("model").resolve("manifest.json")))
                .contains("\"ownHistory\"").contains("\"newestShare\" : 0.25");

        // evaluate the new model: labelled commits are scored, commits without a prefix are typed but not scored
        Path plain = dir.resolve("plain.jsonl");
        Files.writeString(plain, String.join("\n",
                "{\"repo\": \"org/plain\", \"sha\": \"p1\", \"time\": 1, \"author\": \"x\", \"message\": \"Document the cache options\", \"files\": [{\"path\": \"docs/cache.md\", \"added\": 20, \"deleted\": 1}]}",
                "not json", ""));
        PackagedApp.Command evaluate = merit("evaluate", "--data", commits.toString(), plain.toString(), "--model", out);
        assertThat(evaluate.exitCode()).as(evaluate.err()).isZero();
        assertThat(evaluate.out()).contains("read 361 commits, 1 malformed lines")
                .contains("same type weight").contains("In pay, under the policy's type weights (feature 1, fix 1, docs 0.6")
                .contains("The 1 commits without a known prefix (not evaluated)");
        assertThat(evaluate.out().lines().filter(l -> l.startsWith("evaluate n=")).findFirst().orElseThrow())
                .matches("evaluate n=360 accuracy=[01]\\.\\d{4} macro_f1=[01]\\.\\d{4} type_factor_error=[01]\\.\\d{4} ece=[01]\\.\\d{4}");

        // In groups of repositories, the figures say so: they are not leave-one-repository-out ones.
        PackagedApp.Command grouped = merit("train", "--data", commits.toString(), "--out",
                dir.resolve("grouped").toString(), "--buckets", "4096", "--iterations", "40", "--folds", "2");
        assertThat(grouped.exitCode()).as(grouped.err()).isZero();
        assertThat(grouped.out().lines().filter(l -> l.startsWith("train n=")).findFirst().orElseThrow())
                .matches("train n=360 cv2_accuracy=[01]\\.\\d{4} cv2_macro_f1=[01]\\.\\d{4} cv2_type_factor_error=[01]\\.\\d{4} cv2_ece=[01]\\.\\d{4} model=[0-9a-f]{64}");
    }

    @Test
    void exportDatasetReadsAPartialCloneOnlyWhenAskedAndNamesTheRepository(@TempDir Path dir) throws IOException {
        TestRepo r = TestRepo.create("merit-cli-partial", Instant.parse("1982-01-01T00:00:00Z"));
        String big = "row\n".repeat(300);
        r.write("big.csv", big).write("README.md", "hi\n").commit("docs: data", "Ada Partial", "ada@partial.example");
        String blob = r.dropBlob(big);
        Path out = dir.resolve("partial.jsonl");

        PackagedApp.Command refused = merit("export-dataset", r.path(), "--out", out.toString());
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("Missing blob " + blob).contains("--allow-missing-blobs");

        PackagedApp.Command exported = merit("export-dataset", r.path(), "--out", out.toString(), "--name",
                "example/partial", "--allow-missing-blobs");
        assertThat(exported.exitCode()).as(exported.err()).isZero();
        assertThat(exported.out()).contains("1 file versions had no content in the clone")
                .contains("wrote 1 commits of example/partial");
        assertThat(Files.readString(out)).contains("\"repo\":\"example/partial\"")
                .contains("{\"path\":\"big.csv\",\"added\":null,\"deleted\":null}");
        // Training data is not payroll: the DAO's data never saw the exported repository's authors.
        assertThat(exported.err()).contains("scratch database");
        PackagedApp.Command authors = merit("authors", "--tsv");
        assertThat(authors.exitCode()).as(authors.err()).isZero();
        assertThat(authors.out()).doesNotContain("ada@partial.example");
    }

    @Test
    void serveHelpIsAnsweredWithoutStartingTheService() {
        // "serve --help" is answered as a command is: the usage, and no service started.
        PackagedApp.Command serveHelp = merit("serve", "--help");
        assertThat(serveHelp.exitCode()).as(serveHelp.err()).isZero();
        assertThat(serveHelp.out()).contains("Usage: merit serve");
        assertThat(serveHelp.out() + serveHelp.err()).doesNotContain("Listening on").doesNotContain("Dashboard:");
    }

    /**
     * A file cut short is one sentence on standard error, from the command and from its log alike: no stack trace
     * anywhere in what the process printed (the other refusals are checked in the test application,
     * CommandRefusalsTest).
     */
    @Test
    void aFileCutShortIsOneSentenceNotAStackTrace(@TempDir Path dir) throws IOException {
        Path cut = dir.resolve("cut.jsonl.gz");
        java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(whole)) {
            gz.write("{\"repo\":\"a/b\",\"message\":\"feat: x\"}\n".repeat(2000)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Files.write(cut, java.util.Arrays.copyOf(whole.toByteArray(), whole.size() / 2));
        PackagedApp.Command truncated = merit("evaluate", "--data", cut.toString());
        assertThat(truncated.exitCode()).as(truncated.err()).isNotZero();
        assertThat(truncated.err()).contains("error: a file ended early");
        assertThat(truncated.out() + truncated.err()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    /**
     * OIDC with the provider's keys and issuer but without Merit's audience would take a token the provider issued to
     * any of its applications: the server refuses to start and names the missing setting, instead of starting and
     * failing at the first maintainer's request.
     */
    @Test
    void theServerRefusesToStartWithOidcButNoAudience() {
        Map<String, String> env = new java.util.HashMap<>(ENV);
        env.put("MERIT_AUTH_OIDC_ISSUER", "https://idp.example/realms/dao");
        env.put("MERIT_AUTH_OIDC_JWKS_URL", "https://idp.example/realms/dao/certs");
        env.put("QUARKUS_HTTP_PORT", "0");
        PackagedApp.Command serve = PackagedApp.command(data, env, Duration.ofMinutes(2), "serve");
        assertThat(serve.exitCode()).as(serve.out()).isNotZero();
        assertThat(serve.out() + serve.err()).contains("merit.auth.oidc.audience is required");
    }

    @Test
    void failedPayrollDoesNotLeaveItsEpochBehind() {
        TestRepo r = TestRepo.create("merit-cli-atomic", Instant.parse("2005-02-01T00:00:00Z"));
        r.write("a.txt", "one\n").commit("feat: a", "Solo Author", "solo@example.com");
        PackagedApp.Command ingest = merit("ingest", r.path());
        assertThat(ingest.exitCode()).as(ingest.err()).isZero();

        PackagedApp.Command capped = merit("payroll", "--epoch", "2005-02", "--budget", "1000", "--cap", "600");
        assertThat(capped.exitCode()).isEqualTo(2);
        assertThat(capped.err()).contains("Cap too low").contains("A cap of 600 tokens for 1 payable contributor distributes "
                + "at most 600 tokens, less than the budget (1000 tokens)");

        // The epoch was not kept with the impossible cap: the same epoch without a cap now pays out.
        PackagedApp.Command paid = merit("payroll", "--epoch", "2005-02", "--budget", "1000");
        assertThat(paid.exitCode()).as(paid.err()).isZero();
        assertThat(paid.out()).contains("= budget: yes");
        // An epoch with a draft is kept until the draft is withdrawn: refused on the embedded database too (its
        // removal locks the epoch's row with a native query). What a treasurer does next (a slipped digit, the lists,
        // a withdrawal, wallets) is PayrollCommandsTest's.
        // Listed without a server, the vault is not read (no chain is started for a list), and the list says so.
        PackagedApp.Command listed = merit("payouts");
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("a draft: not on chain yet").contains("(The vault was not read, as no "
                + "chain runs here: a draft is listed as one even if the vault has approved pay past its epoch.");
        PackagedApp.Command kept = merit("epochs", "delete", "2005-02");
        assertThat(kept.exitCode()).isNotZero();
        assertThat(kept.err()).contains("Epoch '2005-02' has payout #").contains(", a draft: withdraw it first");
    }

    @Test
    void payoutProposalsAreNumberedOneByOneAcrossCommands() {
        TestRepo r = TestRepo.create("merit-cli-numbers", Instant.parse("2006-01-01T00:00:00Z"));
        r.write("a.txt", "one\n").commit("feat: a", "Numbered Author", "numbered@example.com");
        r.write("b.txt", "two\n").commitAt(Instant.parse("2006-02-02T00:00:00Z"), "feat: b", "Numbered Author",
                "numbered@example.com");
        PackagedApp.Command ingest = merit("ingest", r.path());
        assertThat(ingest.exitCode()).as(ingest.err()).isZero();

        // Each command is its own process; before, each reserved a block of 50 numbers (payout #1, #51, ...).
        long first = proposalNumber(merit("payroll", "--epoch", "2006-01", "--budget", "10"));
        PackagedApp.Command running = merit("payroll", "--epoch", "2006-02-01..2099-01-01", "--budget", "10");
        long second = proposalNumber(running);
        assertThat(second).isEqualTo(first + 1);
        // An epoch that has not ended is drafted as a preview, and said to be one.
        assertThat(running.err()).contains("has not ended (it ends 2099-01-01 00:00 UTC): this draft is a preview");
        // What approving it would leave unpaid for good is said with the draft, not first after it is on chain.
        assertThat(running.out()).containsPattern("Warning: once it is approved, \\d+ contributions? dated before "
                + "2006-02-01 "
                + "00:00 UTC, which no payout has paid, can never be paid");
        // The list says which draft is a preview, and until when.
        PackagedApp.Command listed = merit("payouts");
        assertThat(listed.out()).containsPattern("(?m)^#" + second + " .*a preview: not on chain before its epoch ends "
                + "\\(2099-01-01 00:00 UTC\\)$").containsPattern("(?m)^#" + first + " .*a draft: not on chain yet$");
    }

    /**
     * A command beside a server whose local chain does not answer (stalled, restarting) says so and stops. It started
     * a second chain on the server's saved state: a vote cast there was said to be cast while the server's chain never
     * saw it, and on exit the command removed the server's chain address and saved its state over the server's.
     */
    @Test
    void aCommandBesideTheServerDoesNotStartASecondChain() throws IOException {
        Path own = TempPaths.directory("merit-cli-stalled").resolve("data");
        Map<String, String> env = Map.of("MERIT_CHAIN_ENABLED", "true");
        TestRepo r = TestRepo.create("merit-cli-stalled", Instant.parse("2007-01-10T00:00:00Z"));
        r.write("a.txt", "one\n").commit("feat: a", "Stalled Author", "stalled@example.com");
        assertThat(PackagedApp.command(own, env, Duration.ofMinutes(3), "ingest", r.path()).exitCode()).isZero();
        long payout = proposalNumber(PackagedApp.command(own, env, Duration.ofMinutes(3), "payroll", "--epoch",
                "2007-01", "--budget", "10"));
        // The server: it holds the leader lock, and its chain's address is recorded, but nothing answers there.
        Path rpcUrl = own.resolve("chain").resolve("rpc-url");
        Files.createDirectories(rpcUrl.getParent());
        int port;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            port = closed.getLocalPort();
        }
        Files.writeString(rpcUrl, "http://127.0.0.1:" + port);
        try (java.nio.channels.FileChannel lock = java.nio.channels.FileChannel.open(own.resolve("merit.leader.lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
             java.nio.channels.FileLock held = lock.lock()) {
            PackagedApp.Command propose = PackagedApp.command(own, env, Duration.ofMinutes(3), "chain", "propose",
                    String.valueOf(payout), "--close-unpaid");
            assertThat(propose.exitCode()).as(propose.out()).isNotZero();
            assertThat(propose.err()).contains("Another Merit process on this data directory (the server, or a "
                    + "command) runs the local chain, and it does not answer now; a command does not start a second "
                    + "one.");
            assertThat(held.isValid()).isTrue();
        }
        assertThat(Files.readString(rpcUrl)).isEqualTo("http://127.0.0.1:" + port); // the server's, left as it was
        assertThat(own.resolve("chain").resolve("anvil-state.json")).doesNotExist();
    }

    private static long proposalNumber(PackagedApp.Command payroll) {
        assertThat(payroll.exitCode()).as(payroll.err()).isZero();
        return Long.parseLong(payroll.out().replaceAll("(?s).*merit verify (\\d+).*", "$1"));
    }
}
