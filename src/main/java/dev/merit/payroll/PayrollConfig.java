package dev.merit.payroll;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Payroll defaults ({@code merit.payroll.*}) for epochs created without explicit values (e.g. by the CLI). */
@ConfigMapping(prefix = "merit.payroll")
public interface PayrollConfig {

    /** Decimals of the payout token: amounts are whole units of 10^-decimals tokens. */
    @WithDefault("18")
    int tokenDecimals();

    /** Budget, in whole tokens, of an epoch the CLI creates without --budget. */
    @WithDefault("1000")
    String defaultBudgetTokens();

    /**
     * Payouts after which what an executed payout still holds for contributors without a wallet goes back to the
     * treasury: the next proposal then returns it, by the members' vote (released shares are not affected).
     */
    @WithDefault("6")
    int heldEpochs();

    /**
     * Held shares one vote releases at most, to wallets linked since. Each is a token transfer when the vote executes
     * (about 55,000 gas), and a vote whose execution does not fit in a block can never be executed: 200 stay under
     * 12 million gas. The others wait for the next votes, the oldest payouts' first; a payout whose shares wait is not
     * returned to the treasury meanwhile. Values under 1 count as 1.
     */
    @WithDefault("200")
    int releasesPerVote();
}
