package dev.merit.governance;

import java.util.Arrays;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.crypto.StructuredDataEncoder;
import dev.merit.problem.ProblemException;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SignatureException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OpenZeppelin Governor (5.x) vote by signature: EIP-712 {@code Ballot(uint256 proposalId,uint8 support,address
 * voter,uint256 nonce)} in the governor's domain (from its {@code eip712Domain()}). Used to relay votes: the member
 * signs in their wallet, Merit checks the signer and submits {@code castVoteBySig}.
 */
public record Ballot(String governorName, String governorVersion, long chainId, String governor, BigInteger proposalId,
                     int support, String voter, BigInteger nonce) {

    public static final int AGAINST = 0;
    public static final int FOR = 1;
    public static final int ABSTAIN = 2;
    /** The support codes as people say them, by code: against (0), for (1), abstain (2). */
    public static final List<String> SUPPORT_WORDS = List.of("against", "for", "abstain");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The EIP-712 typed data a wallet signs (eth_signTypedData_v4). */
    public String typedDataJson() {
        Map<String, Object> types = new LinkedHashMap<>();
        types.put("EIP712Domain", List.of(field("name", "string"), field("version", "string"),
                field("chainId", "uint256"), field("verifyingContract", "address")));
        types.put("Ballot", List.of(field("proposalId", "uint256"), field("support", "uint8"),
                field("voter", "address"), field("nonce", "uint256")));
        Map<String, Object> domain = new LinkedHashMap<>();
        domain.put("name", governorName);
        domain.put("version", governorVersion);
        domain.put("chainId", chainId);
        domain.put("verifyingContract", governor);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("proposalId", proposalId.toString());
        message.put("support", support);
        message.put("voter", voter);
        message.put("nonce", nonce.toString());
        Map<String, Object> typed = new LinkedHashMap<>();
        typed.put("types", types);
        typed.put("primaryType", "Ballot");
        typed.put("domain", domain);
        typed.put("message", message);
        try {
            return JSON.writeValueAsString(typed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] digest() {
        try {
            return new StructuredDataEncoder(typedDataJson()).hashStructuredData();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 65-byte signature r || s || v, as a wallet returns it. */
    public byte[] sign(ECKeyPair key) {
        Sign.SignatureData s = Sign.signMessage(digest(), key, false);
        byte[] out = new byte[65];
        System.arraycopy(s.getR(), 0, out, 0, 32);
        System.arraycopy(s.getS(), 0, out, 32, 32);
        out[64] = s.getV()[0];
        return out;
    }

    /** The address that produced {@code signature} over this ballot (checksummed). */
    public String signer(byte[] signature) throws SignatureException {
        if (signature.length != 65) {
            throw new SignatureException("a signature has 65 bytes, got " + signature.length);
        }
        byte v = signature[64];
        if (v < 27) {
            v += 27;
        }
        Sign.SignatureData data = new Sign.SignatureData(v, Arrays.copyOfRange(signature, 0, 32),
                Arrays.copyOfRange(signature, 32, 64));
        BigInteger publicKey = Sign.signedMessageHashToKey(digest(), data);
        return Keys.toChecksumAddress(Numeric.prependHexPrefix(Keys.getAddress(publicKey)));
    }

    private static Map<String, String> field(String name, String type) {
        return Map.of("name", name, "type", type);
    }

    private static final java.util.regex.Pattern VOTER = java.util.regex.Pattern.compile("0x[0-9a-fA-F]{40}");

    /** A voter is an Ethereum address (0x and 40 hex digits); anything else is refused, quoted at most 60 characters. */
    static void requireVoter(String voter) {
        // Not WalletUtils.isValidAddress: it parses the digits as a BigInteger, so "0x-" or "0x+" and 39 digits passed.
        if (voter == null || !VOTER.matcher(voter).matches()) {
            String given = String.valueOf(voter);
            throw ProblemException.invalid("voter must be an Ethereum address (0x and 40 hex digits), got '"
                    + (given.length() > 60 ? given.substring(0, 60) + "…" : given) + "'.");
        }
        if (dev.merit.contributor.Wallets.failsChecksum(voter)) { // as a wallet linked or imported is checked
            throw ProblemException.invalid("voter " + voter + " fails its EIP-55 checksum (mixed case that does not "
                    + "match): a character is mistyped or missing. Copy the address again from the wallet.");
        }
    }
}
