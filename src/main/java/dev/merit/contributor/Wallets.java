package dev.merit.contributor;

import dev.merit.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.web3j.crypto.Keys;
import org.web3j.crypto.WalletUtils;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Wallet addresses of contributors: where their payouts go. Linked by an operator (CLI) for now; self-service
 * linking with Sign-In with Ethereum comes with the dashboard.
 */
@ApplicationScoped
public class Wallets {

    /** Links {@code address} to the contributor, replacing any wallet they had; one wallet belongs to one person. */
    @Transactional
    public String link(long contributorId, String address) {
        if (address == null || !WalletUtils.isValidAddress(address) || !address.startsWith("0x")) {
            throw ProblemException.invalid("'" + address + "' is not an Ethereum address (0x followed by 40 hex digits).");
        }
        Contributor.<Contributor>findByIdOptional(contributorId)
                .orElseThrow(() -> ProblemException.notFound("contributor", contributorId));
        String handle = address.toLowerCase(Locale.ROOT);
        Optional<Identity> taken = Identity.find("kind = ?1 and handle = ?2", Identity.Kind.WALLET, handle)
                .firstResultOptional();
        if (taken.isPresent() && !taken.get().contributorId.equals(contributorId)) {
            throw ProblemException.conflict("Wallet " + address + " already belongs to contributor "
                    + taken.get().contributorId + ".");
        }
        Identity.delete("contributorId = ?1 and kind = ?2", contributorId, Identity.Kind.WALLET);
        Identity.of(contributorId, Identity.Kind.WALLET, handle, Identity.LinkedBy.MANUAL).persist();
        return Keys.toChecksumAddress(handle);
    }

    public Optional<String> of(long contributorId) {
        return Identity.<Identity>find("contributorId = ?1 and kind = ?2", contributorId, Identity.Kind.WALLET)
                .firstResultOptional().map(i -> Keys.toChecksumAddress(i.handle));
    }

    /** Wallets of many contributors at once; those without one are absent. */
    public Map<Long, String> of(List<Long> contributorIds) {
        Map<Long, String> wallets = new HashMap<>();
        if (contributorIds.isEmpty()) {
            return wallets;
        }
        Identity.<Identity>list("contributorId in ?1 and kind = ?2", contributorIds, Identity.Kind.WALLET)
                .forEach(i -> wallets.put(i.contributorId, Keys.toChecksumAddress(i.handle)));
        return wallets;
    }
}
