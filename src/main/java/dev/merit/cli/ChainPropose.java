package dev.merit.cli;

import dev.merit.cluster.Leadership;
import dev.merit.governance.ChainProposal;
import dev.merit.governance.GovernanceService;
import dev.merit.governance.Outbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code merit chain propose N}: payout N put to the DAO's governor (as POST /api/chain/proposals), then its status,
 * what it holds, and what its approval would leave unpaid for good.
 */
@Command(name = "propose", description = "Propose payout proposal N to the DAO's governor.")
class ChainPropose implements Callable<Integer> {

    /** Said after the status of a payout put on chain that holds every share: nobody in it had a wallet. */
    static final String PAYS_NO_ONE = "  Note: it pays no one now: no contributor in it had a wallet linked, so every "
            + "share is held in the vault until its contributor links one (merit wallet CONTRIBUTOR ADDRESS, or merit "
            + "wallet import FILE), and the next payout's vote releases it; a share still held after "
            + "merit.payroll.held-epochs later payouts are executed goes back to the treasury.";

    @Parameters(paramLabel = "N", description = "The payout proposal's number (payout #N)") long proposal;
    @picocli.CommandLine.Option(names = "--replace", description = "Replace the payout of the same epoch already "
            + "on chain: its vote starts over on this one (refused without it)") boolean replace;
    @picocli.CommandLine.Option(names = "--close-unpaid", description = "Put it on chain even though its approval "
            + "leaves work dated before its epoch that no payout has paid unpaid for good (refused without it)")
    boolean closeUnpaid;
    @Spec CommandSpec spec;
    private final GovernanceService governance;
    private final Outbox outbox;
    private final Leadership leadership;
    private final dev.merit.payroll.PayoutLedger ledger;

    ChainPropose(GovernanceService governance, Outbox outbox, Leadership leadership,
            dev.merit.payroll.PayoutLedger ledger) {
        this.governance = governance;
        this.outbox = outbox;
        this.leadership = leadership;
        this.ledger = ledger;
    }

    @Override
    public Integer call() throws Exception {
        long put = governance.propose(proposal, replace, closeUnpaid).id;
        if (leadership.isLeader()) {
            outbox.processDue();
            outbox.settle(put); // this command's chain stops with it: the proposal is recorded first
        } else {
            spec.commandLine().getOut().println(ChainCommand.serverSends(proposal));
        }
        ChainProposal cp = governance.byPayoutProposal(proposal);
        ChainCommand.Status.print(spec.commandLine().getOut(), cp, outbox, ledger);
        if (cp.total.signum() == 0 && cp.heldTotal != null && cp.heldTotal.signum() > 0) {
            spec.commandLine().getOut().println(PAYS_NO_ONE);
        }
        // What its approval leaves unpaid for good, said when it is put to a vote, not only by a later status.
        ChainCommand.Status.printUnread(spec.commandLine().getOut(), proposal, ledger);
        return 0;
    }
}
