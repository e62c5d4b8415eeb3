package dev.merit.audit;

import dev.merit.problem.ProblemException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * The one unit convention of Merit's interfaces: people write and read whole tokens as decimal strings ("5000",
 * "12.5"); the database, the proposal's inputs and the chain hold base units (the token's smallest unit, 10^-decimals
 * of a token). Requests name their unit ({@code budgetTokens}), responses give both ({@code budgetTokens},
 * {@code budgetBaseUnits}).
 */
public final class TokenAmounts {

    /** The vault accounts amounts in 128 bits: nothing larger can ever be paid. */
    public static final BigInteger MAX_BASE_UNITS = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,80}(\\.[0-9]{1,80})?");

    private TokenAmounts() {
    }

    /**
     * Base units of {@code tokens}, a decimal string of whole tokens with at most {@code decimals} decimal places.
     * Refused with a 400 that names {@code field}: signs, exponents, separators, too many decimals, above the
     * vault's limit.
     */
    public static BigInteger parse(String field, String tokens, int decimals) {
        if (tokens == null) {
            return null;
        }
        String text = tokens.strip();
        if (!DECIMAL.matcher(text).matches()) {
            // An option of the command line or a setting is typed as it is; a JSON field is a string, so that no float
            // reads it.
            boolean typed = field.startsWith("--") || field.startsWith("merit.");
            throw ProblemException.invalid(typed ? field + " must be a decimal number of tokens, such "
                    + "as 5000 or 12.5 (no sign, exponent or thousands separator), got '" + shorten(tokens) + "'."
                    : field + " must be a decimal number of tokens written as a string, such as \"5000\" or "
                    + "\"12.5\" (no sign, exponent or thousands separator), got \"" + shorten(tokens) + "\".");
        }
        BigDecimal value = new BigDecimal(text);
        if (value.stripTrailingZeros().scale() > decimals) {
            throw ProblemException.invalid(field + " has more decimal places than the token's " + decimals + ": \""
                    + shorten(tokens) + "\". The smallest amount is " + format(BigInteger.ONE, decimals) + " tokens.");
        }
        BigInteger base = value.movePointRight(decimals).toBigIntegerExact();
        if (base.compareTo(MAX_BASE_UNITS) > 0) {
            throw ProblemException.invalid(field + " is " + shorten(tokens) + " tokens, more than the vault can account: "
                    + "at most " + format(MAX_BASE_UNITS, decimals) + " tokens (2^128 - 1 base units).");
        }
        return base;
    }

    /** {@link #format} and its unit, in words: "1 token", "0.5 tokens", "1000 tokens". */
    public static String words(BigInteger baseUnits, int decimals) {
        String amount = format(baseUnits, decimals);
        return amount + (amount.equals("1") ? " token" : " tokens");
    }

    /** {@code baseUnits} as an exact decimal string of tokens, without trailing zeros ("1000", "0.5"). */
    public static String format(BigInteger baseUnits, int decimals) {
        if (baseUnits == null) {
            return null;
        }
        return new BigDecimal(baseUnits, decimals).stripTrailingZeros().toPlainString();
    }

    /** Checks a base-unit amount the code computed or read against the vault's limit (a 400 naming it). */
    public static void requireFits(String field, BigInteger baseUnits, int decimals) {
        if (baseUnits != null && baseUnits.compareTo(MAX_BASE_UNITS) > 0) {
            throw ProblemException.invalid(field + " is more than the vault can account: at most "
                    + format(MAX_BASE_UNITS, decimals) + " tokens (2^128 - 1 base units).");
        }
    }

    private static String shorten(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }
}
