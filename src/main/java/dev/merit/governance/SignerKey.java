package dev.merit.governance;

import dev.merit.problem.ProblemException;
import org.web3j.crypto.Credentials;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The key Merit signs chain writes with on a configured deployment: from the environment variable
 * {@code merit.chain.signer-key-env} names, else the file {@code merit.chain.signer-key-file}. Never logged; each
 * refusal says which setting to fix, never the key.
 */
final class SignerKey {

    private SignerKey() {
    }

    static Credentials read(ChainConfig config) {
        String key = System.getenv(config.signerKeyEnv());
        if ((key == null || key.isBlank()) && config.signerKeyFile().isPresent()) {
            try {
                key = Files.readString(Path.of(config.signerKeyFile().get())).strip();
            } catch (IOException e) {
                throw ProblemException.unprocessable("no-signer", "No signer key",
                        "The signer key file " + config.signerKeyFile().get() + " cannot be read.");
            }
        }
        if (key == null || key.isBlank()) {
            throw ProblemException.unprocessable("no-signer", "No signer key", "Chain writes need Merit's signer key: "
                    + "set the environment variable " + config.signerKeyEnv() + " or merit.chain.signer-key-file.");
        }
        try {
            return Credentials.create(key);
        } catch (RuntimeException e) {
            throw ProblemException.unprocessable("no-signer", "No signer key",
                    "The configured signer key is not a valid private key.");
        }
    }
}
