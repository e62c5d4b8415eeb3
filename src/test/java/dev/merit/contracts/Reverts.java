package dev.merit.contracts;

import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** Asserts that a call reverts with a given custom error, by simulating it with eth_call. */
public final class Reverts {

    private Reverts() {
    }

    public static String selector(String errorSignature) {
        return Hash.sha3String(errorSignature).substring(0, 10);
    }

    public static void assertRevertsWith(Web3j web3j, String from, String to, String data, String errorSignature)
            throws IOException {
        EthCall call = web3j.ethCall(Transaction.createEthCallTransaction(from, to, data),
                DefaultBlockParameterName.LATEST).send();
        String revertData = call.hasError() ? String.valueOf(call.getError().getData()) : call.getValue();
        assertThat(call.isReverted() || call.hasError()).as("call should revert with " + errorSignature).isTrue();
        assertThat(revertData.replace("\"", "")).as("revert data of " + errorSignature)
                .startsWith(selector(errorSignature));
    }
}
