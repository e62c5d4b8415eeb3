package dev.merit.cli;

import dev.merit.audit.TokenAmounts;
import dev.merit.epoch.Epoch;
import dev.merit.epoch.EpochPayments;
import dev.merit.epoch.EpochRemover;
import dev.merit.epoch.EpochService;
import dev.merit.problem.Moments;
import dev.merit.problem.ProblemException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "epochs", description = "List the epochs (period, budget, the payout that paid each), or delete one "
        + "made by mistake: `epochs delete NAME` (`score --epoch` with a mistyped month makes one), with its scoring "
        + "runs and its drafts withdrawn or replaced before going on chain; refused once a payout of it went on "
        + "chain, while it has a draft (withdraw it first), or once a contributor disputed a type in its scoring. Its "
        + "contributions stay.")
public class EpochsCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "ACTION", description = "delete")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "EPOCH", description = "The epoch's name, as listed")
    String name;

    @Spec
    CommandSpec spec;

    private final EpochService epochs;
    private final EpochPayments payments;
    private final EpochRemover remover;

    public EpochsCommand(EpochService epochs, EpochPayments payments, EpochRemover remover) {
        this.epochs = epochs;
        this.payments = payments;
        this.remover = remover;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (action == null) {
            List<Epoch> all = epochs.list();
            Map<Long, EpochPayments.Payment> paid = payments.paidBy(all.stream().map(e -> e.id).toList());
            // Epochs may share time (a preview inside a month); any stretch of time is paid once, by one of them.
            Map<Long, List<Epoch>> overlaps = EpochService.overlaps(all);
            Table table = new Table("epoch", "from", "to (exclusive)", "budget (tokens)", "paid by",
                    "shares time with");
            for (Epoch e : all) {
                EpochPayments.Payment p = paid.get(e.id);
                List<Epoch> shared = overlaps.getOrDefault(e.id, List.of());
                table.row(e.name, Moments.of(e.startsAt), Moments.of(e.endsAt),
                        TokenAmounts.format(e.budget, e.tokenDecimals), p == null ? "not paid" : "payout #"
                                + p.payoutProposalId(), shared.isEmpty() ? "-"
                                : String.join(", ", shared.stream().map(o -> o.name).toList()));
            }
            table.print(out);
            if (all.isEmpty()) {
                out.println("No epoch yet: `merit payroll --epoch MONTH --budget TOKENS` (or `merit score --epoch "
                        + "MONTH`) makes one of a month (2026-11) or a range (2026-11-01..2026-11-15).");
            }
            return 0;
        }
        if (!action.equals("delete") || name == null) {
            spec.commandLine().getErr().println("epochs takes no arguments (list), or delete EPOCH");
            return 2;
        }
        Epoch epoch = epochs.findByName(name).orElseThrow(() -> new ProblemException(ProblemException.Kind.NOT_FOUND,
                "not-found", "Not found", "No epoch is named '" + name + "': `merit epochs` lists them.", null));
        EpochRemover.Removed removed = remover.delete(epoch.id);
        List<String> went = new java.util.ArrayList<>();
        if (removed.scoringRuns() > 0) {
            went.add(removed.scoringRuns() + (removed.scoringRuns() == 1 ? " scoring run" : " scoring runs"));
        }
        if (!removed.offChainDrafts().isEmpty()) {
            went.add((removed.offChainDrafts().size() == 1 ? "draft " : "drafts ")
                    + String.join(", ", removed.offChainDrafts().stream().map(id -> "#" + id).toList())
                    + " (withdrawn or replaced, never on chain)");
        }
        out.println("Epoch '" + removed.name() + "' deleted" + (went.isEmpty() ? "" : ", with its "
                + String.join(" and its ", went)) + ". Its contributions stay, and count in whichever epoch covers "
                + "their time.");
        return 0;
    }
}
