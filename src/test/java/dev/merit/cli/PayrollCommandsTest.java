package dev.merit.cli;

import dev.merit.support.InProcess;
import dev.merit.support.InProcess.Run;
import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Instant;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A treasurer's commands after the first payroll: a budget that slipped a digit, the epochs and payouts listed in
 * words, an epoch with payouts kept, a draft withdrawn once, a wallet linked, replaced only when asked, and unlinked.
 * They run in the test's application (years 2022 and 2023); the embedded database and a command's own process are
 * {@code CommandLineIT}'s, which drafts, verifies and refuses a payroll there.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PayrollCommandsTest {

    @Inject
    CommandLine.IFactory factory;

    private Run merit(String... args) {
        return InProcess.merit(factory, args);
    }

    @Test
    void aBudgetThatSlippedIsRefusedAndPayoutsAreListedAndWithdrawnOnce() {
        TestRepo r = TestRepo.create("merit-cli-payroll", Instant.parse("2022-02-01T00:00:00Z"));
        r.write("a.txt", "one\n").commit("feat: a", "Solo Payroll", "solo-payroll@example.com");
        Run ingest = merit("ingest", r.path());
        assertThat(ingest.exitCode()).as(ingest.err()).isZero();

        long paid = proposalNumber(merit("payroll", "--epoch", "2022-02", "--budget", "1000"));
        // Ten times the epoch's budget is taken for a slipped digit, before any scoring, unless it is meant.
        Run slipped = merit("payroll", "--epoch", "2022-02", "--budget", "10000");
        assertThat(slipped.exitCode()).isEqualTo(2);
        assertThat(slipped.err()).contains("The budget asked, 10000 tokens, is more than epoch '2022-02' set aside "
                + "(1000 tokens)").contains("--above-epoch-budget").doesNotContain("aboveEpochBudget");
        Run meant = merit("payroll", "--epoch", "2022-02", "--budget", "1500", "--above-epoch-budget");
        assertThat(meant.exitCode()).as(meant.err()).isZero();
        assertThat(meant.out()).contains("Budget 1500 tokens");
        long draft = proposalNumber(meant);

        // The epochs, listed; one with a draft is kept until the draft is withdrawn.
        Run listed = merit("epochs");
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out()).containsPattern("(?m)^2022-02 +2022-02-01 00:00 UTC +2022-03-01 00:00 UTC +1000 "
                + "+not paid +-$");
        // An epoch inside it (a preview) is listed beside it, each naming the other: any time is paid once.
        Run preview = merit("score", "--epoch", "2022-02-01..2022-02-15");
        assertThat(preview.exitCode()).as(preview.err()).isZero();
        Run both = merit("epochs");
        assertThat(both.out()).containsPattern("(?m)^2022-02 .* +not paid +2022-02-01 to 2022-02-14$")
                .containsPattern("(?m)^2022-02-01 to 2022-02-14 .* +not paid +2022-02$");
        assertThat(merit("epochs", "delete", "2022-02-01 to 2022-02-14").exitCode()).isZero();
        Run kept = merit("epochs", "delete", "2022-02");
        assertThat(kept.exitCode()).isNotZero();
        assertThat(kept.err()).contains("Epoch '2022-02' has payout #" + draft + ", a draft: withdraw it first")
                .contains("merit payouts withdraw " + draft);

        // The payouts, listed in words; a draft withdrawn from the terminal, once.
        Run payouts = merit("payouts");
        assertThat(payouts.exitCode()).as(payouts.err()).isZero();
        assertThat(payouts.out()).containsPattern("(?m)^#" + draft + " +2022-02 +1500 +\\d{4}-\\d\\d-\\d\\d "
                        + "\\d\\d:\\d\\d UTC +a draft: not on chain yet$")
                .containsPattern("(?m)^#" + paid + " .*superseded by a newer payout of the same epoch \\(by #" + draft
                        + "\\)$");
        Run withdrawn = merit("payouts", "withdraw", "#" + draft);
        assertThat(withdrawn.exitCode()).as(withdrawn.err()).isZero();
        assertThat(withdrawn.out()).contains("Payout #" + draft + " withdrawn: it will not be paid");
        Run twice = merit("payouts", "withdraw", String.valueOf(draft));
        assertThat(twice.exitCode()).isEqualTo(2);
        assertThat(twice.err()).contains("is withdrawn (withdrawn: it will not be paid): only drafts are withdrawn");
        // Neither draft went on chain: the epoch goes with them (to make it again under another policy, say).
        Run deleted = merit("epochs", "delete", "2022-02");
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        assertThat(deleted.out()).contains("Epoch '2022-02' deleted, with its ").contains(" and its drafts #" + paid
                + ", #" + draft + " (withdrawn or replaced, never on chain). Its contributions stay");
    }

    @Test
    void aWalletIsReplacedOnlyWhenAskedAndUnlinked() {
        TestRepo r = TestRepo.create("merit-cli-wallet", Instant.parse("2023-03-01T00:00:00Z"));
        r.write("a.txt", "one\n").commit("feat: a", "Wallet Owner", "wallet-owner@example.com");
        assertThat(merit("ingest", r.path()).exitCode()).isZero();

        // A wallet is linked by whatever names the contributor; one linked already is replaced only when asked.
        String first = "0x000000000000000000000000000000000002023a";
        String second = "0x000000000000000000000000000000000002023b";
        Run linked = merit("wallet", "wallet-owner@example.com", first);
        assertThat(linked.exitCode()).as(linked.err()).isZero();
        Run unasked = merit("wallet", "wallet-owner@example.com", second);
        assertThat(unasked.exitCode()).isEqualTo(2);
        assertThat(unasked.err()).containsIgnoringCase("has wallet " + first).contains("--replace");
        // An address refused anyway is refused as such, without offering --replace first.
        Run zero = merit("wallet", "wallet-owner@example.com", "0x" + "0".repeat(40));
        assertThat(zero.exitCode()).isNotZero();
        assertThat(zero.err()).contains("zero address").doesNotContain("--replace");
        Run replaced = merit("wallet", "wallet-owner@example.com", second, "--replace");
        assertThat(replaced.exitCode()).as(replaced.err()).isZero();
        assertThat(replaced.out().toLowerCase(Locale.ROOT)).contains("-> " + second).contains("(replaces " + first + ")");
        // By name, and what it does for shares already held.
        assertThat(replaced.out()).contains("(Wallet Owner) -> ").contains("released to it by the next payout put on "
                + "chain, once its vote passes");
        Run unlinked = merit("wallet", "wallet-owner@example.com", "--unlink");
        assertThat(unlinked.exitCode()).as(unlinked.err()).isZero();
        assertThat(unlinked.out().toLowerCase(Locale.ROOT)).contains("wallet " + second + " unlinked");
        assertThat(merit("wallet", "wallet-owner@example.com", first).exitCode()).isZero(); // none to replace now
    }

    private static long proposalNumber(Run payroll) {
        assertThat(payroll.exitCode()).as(payroll.err()).isZero();
        return Long.parseLong(payroll.out().replaceAll("(?s).*merit verify (\\d+).*", "$1"));
    }
}
