package dev.merit.contracts;

import dev.merit.governance.chain.ContractErrors;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Asserts that a call reverts with a given custom error, by simulating it with eth_call, and that Merit tells that
 * revert in words ({@link ContractErrors#explain}): a sentence, or the error's name with its decoded arguments, never
 * the raw revert data.
 */
public final class Reverts {

    private Reverts() {
    }

    public static String selector(String errorSignature) {
        return Hash.sha3String(errorSignature).substring(0, 10);
    }

    /** As {@link #assertRevertsWith(Web3j, String, String, BigInteger, String, String)}, sending no ether. */
    public static ContractErrors.Decoded assertRevertsWith(Web3j web3j, String from, String to, String data,
                                                           String errorSignature) throws IOException {
        return assertRevertsWith(web3j, from, to, null, data, errorSignature);
    }

    /**
     * Calls {@code to} (a contract creation when null) from {@code from} with {@code data} and {@code value} wei;
     * asserts the call reverts with {@code errorSignature} (e.g. {@code "EmptyRoot()"}) and that the revert reads as
     * words. Returns the decoded error, so a test can check its arguments.
     */
    public static ContractErrors.Decoded assertRevertsWith(Web3j web3j, String from, String to, BigInteger value,
                                                           String data, String errorSignature) throws IOException {
        Transaction tx = value == null ? Transaction.createEthCallTransaction(from, to, data)
                : new Transaction(from, null, null, null, to, value, data);
        EthCall call = web3j.ethCall(tx, DefaultBlockParameterName.LATEST).send();
        assertThat(call.isReverted() || call.hasError()).as("call should revert with " + errorSignature).isTrue();
        String message = call.hasError() ? call.getError().getMessage() : null;
        String revertData = (call.hasError() ? String.valueOf(call.getError().getData()) : call.getValue())
                .replace("\"", "");
        assertThat(revertData).as("revert data of " + errorSignature).startsWith(selector(errorSignature));

        String name = errorSignature.substring(0, errorSignature.indexOf('('));
        Optional<ContractErrors.Decoded> decoded = ContractErrors.decode(revertData);
        assertThat(decoded).as("Merit knows " + errorSignature).isPresent();
        assertThat(decoded.get().name()).isEqualTo(name);
        String words = ContractErrors.explain(message, revertData);
        assertThat(words).as("words for " + errorSignature)
                .isEqualTo(decoded.get().words())
                .contains(name)
                .doesNotContain(selector(errorSignature))
                .doesNotContain("its arguments could not be read");
        return decoded.get();
    }
}
