package dev.merit.governance;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Laws of a vote by signature, over random proposals, supports, voters and nonces: the digest is EIP-712's as the
 * Governor computes it (encoded here by hand from the spec, not by the library Ballot uses), distinct ballots have
 * distinct digests, and the signer recovered from a signature is the voter who signed.
 */
class BallotPropertiesTest {

    private static final String GOVERNOR = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    private static final BigInteger SECP256K1_N =
            new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

    record Vote(BigInteger proposalId, int support, ECKeyPair key, BigInteger nonce) {
        String voter() {
            return Keys.toChecksumAddress(Credentials.create(key).getAddress());
        }

        Ballot ballot() {
            return new Ballot("MeritGovernor", "1", 31337, GOVERNOR, proposalId, support, voter(), nonce);
        }
    }

    @Provide
    Arbitrary<Vote> votes() {
        Arbitrary<BigInteger> uint256 = Arbitraries.oneOf(
                Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.TWO.pow(256).subtract(BigInteger.ONE)),
                Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.valueOf(3)));
        Arbitrary<ECKeyPair> keys = Arbitraries.oneOf(
                Arbitraries.bigIntegers().between(BigInteger.ONE, SECP256K1_N.subtract(BigInteger.ONE)),
                Arbitraries.bigIntegers().between(BigInteger.ONE, BigInteger.valueOf(3))).map(ECKeyPair::create);
        return Combinators.combine(uint256, Arbitraries.integers().between(0, 2), keys, uint256).as(Vote::new);
    }

    private static byte[] word(BigInteger value) {
        return Numeric.toBytesPadded(value, 32);
    }

    private static byte[] keccak(String text) {
        return Hash.sha3(text.getBytes(StandardCharsets.UTF_8));
    }

    /** keccak256("\x19\x01" ‖ domainSeparator ‖ keccak256(abi.encode(BALLOT_TYPEHASH, proposalId, support, voter, nonce))). */
    private static byte[] eip712(Vote v) {
        ByteArrayOutputStream domain = new ByteArrayOutputStream();
        domain.writeBytes(keccak("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"));
        domain.writeBytes(keccak("MeritGovernor"));
        domain.writeBytes(keccak("1"));
        domain.writeBytes(word(BigInteger.valueOf(31337)));
        domain.writeBytes(word(Numeric.toBigInt(GOVERNOR)));
        ByteArrayOutputStream struct = new ByteArrayOutputStream();
        struct.writeBytes(keccak("Ballot(uint256 proposalId,uint8 support,address voter,uint256 nonce)"));
        struct.writeBytes(word(v.proposalId()));
        struct.writeBytes(word(BigInteger.valueOf(v.support())));
        struct.writeBytes(word(Numeric.toBigInt(v.voter())));
        struct.writeBytes(word(v.nonce()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{0x19, 0x01});
        out.writeBytes(Hash.sha3(domain.toByteArray()));
        out.writeBytes(Hash.sha3(struct.toByteArray()));
        return Hash.sha3(out.toByteArray());
    }

    @Property(tries = 200)
    void theDigestIsTheGovernorsEip712Hash(@ForAll("votes") Vote vote) {
        assertThat(vote.ballot().digest()).isEqualTo(eip712(vote));
    }

    @Property(tries = 200)
    void distinctBallotsHaveDistinctDigests(@ForAll("votes") Vote a, @ForAll("votes") Vote b) {
        Assume.that(!a.proposalId().equals(b.proposalId()) || a.support() != b.support()
                || !a.voter().equals(b.voter()) || !a.nonce().equals(b.nonce()));
        assertThat(Arrays.equals(a.ballot().digest(), b.ballot().digest())).isFalse();
    }

    @Property(tries = 100)
    void theRecoveredSignerIsTheVoterAndNoOtherKeySignsForThem(@ForAll("votes") Vote vote, @ForAll("votes") Vote other)
            throws SignatureException {
        Ballot ballot = vote.ballot();
        assertThat(ballot.signer(ballot.sign(vote.key()))).isEqualTo(vote.voter());
        Assume.that(!other.voter().equals(vote.voter()));
        // Someone else's key over this ballot recovers to them, not to the voter named in it.
        assertThat(ballot.signer(ballot.sign(other.key()))).isEqualTo(other.voter()).isNotEqualTo(vote.voter());
    }
}
