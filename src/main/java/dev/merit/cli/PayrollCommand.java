package dev.merit.cli;

import dev.merit.audit.TokenAmounts;
import dev.merit.epoch.Epoch;
import dev.merit.epoch.EpochService;
import dev.merit.epoch.PayoutPolicy;
import dev.merit.payroll.LineState;
import dev.merit.payroll.PayoutLedger;
import dev.merit.payroll.PayoutLine;
import dev.merit.payroll.PayoutProposal;
import dev.merit.payroll.PayoutWaterfall;
import dev.merit.payroll.PayrollConfig;
import dev.merit.payroll.PayrollService;
import dev.merit.payroll.ProposalState;
import dev.merit.problem.ProblemException;
import dev.merit.scoring.ScoringRun;
import dev.merit.scoring.ScoringService;
import jakarta.transaction.Transactional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

@Command(name = "payroll", description = "Score an epoch and propose its payout table: exact amounts that sum to the budget.")
public class PayrollCommand implements Runnable {

    @Option(names = "--epoch", required = true,
            description = "Epoch name, month (2026-11) or date range (2026-01-01..2026-07-01, end exclusive)")
    String epochSpec;

    @Option(names = "--budget", required = true, description = "Budget in tokens, e.g. 1000 or 1000.5")
    String budget;

    @Option(names = "--above-epoch-budget", description = "Pay an existing epoch more than its budget (refused "
            + "otherwise, as a slipped digit)")
    boolean aboveEpochBudget;

    @Option(names = "--min", description = "Minimum payout in tokens (new epochs only)")
    String minimum;

    @Option(names = "--cap", description = "Maximum payout per contributor in tokens (new epochs only)")
    String cap;

    @Option(names = "--sqrt", description = "Share by the square root of scores (new epochs only)")
    boolean sqrt;

    @Option(names = "--include-bots", description = "Pay bot accounts too (new epochs only)")
    boolean includeBots;

    @Spec
    CommandSpec spec;

    private final EpochService epochs;
    private final ScoringService scoring;
    private final PayrollService payroll;
    private final PayrollConfig config;
    private final PayoutLedger ledger;
    private final PayoutWaterfall waterfall;
    private final dev.merit.epoch.EpochPayments payments;

    public PayrollCommand(EpochService epochs, ScoringService scoring, PayrollService payroll, PayrollConfig config,
                          PayoutLedger ledger, PayoutWaterfall waterfall, dev.merit.epoch.EpochPayments payments) {
        this.payments = payments;
        this.ledger = ledger;
        this.waterfall = waterfall;
        this.epochs = epochs;
        this.scoring = scoring;
        this.payroll = payroll;
        this.config = config;
    }

    /** All or nothing: an epoch this command creates does not outlive a failed run. */
    @Override
    @Transactional
    public void run() {
        EpochSpec epochArg = EpochSpec.parse(epochSpec);
        Epoch existing = epochArg.find(epochs).orElse(null);
        int decimals = existing != null ? existing.tokenDecimals : config.tokenDecimals();
        boolean policyGiven = minimum != null || cap != null || sqrt || includeBots;
        if (existing != null && policyGiven) {
            throw ProblemException.conflict("Epoch '" + existing.name + "' exists with its own policy (min "
                    + tokens(existing.minPayout, decimals) + " tokens, cap "
                    + (existing.cap == null ? "none" : tokens(existing.cap, decimals) + " tokens") + ", sqrt "
                    + existing.sqrtDampening
                    + "); policy options apply to new epochs only. While no payout of it went on chain and no "
                    + "type in it was disputed, `merit epochs delete " + existing.name + "` (after withdrawing its "
                    + "draft, if it has one) and this command again make it with yours.");
        }
        BigInteger budgetUnits = EpochSpec.tokens(budget, decimals, "--budget");
        PayoutPolicy policy = new PayoutPolicy(
                minimum == null ? BigInteger.ZERO : EpochSpec.tokens(minimum, decimals, "--min"),
                cap == null ? null : EpochSpec.tokens(cap, decimals, "--cap"), sqrt, includeBots);
        EpochService.validateBudget(budgetUnits, existing != null ? existing.policy() : policy, decimals);
        if (existing != null) {
            // Before scoring, not after; in the terminal's words.
            PayrollService.requireWithinBudget(existing, budgetUnits, aboveEpochBudget, "--above-epoch-budget");
        }
        Epoch epoch = epochArg.resolve(epochs, budgetUnits, decimals, policy);
        // Locked for writing before it is scored, as the proposal below will lock it: two payrolls of one epoch then
        // wait for each other at the start, instead of each holding the scoring's shared lock and waiting for the other
        // to let go of it (a deadlock on PostgreSQL).
        dev.merit.epoch.Epoch.getEntityManager().lock(epoch, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        EpochSpec.warnOverlaps(epochs, payments, epoch, spec.commandLine().getErr());
        PayrollService.requireUnpaidPeriod(epoch); // refused before the scoring it would waste, not after
        ScoringRun run = scoring.run(epoch.id);
        PayoutProposal proposal = payroll.propose(epoch.id, run.id, budgetUnits, aboveEpochBudget);
        print(spec.commandLine().getOut(), epoch, run, proposal);
        // Before it goes on chain: the work its approval would leave unpaid for good (the first payout gives up all
        // history before its epoch), and the epochs it would close.
        ChainCommand.Status.printUnread(spec.commandLine().getOut(), proposal.id, ledger);
        // A payout of the same epoch already voted on: this draft does not touch it (said, or the maintainer believes
        // the vote now counts this one).
        for (PayoutProposal live : PayoutProposal.<PayoutProposal>list("epochId = ?1 and id <> ?2 and status in ?3 "
                + "order by id", epoch.id, proposal.id, ProposalState.LIVE)) {
            spec.commandLine().getErr().printf("Note: payout proposal #%d of this epoch is on chain (%s); the vote is "
                    + "on that one, not on this draft. This draft goes on chain only in its place: merit chain propose "
                    + "%d --replace (its vote starts again).%n", live.id, ProposalState.describe(live.status),
                    proposal.id);
        }
        if (epoch.endsAt.isAfter(run.createdAt)) { // a preview: said, not refused (chain propose refuses it)
            spec.commandLine().getErr().printf("Note: epoch '%s' has not ended (it ends %s): this draft is a preview "
                    + "of the work so far and cannot go on chain before then. Run payroll again once it has ended: "
                    + "the new draft replaces this one.%n", epoch.name, dev.merit.problem.Moments.of(epoch.endsAt));
        }
    }

    private void print(PrintWriter out, Epoch epoch, ScoringRun run, PayoutProposal proposal) {
        List<PayoutLine> lines = payroll.linesToRead(proposal.id);
        Map<Long, PayrollService.Named> people = payroll.contributors(lines);
        out.printf("Payout proposal #%d for epoch %s (%s): %d contributions, scoring run #%d%n", proposal.id,
                epoch.name, dev.merit.problem.Moments.period(epoch.startsAt, epoch.endsAt), run.contributionCount, run.id);
        out.printf("Budget %s tokens (%s base units); model %s%n%n", tokens(proposal.budget, epoch.tokenDecimals),
                proposal.budget, proposal.modelVersion);
        Table table = new Table("rank", "contributor", "id", "score", "tokens", "base units", "state", "why");
        BigInteger sum = BigInteger.ZERO;
        List<PayoutLedger.Reading> readings = ledger.read(proposal, lines);
        for (int i = 0; i < lines.size(); i++) {
            PayoutLine l = lines.get(i);
            LineState state = readings.get(i).state();
            var c = people.get(l.contributorId);
            // a bot as the proposal's stored inputs count them (what it paid by), not as the contributor is marked now
            boolean bot = waterfall.countedAsBot(proposal, l.contributorId).orElse(c.bot());
            table.row(l.rank, Table.contributor(c.displayName(), bot), l.contributorId, Table.decimal(l.score),
                    tokens(l.amount, epoch.tokenDecimals), l.amount, state.state(), state.reason() == null ? ""
                            : state.reason());
            sum = sum.add(l.amount);
        }
        table.print(out);
        out.printf("%nSum %s base units = budget: %s%n", sum, sum.equals(proposal.budget) ? "yes" : "NO");
        out.printf("Content hash (sha256 of the canonical inputs): %s%n", proposal.contentHash);
        out.printf("Verify: merit verify %d%n", proposal.id);
    }

    static String tokens(BigInteger units, int decimals) {
        return TokenAmounts.format(units, decimals);
    }
}
