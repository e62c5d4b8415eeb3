package dev.merit.cli;

import dev.merit.governance.GasPricing;
import dev.merit.governance.ChainProposal;
import dev.merit.payroll.ProposalState;
import dev.merit.governance.ChainTx;
import dev.merit.governance.GovernanceService;
import dev.merit.governance.Outbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "chain", description = "Payout proposals on chain.",
        subcommands = {ChainCommand.Propose.class, ChainCommand.Status.class, ChainCommand.Advance.class})
public class ChainCommand {

    @Command(name = "propose", description = "Propose payout proposal N to the DAO's governor.")
    static class Propose implements Callable<Integer> {
        @Parameters(paramLabel = "N") long proposal;
        @Spec CommandSpec spec;
        private final GovernanceService governance;
        private final Outbox outbox;

        Propose(GovernanceService governance, Outbox outbox) {
            this.governance = governance;
            this.outbox = outbox;
        }

        @Override
        public Integer call() throws Exception {
            ChainProposal cp = governance.propose(proposal);
            outbox.processDue();
            Status.print(spec.commandLine().getOut(), governance.byPayoutProposal(proposal), outbox);
            return 0;
        }
    }

    @Command(name = "status", description = "On-chain state, tallies and transactions of payout proposal N.")
    static class Status implements Callable<Integer> {
        @Parameters(paramLabel = "N") long proposal;
        @Spec CommandSpec spec;
        private final GovernanceService governance;
        private final Outbox outbox;

        Status(GovernanceService governance, Outbox outbox) {
            this.governance = governance;
            this.outbox = outbox;
        }

        @Override
        public Integer call() {
            governance.tickWithoutSending();
            print(spec.commandLine().getOut(), governance.byPayoutProposal(proposal), outbox);
            return 0;
        }

        static void print(PrintWriter out, ChainProposal cp, Outbox outbox) {
            String state = ProposalState.ofChain(cp.state);
            out.printf("payout proposal #%d: governor proposal %s%n  %s (%s); for %s, against %s, abstain %s; quorum %s%n",
                    cp.payoutProposalId, cp.onchainId, state, ProposalState.describe(state), cp.votesFor,
                    cp.votesAgainst, cp.votesAbstain, cp.quorum);
            out.printf("  vault %s epoch %s, root %s, pays %s base units%s%n", cp.vault, cp.vaultEpoch, cp.merkleRoot,
                    cp.total, cp.heldTotal == null || cp.heldTotal.signum() == 0 ? ""
                            : ", holds " + cp.heldTotal + " for contributors without a wallet");
            Table table = new Table("tx", "kind", "status", "hash", "nonce", "fees", "attempts", "last error");
            for (ChainTx t : outbox.of(cp.id)) {
                table.row(t.id, t.kind, t.status, t.txHash, t.nonce, t.maxFeePerGas == null ? null
                        : new GasPricing.Fees(t.maxFeePerGas, t.maxPriorityFeePerGas), t.attempts,
                        t.lastError);
            }
            table.print(out);
        }
    }

    @Command(name = "execute", description = "Send whatever is due now: queue, execute, claims (the service does this "
            + "on its own every few seconds).")
    static class Advance implements Callable<Integer> {
        @Parameters(paramLabel = "N") long proposal;
        @Spec CommandSpec spec;
        private final GovernanceService governance;
        private final Outbox outbox;

        Advance(GovernanceService governance, Outbox outbox) {
            this.governance = governance;
            this.outbox = outbox;
        }

        @Override
        public Integer call() {
            governance.byPayoutProposal(proposal);
            governance.tickWithoutSending();
            governance.tick();
            governance.tick();
            Status.print(spec.commandLine().getOut(), governance.byPayoutProposal(proposal), outbox);
            return 0;
        }
    }
}
