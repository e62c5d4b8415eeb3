package dev.merit.audit;

import dev.merit.problem.ProblemException;
import org.web3j.utils.Numeric;

/** Ethereum signatures as clients send them: 65 bytes of hex (r, s, v). */
public final class Signatures {

    private Signatures() {
    }

    /** The 65 bytes of {@code hex}, or a 400 problem that says what was wrong with it. */
    public static byte[] parse65(String hex) {
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
}
