package dev.merit.governance;

import dev.merit.governance.contracts.PayrollVault;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

import java.util.List;
import java.util.Optional;

/** What a mined {@code claimBatch} transaction tried to pay, read back from its input on chain. */
final class ClaimBatchInput {

    private ClaimBatchInput() {
    }

    /** The accounts (lower case) a {@code claimBatch} call's input pays; empty if the input is not such a call. */
    static Optional<List<String>> accounts(String input) {
        String selector = Hash.sha3String(PayrollVault.FUNC_CLAIMBATCH
                + "(uint256,address[],uint256[],bytes32[],bool[])").substring(0, 10);
        String hex = Numeric.cleanHexPrefix(input == null ? "" : input);
        if (!hex.toLowerCase(java.util.Locale.ROOT).startsWith(Numeric.cleanHexPrefix(selector))) {
            return Optional.empty();
        }
        try {
            List<org.web3j.abi.datatypes.Type> args = org.web3j.abi.FunctionReturnDecoder.decode(hex.substring(8),
                    org.web3j.abi.Utils.convert(List.of(
                            new org.web3j.abi.TypeReference<org.web3j.abi.datatypes.generated.Uint256>() { },
                            new org.web3j.abi.TypeReference<org.web3j.abi.datatypes.DynamicArray<org.web3j.abi.datatypes.Address>>() { })));
            @SuppressWarnings("unchecked")
            List<org.web3j.abi.datatypes.Address> accounts = (List<org.web3j.abi.datatypes.Address>) args.get(1).getValue();
            return Optional.of(accounts.stream().map(a -> a.getValue().toLowerCase(java.util.Locale.ROOT)).toList());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
