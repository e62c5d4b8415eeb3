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
}
