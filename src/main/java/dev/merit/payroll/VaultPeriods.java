package dev.merit.payroll;

import java.time.Instant;
import java.util.Optional;

/**
 * How far the DAO's vault has approved pay. The vault pays periods once and in order, so a draft whose epoch starts
 * before that can never go on chain. A port: the governance layer, above, reads the vault.
 */
public interface VaultPeriods {

    /** The end of the last period the vault approved; empty while unknown (no chain, not started, unreachable). */
    Optional<Instant> paidUntil();
}
