package dev.merit.cli;

import java.math.RoundingMode;
import dev.merit.epoch.Epoch;
import dev.merit.epoch.EpochService;
import dev.merit.epoch.PayoutPolicy;
import dev.merit.payroll.PayrollConfig;
import dev.merit.scoring.OneSnapshot;
import dev.merit.scoring.ScoreQueries;
import io.quarkus.panache.common.Page;
import dev.merit.scoring.ScoringRun;
import dev.merit.scoring.ScoringService;
import jakarta.transaction.Transactional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.List;

@Command(name = "score", description = "Score an epoch's contributions and print the leaderboard.")
public class ScoreCommand implements Runnable {

    @Option(names = "--epoch", required = true,
            description = "Epoch name, month (2026-11) or date range (2026-01-01..2026-07-01, end exclusive)")
    String epochSpec;

    @Option(names = "--top", defaultValue = "20", description = "Rows to print (default ${DEFAULT-VALUE})")
    int top;

    @Spec
    CommandSpec spec;

    private final EpochService epochs;
    private final ScoringService scoring;
    private final ScoreQueries queries;
    private final PayrollConfig payroll;
    private final dev.merit.epoch.EpochPayments payments;

    public ScoreCommand(EpochService epochs, ScoringService scoring, ScoreQueries queries, PayrollConfig payroll,
                        dev.merit.epoch.EpochPayments payments) {
        this.payments = payments;
        this.epochs = epochs;
        this.scoring = scoring;
        this.queries = queries;
        this.payroll = payroll;
    }

    /** All or nothing: an epoch this command creates does not outlive a failed run. */
    @Override
    @Transactional
    public void run() {
        if (top < 0) { // before anything is scored: a run printed and then rolled back was announced and never was
            throw dev.merit.problem.ProblemException.invalid("--top is a number of rows, 0 or more; got " + top + ".");
        }
        OneSnapshot.forThisTransaction(); // before the epoch is read: the run reads what the command read
        BigInteger budget = EpochSpec.tokens(payroll.defaultBudgetTokens(), payroll.tokenDecimals(), "merit.payroll.default-budget-tokens");
        EpochSpec named = EpochSpec.parse(epochSpec);
        boolean made = named.find(epochs).isEmpty();
        Epoch epoch = named.resolve(epochs, budget, payroll.tokenDecimals(),
                new PayoutPolicy(BigInteger.ZERO, null, false, false));
        ScoringRun run = scoring.run(epoch.id);
        // Said once scored: a run that fails keeps no epoch, and notes about one would be false.
        EpochSpec.warnOverlaps(epochs, payments, epoch, spec.commandLine().getErr());
        dev.merit.epoch.EpochPayments.Payment paid = payments.paidBy(List.of(epoch.id)).get(epoch.id);
        if (paid != null) { // a correction's new scoring shows the epoch anew; it pays nothing of the paid period
            spec.commandLine().getErr().printf("Note: epoch '%s' was paid by payout proposal #%d, from run #%d: this "
                    + "run pays nothing of it (it shows the epoch as scored now, with the corrections accepted "
                    + "since).%n",
                    epoch.name, paid.payoutProposalId(), paid.scoringRunId());
        }
        if (made) { // so that a later 'payroll --budget' above it, or with a policy, is not a surprise
            String tokens = PayrollCommand.tokens(epoch.budget, epoch.tokenDecimals);
            spec.commandLine().getErr().printf("Note: made epoch '%s' with the default budget, %s tokens "
                    + "(merit.payroll.default-budget-tokens), and no minimum, cap or dampening. 'payroll --epoch %s "
                    + "--budget N' pays it; a budget above %s tokens needs --above-epoch-budget, and another policy "
                    + "'epochs delete %s' first.%n", epoch.name, tokens, epoch.name, tokens, epoch.name);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Epoch %s (%s): run #%d, %d contributions, %d contributors, total score %s%n", epoch.name,
                dev.merit.problem.Moments.period(epoch.startsAt, epoch.endsAt), run.id, run.contributionCount,
                run.contributorCount, Table.decimal(run.totalScore));
        out.printf("Model %s (sha256 %s), inputs sha256 %s%n%n", run.modelVersion, run.modelHash, run.inputHash);
        print(out, top > 0 ? queries.standings(run.id, Page.of(0, top)) : List.of(), run.contributorCount, top);
    }

    static void print(PrintWriter out, List<ScoreQueries.Standing> standings, int all, int top) {
        Table table = new Table("rank", "contributor", "id", "contributions", "score", "share");
        standings.stream().limit(top).forEach(s -> table.row(s.rank(), Table.contributor(s.displayName(), s.bot()),
                s.contributorId(), s.contributions(), Table.decimal(s.total()),
                s.share().movePointRight(2).setScale(2, RoundingMode.HALF_EVEN).toPlainString() + "%"));
        table.print(out);
        if (all > top) {
            out.println("... and " + (all - Math.max(top, 0)) + " more (--top N)");
        }
    }
}
