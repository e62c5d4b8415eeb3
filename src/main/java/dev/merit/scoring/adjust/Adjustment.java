package dev.merit.scoring.adjust;

import dev.merit.epoch.Epoch;
import dev.merit.scoring.Factor;

import java.util.Map;

/**
 * One scoring rule beyond the model's own factors: which contributions of an epoch it touches and the factor it gives
 * each (with the reason a contributor reads), and its entry in the policy document (its parameters, as data). A run is
 * a pure function of its epoch's stored contributions: an adjustment reads only those.
 */
public interface Adjustment {

    /** The rule's name in the policy document and on its factors (copy, withdrawn, declined, trivial, repeat, ci). */
    String rule();

    /** The rule's parameters, as the policy document stores and hashes them (numbers as exact strings). */
    Map<String, Object> parameters();

    /** Factors by contribution id, for the epoch's contributions the rule touches. */
    Map<Long, Factor> factors(Epoch epoch);
}
