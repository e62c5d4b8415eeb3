package dev.merit.cli;

import dev.merit.audit.TokenAmounts;
import dev.merit.governance.ChainProposal;
import dev.merit.governance.ChainService;
import dev.merit.payroll.ProposalState;

import java.io.PrintWriter;
import java.math.BigInteger;

/** What {@code merit chain status} reads from the chain itself, beside Merit's own record of a payout. */
public final class ChainReadings {

    private ChainReadings() {
    }

    /**
     * What the vault holds now, read from the chain: its balance of the payout token and the part of it reserved
     * for contributors without a wallet. Nothing when the chain cannot be read (the rest of the status is Merit's
     * own record). For a payout recorded executed, a warning when the governor says otherwise now.
     */
    public static void printVault(PrintWriter out, ChainProposal cp, ChainService chain) {
        try {
            dev.merit.governance.contracts.PayrollVault vault = chain.readVault(cp.vault);
            dev.merit.governance.contracts.PayoutToken payout = chain.readToken(vault.token().send());
            int decimals = payout.decimals().send().intValue();
            out.printf("  vault balance now %s tokens, of which %s reserved for contributors without a wallet%n",
                    TokenAmounts.format(payout.balanceOf(cp.vault).send(), decimals),
                    TokenAmounts.format(vault.reserved().send(), decimals));
        } catch (Exception e) {
            out.println("  vault balance: the chain could not be read (" + why(e) + ")");
            return;
        }
        if (cp.state() != ChainProposal.State.EXECUTED || cp.onchainId == null) {
            return;
        }
        // Merit stops following an executed payout: were its execution lost (a reorganisation deeper than
        // merit.chain.confirmations, a node started again from older state), only a read of the chain shows it.
        try {
            var governor = chain.readGovernor(cp.governor);
            BigInteger id = new BigInteger(cp.onchainId);
            // A chain started again from before the proposal has none: its state() reverts, and would say nothing.
            ChainProposal.State now = governor.proposalSnapshot(id).send().signum() == 0 ? null
                    : ChainProposal.State.ofChain(governor.state(id).send().intValue());
            if (now != ChainProposal.State.EXECUTED) {
                out.printf("  Warning: the chain says governor proposal %s %s now, while Merit recorded it "
                        + "executed: the chain has lost blocks Merit recorded (a reorganisation deeper than "
                        + "merit.chain.confirmations, or a node started again from older state). Its lines may "
                        + "not be paid; read the vault before relying on this record.%n", cp.onchainId,
                        now == null ? "does not exist" : "is " + ProposalState.ofChain(now.name()));
            }
        } catch (Exception e) {
            out.println("  the governor could not be read (" + why(e) + ")");
        }
    }

    /** Why a read failed, in words where Merit has them (a chain that does not answer), else what failed. */
    private static String why(Exception e) {
        return e instanceof dev.merit.problem.ProblemException p ? p.getMessage()
                : e instanceof java.io.IOException io ? dev.merit.governance.chain.WatchedHttpService.inWords(io)
                : e.getClass().getSimpleName();
    }
}
