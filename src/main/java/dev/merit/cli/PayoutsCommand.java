package dev.merit.cli;

import dev.merit.audit.TokenAmounts;
import dev.merit.epoch.Epoch;
import dev.merit.payroll.PayoutLedger;
import dev.merit.payroll.PayoutProposal;
import dev.merit.payroll.PayrollService;
import dev.merit.payroll.ProposalState;
import dev.merit.problem.Moments;
import dev.merit.problem.ProblemException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The payout proposals as a treasurer reviews them from a terminal, and the one thing done to a draft besides putting
 * it on chain: withdrawing it (the dashboard's "Withdraw this draft", {@code DELETE /api/payout-proposals/{id}}).
 */
@Command(name = "payouts", description = "List the payout proposals (epoch, budget, when made, state in words), newest "
        + "first, or withdraw a draft that should not be paid: `payouts withdraw N` (kept on record as withdrawn; a "
        + "proposal on chain is decided by the DAO's vote). `chain status N` shows one on chain.")
public class PayoutsCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "ACTION", description = "withdraw")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "N", description = "The payout proposal's number, as listed")
    String number;

    @Spec
    CommandSpec spec;

    private final PayrollService payroll;
    private final PayoutLedger ledger;
    private final dev.merit.governance.ChainService chain;

    public PayoutsCommand(PayrollService payroll, PayoutLedger ledger, dev.merit.governance.ChainService chain) {
        this.payroll = payroll;
        this.ledger = ledger;
        this.chain = chain;
    }

    /** Whether the vault answers now (the list then says of each draft what it says). */
    private boolean vaultAnswers(dev.merit.governance.chain.DaoContracts dao) {
        try {
            chain.readVault(dao.vault()).approvedUntil().send();
            return true;
        } catch (Exception unreachable) {
            return false;
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (action == null) {
            List<PayoutProposal> all = payroll.list(null);
            // The vault, read where a chain runs (the server's, or a configured node; none is started for a list): a
            // draft it has passed can never go on chain, and says so.
            boolean drafts = all.stream().anyMatch(p -> ProposalState.DRAFT.equals(p.status));
            boolean vaultRead = drafts && chain.daoIfRunning().map(this::vaultAnswers).orElse(false);
            Map<Long, Epoch> epochs = new HashMap<>();
            if (!all.isEmpty()) {
                Epoch.<Epoch>list("id in ?1", all.stream().map(p -> p.epochId).distinct().toList())
                        .forEach(e -> epochs.put(e.id, e));
            }
            Table table = new Table("payout", "epoch", "budget (tokens)", "made", "state");
            java.time.Instant now = java.time.Instant.now();
            for (PayoutProposal p : all) {
                Epoch e = epochs.get(p.epochId);
                String passed = ledger.draftPassed(p);
                // A draft the vault has passed can never go on chain: said here as on its page; one of an epoch still
                // running is a preview, which goes on chain only once its epoch has ended.
                String state = passed == null && ProposalState.DRAFT.equals(p.status) && e.endsAt.isAfter(now)
                        ? "a preview: not on chain before its epoch ends (" + Moments.of(e.endsAt) + ")"
                        : ProposalState.describe(p, passed);
                table.row("#" + p.id, e.name, TokenAmounts.format(p.budget, e.tokenDecimals), Moments.of(p.createdAt),
                        state + (p.supersededBy == null ? "" : " (by #" + p.supersededBy + ")"));
            }
            table.print(out);
            if (drafts && !vaultRead) {
                out.println("(The vault was not read, as no chain runs here: a draft is listed as one even if the "
                        + "vault has approved pay past its epoch. Beside a running server this list reads the vault, "
                        + "and so does the payout's page.)");
            }
            if (all.isEmpty()) {
                out.println("No payout proposal yet: `merit payroll --epoch MONTH --budget N` drafts one.");
            }
            return 0;
        }
        if (!action.equals("withdraw") || number == null) {
            spec.commandLine().getErr().println("payouts takes no arguments (list), or withdraw N");
            return 2;
        }
        if (!number.replaceFirst("^#", "").matches("[1-9][0-9]{0,17}")) {
            throw ProblemException.invalid("N is a payout proposal's number as `merit payouts` lists it (#12 or 12); "
                    + "got '" + Table.printable(number) + "'.");
        }
        long id = Long.parseLong(number.replaceFirst("^#", ""));
        PayoutProposal p = ledger.withdraw(id);
        out.println("Payout #" + p.id + " withdrawn: it will not be paid, and stays on record (unless its epoch is "
                + "deleted: drafts that never went on chain go with it). Its epoch can be drafted again with `merit "
                + "payroll`.");
        return 0;
    }
}
