package dev.merit.audit;

import dev.merit.problem.ProblemException;
import org.web3j.utils.Numeric;

/** Ethereum signatures as clients send them: 65 bytes of hex (r, s, v). */
public final class Signatures {

    private Signatures() {
    }

    /** The 65 bytes of {@code hex}, or a 400 problem that says what was wrong with it. */
    public static byte[] parse65(String hex) {
        if (hex == null || !hex.matches("(0x)?[0-9a-fA-F]*")) {
            // Numeric reads any character as some nibble: "zz" was a byte, and 130 of them a "signature".
            throw ProblemException.invalid("signature must be 65 bytes of hex (r, s, v): it holds a character that "
                    + "is not a hex digit.");
        }
        byte[] signature;
        try {
            signature = Numeric.hexStringToByteArray(hex);
        } catch (RuntimeException e) {
            signature = new byte[0];
        }
        if (signature.length != 65) {
            throw ProblemException.invalid("signature must be 65 bytes of hex (r, s, v), got " + signature.length + " bytes.");
        }
        return signature;
    }

    /** The order of secp256k1's group: a signature's s above half of it has a twin with the same signer. */
    private static final java.math.BigInteger N = new java.math.BigInteger(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

    /**
     * The one form of {@code signature} that contracts accept (OpenZeppelin's ECDSA, EIP-2): v 27 or 28 (a wallet's
     * 0 or 1 is read as such) and s in the lower half of the curve's order (a high s becomes its twin, n - s, with v
     * flipped). Same signer, same meaning; a 400 when v is none of 0, 1, 27, 28. A signature relayed as sent, v 0 or a
     * high s, reverted on chain, and its relay stood in the way of the member's valid one.
     */
    public static byte[] canonical(byte[] signature) {
        byte[] out = signature.clone();
        int v = out[64] & 0xff;
        if (v == 0 || v == 1) {
            v += 27;
        }
        if (v != 27 && v != 28) {
            throw ProblemException.invalid("signature's v must be 27 or 28 (or 0 or 1), got " + v + ".");
        }
        java.math.BigInteger s = new java.math.BigInteger(1, java.util.Arrays.copyOfRange(out, 32, 64));
        if (s.compareTo(N.shiftRight(1)) > 0) {
            byte[] low = Numeric.toBytesPadded(N.subtract(s), 32);
            System.arraycopy(low, 0, out, 32, 32);
            v = v == 27 ? 28 : 27;
        }
        out[64] = (byte) v;
        return out;
    }
}
