package dev.merit.epoch;

import java.math.BigInteger;

/**
 * How an epoch's budget is shared. Amounts in token base units.
 *
 * @param minPayout     contributors whose share would be below this get nothing; their share goes to the others
 * @param cap           no contributor gets more than this (null: no cap); the excess goes to the others
 * @param sqrtDampening share by the square root of the score, so a few heavy contributors cannot take everything
 * @param includeBots   pay bot accounts too (off by default)
 */
public record PayoutPolicy(BigInteger minPayout, BigInteger cap, boolean sqrtDampening, boolean includeBots) {

    public PayoutPolicy {
        minPayout = minPayout == null ? BigInteger.ZERO : minPayout;
    }
}
