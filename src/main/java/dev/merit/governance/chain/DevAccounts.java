package dev.merit.governance.chain;

import org.web3j.crypto.Bip32ECKeyPair;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.MnemonicUtils;

/**
 * The well-known public test accounts of anvil and hardhat (mnemonic "test test ... junk", path m/44'/60'/0'/0/i).
 * Their keys are public knowledge: for local development chains only, never for anything of value.
 */
public final class DevAccounts {

    public static final String PUBLIC_TEST_MNEMONIC = "test test test test test test test test test test test junk";
    private static final int HARDENED = 0x80000000;

    private DevAccounts() {
    }

    public static Credentials account(int index) {
        Bip32ECKeyPair master = Bip32ECKeyPair.generateKeyPair(MnemonicUtils.generateSeed(PUBLIC_TEST_MNEMONIC, ""));
        int[] path = {44 | HARDENED, 60 | HARDENED, HARDENED, 0, index};
        return Credentials.create(Bip32ECKeyPair.deriveKeyPair(master, path));
    }
}
