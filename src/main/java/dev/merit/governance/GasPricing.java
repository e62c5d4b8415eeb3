package dev.merit.governance;

import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthMaxPriorityFeePerGas;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * What a chain write pays, read from the chain at the time: EIP-1559 fees (twice the latest base fee plus the tip the
 * node suggests, so the transaction stays valid through several full blocks) or, on a chain without a base fee, its gas
 * price; and a gas limit from the node's estimate with a margin. A fixed price either overpays on a cheap chain or is
 * never mined on a busy one; a fixed limit above the per-transaction cap is refused outright.
 */
public final class GasPricing {

    private static final BigInteger GWEI = BigInteger.TEN.pow(9);
    /** A replacement must outbid what it replaces: nodes ask at least 10% more on each fee; 12.5% leaves room. */
    private static final BigInteger BUMP_NUMERATOR = BigInteger.valueOf(9);
    private static final BigInteger BUMP_DENOMINATOR = BigInteger.valueOf(8);

    /** Fees of one transaction: EIP-1559 (max fee, tip), or legacy (the gas price as max fee, no tip). */
    public record Fees(BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {

        public boolean legacy() {
            return maxPriorityFeePerGas == null;
        }

        /** At least 12.5% more on each fee (rounded up), as a node asks of a transaction replacing another. */
        public Fees bumped() {
            return new Fees(bump(maxFeePerGas), legacy() ? null : bump(maxPriorityFeePerGas));
        }

        /** Each fee the higher of the two: a replacement pays what the market asks now if that is more. */
        public Fees atLeast(Fees market) {
            if (legacy() != market.legacy()) {
                return market.maxFeePerGas.compareTo(maxFeePerGas) >= 0 ? market : this;
            }
            return new Fees(maxFeePerGas.max(market.maxFeePerGas),
                    legacy() ? null : maxPriorityFeePerGas.max(market.maxPriorityFeePerGas));
        }

        @Override
        public String toString() {
            return legacy() ? "gas price " + gwei(maxFeePerGas) + " gwei"
                    : "max fee " + gwei(maxFeePerGas) + " gwei, tip " + gwei(maxPriorityFeePerGas) + " gwei";
        }

        private static BigInteger bump(BigInteger fee) {
            BigInteger[] qr = fee.multiply(BUMP_NUMERATOR).divideAndRemainder(BUMP_DENOMINATOR);
            return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
        }
    }

    private GasPricing() {
    }

    /** The fees the chain asks now. */
    public static Fees market(Web3j web3j) throws IOException {
        EthBlock.Block latest = checked(web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send())
                .getBlock();
        if (latest.getBaseFeePerGasRaw() == null) {
            return new Fees(checked(web3j.ethGasPrice().send()).getGasPrice(), null);
        }
        EthMaxPriorityFeePerGas tip = web3j.ethMaxPriorityFeePerGas().send();
        // Nodes that do not suggest a tip get 1 gwei, enough for inclusion on Ethereum outside congestion.
        BigInteger priority = tip.hasError() || tip.getResult() == null ? GWEI : tip.getMaxPriorityFeePerGas();
        return new Fees(latest.getBaseFeePerGas().shiftLeft(1).add(priority), priority);
    }

    /** The gas limit for an estimate: 20% more and 10,000 besides, for state that changes between estimate and block. */
    public static BigInteger gasLimit(BigInteger estimate) {
        return estimate.multiply(BigInteger.valueOf(6)).divide(BigInteger.valueOf(5)).add(BigInteger.valueOf(10_000));
    }

    /** A price in gwei as a DAO configures it, in wei (exact: at most 9 decimals count). */
    public static BigInteger wei(BigDecimal gwei) {
        return gwei.movePointRight(9).setScale(0, RoundingMode.DOWN).toBigIntegerExact();
    }

    public static String gwei(BigInteger wei) {
        return new BigDecimal(wei).movePointLeft(9).stripTrailingZeros().toPlainString();
    }

    private static <T extends Response<?>> T checked(T response) throws IOException {
        if (response.hasError()) {
            throw new IOException("the node answered " + response.getError().getMessage());
        }
        return response;
    }
}
