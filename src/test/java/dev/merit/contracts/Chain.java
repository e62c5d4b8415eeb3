package dev.merit.contracts;

import dev.merit.governance.chain.AnvilNode;
import dev.merit.governance.chain.Deployment;
import dev.merit.governance.chain.DevAccounts;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Sign;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One anvil node for a test class, with what contract tests need around it: the public dev accounts, transaction
 * managers that poll quickly, raw calls and sends, and EIP-712 digests and signatures.
 */
final class Chain implements AutoCloseable {

    static final ContractGasProvider GAS = Deployment.GAS;
    static final String ZERO = "0x0000000000000000000000000000000000000000";
    private static final Map<Integer, Credentials> ACCOUNTS = new ConcurrentHashMap<>();

    final AnvilNode anvil;
    final Web3j web3j;

    private Chain(AnvilNode anvil) {
        this.anvil = anvil;
        this.web3j = anvil.web3j();
    }

    static Chain start() {
        return new Chain(AnvilNode.start(Path.of("contracts")));
    }

    /** Dev account {@code i} (its key is public: anvil's test mnemonic). */
    static Credentials account(int i) {
        return ACCOUNTS.computeIfAbsent(i, DevAccounts::account);
    }

    TransactionManager tx(Credentials who) {
        return new RawTransactionManager(web3j, who, AnvilNode.CHAIN_ID, receipts());
    }

    private PollingTransactionReceiptProcessor receipts() {
        return new PollingTransactionReceiptProcessor(web3j, 10, 3000);
    }

    /** The return data of an eth_call; fails the test when the call reverts. */
    String call(String from, String to, String data) throws IOException {
        EthCall call = web3j.ethCall(Transaction.createEthCallTransaction(from, to, data),
                DefaultBlockParameterName.LATEST).send();
        assertThat(call.hasError() || call.isReverted()).as("call reverted: %s", call.hasError()
                ? call.getError().getMessage() : call.getRevertReason()).isFalse();
        return call.getValue();
    }

    /** Sends {@code wei} and {@code data} from {@code who} to {@code to}, and waits for the receipt. */
    TransactionReceipt send(Credentials who, String to, BigInteger wei, String data) throws Exception {
        EthSendTransaction sent = tx(who).sendTransaction(GAS.getGasPrice(), BigInteger.valueOf(1_000_000), to, data, wei);
        assertThat(sent.hasError()).as("send: %s", sent.hasError() ? sent.getError().getMessage() : "").isFalse();
        return receipts().waitForTransactionReceipt(sent.getTransactionHash());
    }

    BigInteger balance(String address) throws IOException {
        return web3j.ethGetBalance(address, DefaultBlockParameterName.LATEST).send().getBalance();
    }

    BigInteger blockNumber() throws IOException {
        return web3j.ethBlockNumber().send().getBlockNumber();
    }

    BigInteger timestamp() throws IOException {
        return web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock().getTimestamp();
    }

    @Override
    public void close() {
        anvil.close();
    }

    /** The creation code of a contract with its constructor arguments, for an eth_call that deploys nothing. */
    static String creation(String binary, Type<?>... arguments) {
        return "0x" + binary + FunctionEncoder.encodeConstructor(List.of(arguments));
    }

    static byte[] keccak(String text) {
        return Hash.sha3(text.getBytes(StandardCharsets.UTF_8));
    }

    /** abi.encode of static values. */
    static byte[] abiEncode(Type<?>... values) {
        return Numeric.hexStringToByteArray(FunctionEncoder.encodeConstructor(List.of(values)));
    }

    /** EIP-712: keccak256("\x19\x01" || domainSeparator || structHash). */
    static byte[] typedDataDigest(byte[] domainSeparator, byte[] structHash) {
        byte[] message = new byte[66];
        message[0] = 0x19;
        message[1] = 0x01;
        System.arraycopy(domainSeparator, 0, message, 2, 32);
        System.arraycopy(structHash, 0, message, 34, 32);
        return Hash.sha3(message);
    }

    static Sign.SignatureData sign(byte[] digest, Credentials who) {
        return Sign.signMessage(digest, who.getEcKeyPair(), false);
    }

    /** A 65-byte r || s || v signature, as a wallet gives it. */
    static byte[] packed(Sign.SignatureData s) {
        byte[] out = new byte[65];
        System.arraycopy(s.getR(), 0, out, 0, 32);
        System.arraycopy(s.getS(), 0, out, 32, 32);
        out[64] = s.getV()[0];
        return out;
    }

    static byte[] bytes32(long value) {
        return Numeric.toBytesPadded(BigInteger.valueOf(value), 32);
    }

    /** The first four bytes of keccak256(signature), as 0x-hex. */
    static String selector(String signature) {
        return Numeric.toHexString(keccak(signature)).substring(0, 10);
    }
}
