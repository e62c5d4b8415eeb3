package dev.merit.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the dashboard names the DAO and its payout token. */
@ConfigMapping(prefix = "merit.dao")
public interface DaoConfig {

    /** The DAO's name, on the dashboard's home page and in page titles. */
    @WithDefault("Merit DAO")
    String name();

    /** The payout token's symbol, after every amount (the embedded chain's payout token is MPAY). */
    @WithDefault("MPAY")
    String tokenSymbol();
}
