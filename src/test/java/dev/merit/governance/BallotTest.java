package dev.merit.governance;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

import java.math.BigInteger;
import java.security.SignatureException;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A vote by signature: the signer is recovered from the signature over exactly this ballot. */
class BallotTest {

    private static final ECKeyPair KEY = ECKeyPair.create(BigInteger.valueOf(0xB411075L));
    private static final String VOTER = Keys.toChecksumAddress(Credentials.create(KEY).getAddress());

    private static Ballot ballot(int support, BigInteger nonce) {
        return new Ballot("MeritGovernor", "1", 31337, "0x5FbDB2315678afecb367f032d93F642f64180aa3",
                new BigInteger("1234567890123456789"), support, VOTER, nonce);
    }

    @Test
    void theSignerOfABallotIsRecovered() throws SignatureException {
        Ballot b = ballot(Ballot.FOR, BigInteger.ZERO);
        byte[] signature = b.sign(KEY);
        assertThat(signature).hasSize(65);
        assertThat(signature[64]).isIn((byte) 27, (byte) 28);
        assertThat(b.signer(signature)).isEqualTo(VOTER);
        // Wallets that write v as 0/1 sign the same.
        byte[] low = signature.clone();
        low[64] -= 27;
        assertThat(b.signer(low)).isEqualTo(VOTER);
    }

    @Test
    void theSameSignatureOverAnotherBallotIsSomeoneElses() throws SignatureException {
        byte[] signature = ballot(Ballot.FOR, BigInteger.ZERO).sign(KEY);
        assertThat(ballot(Ballot.AGAINST, BigInteger.ZERO).signer(signature)).isNotEqualTo(VOTER);
        assertThat(ballot(Ballot.FOR, BigInteger.ONE).signer(signature)).isNotEqualTo(VOTER);
        assertThat(Arrays.equals(ballot(Ballot.ABSTAIN, BigInteger.ZERO).digest(), ballot(Ballot.FOR, BigInteger.ZERO).digest()))
                .isFalse();
    }

    @Test
    void aSignatureIsSixtyFiveBytes() {
        assertThatThrownBy(() -> ballot(Ballot.FOR, BigInteger.ZERO).signer(new byte[64]))
                .isInstanceOf(SignatureException.class).hasMessage("a signature has 65 bytes, got 64");
    }

    @Test
    void theTypedDataIsOpenZeppelinsBallot() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(ballot(Ballot.ABSTAIN, BigInteger.TEN).typedDataJson())).isEqualTo(json.readTree("{\"types\":{\"EIP712Domain\":["
                + "{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"version\",\"type\":\"string\"},"
                + "{\"name\":\"chainId\",\"type\":\"uint256\"},{\"name\":\"verifyingContract\",\"type\":\"address\"}],"
                + "\"Ballot\":[{\"name\":\"proposalId\",\"type\":\"uint256\"},{\"name\":\"support\",\"type\":\"uint8\"},"
                + "{\"name\":\"voter\",\"type\":\"address\"},{\"name\":\"nonce\",\"type\":\"uint256\"}]},"
                + "\"primaryType\":\"Ballot\",\"domain\":{\"name\":\"MeritGovernor\",\"version\":\"1\",\"chainId\":31337,"
                + "\"verifyingContract\":\"0x5FbDB2315678afecb367f032d93F642f64180aa3\"},\"message\":{\"proposalId\":"
                + "\"1234567890123456789\",\"support\":2,\"voter\":\"" + VOTER + "\",\"nonce\":\"10\"}}"));
    }
}
