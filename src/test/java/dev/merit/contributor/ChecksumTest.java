package dev.merit.contributor;

import org.junit.jupiter.api.Test;
import org.web3j.crypto.Keys;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A payout's page writes every wallet in its EIP-55 checksummed form with Merit's own, faster, writer: it writes what
 * web3j writes, for EIP-55's own examples and for 10,000 random addresses given in lower, upper and mixed case.
 */
class ChecksumTest {

    @Test
    void writesEveryAddressAsWeb3jDoes() {
        // EIP-55's test vectors: all caps, all lower, and mixed.
        for (String expected : new String[] {"0x52908400098527886E0F7030069857D2E4169EE7",
                "0xde709f2102306220921060314715629080e2fb77", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"}) {
            assertThat(Wallets.checksummed(expected.toLowerCase(java.util.Locale.ROOT))).isEqualTo(expected);
        }
        SplittableRandom random = new SplittableRandom(55);
        for (int i = 0; i < 10_000; i++) {
            StringBuilder hex = new StringBuilder("0x");
            for (int d = 0; d < 40; d++) {
                char c = "0123456789abcdef".charAt(random.nextInt(16));
                boolean upper = i % 3 == 1 || i % 3 == 2 && d % 2 == 0; // all upper case, or mixed
                hex.append(upper ? Character.toUpperCase(c) : c);
            }
            String address = hex.toString();
            assertThat(Wallets.checksummed(address)).as(address).isEqualTo(Keys.toChecksumAddress(address));
        }
    }
}
