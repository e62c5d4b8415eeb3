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
 * Wallet addresses of contributors: where their payouts go. Linked by an operator (CLI, replacing any wallet), or
 * by the wallet's owner through a proven claim ({@link WalletClaims}; only while the contributor has no other wallet).
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
        Optional<Long> owner = owner(handle);
        if (owner.isPresent() && !owner.get().equals(contributorId)) {
            throw ProblemException.conflict("Wallet " + address + " already belongs to contributor " + owner.get() + ".");
        }
        Identity.delete("contributorId = ?1 and kind = ?2", contributorId, Identity.Kind.WALLET);
        Identity.of(contributorId, Identity.Kind.WALLET, handle, Identity.LinkedBy.MANUAL).persist();
        return Keys.toChecksumAddress(handle);
    }

    /**
     * Links the wallet of a proven claim ({@link WalletClaims}): never replacing a contributor's existing wallet, nor
     * taking one that is someone else's; a maintainer changes wallets with {@code merit wallet}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public String linkByProof(long contributorId, String address) {
        String handle = address.toLowerCase(Locale.ROOT);
        Optional<String> conflict = selfServiceConflict(contributorId, handle);
        if (conflict.isPresent()) {
            throw ProblemException.conflict(conflict.get());
        }
        if (of(contributorId).isEmpty()) {
            Identity.of(contributorId, Identity.Kind.WALLET, handle, Identity.LinkedBy.FORGE_PROOF).persist();
        }
        return Keys.toChecksumAddress(handle);
    }

    /**
     * Why a contributor's own request cannot make {@code address} their wallet: it is someone else's (one wallet belongs
     * to one person), or they have another (replacing it would redirect their payouts; a maintainer does that).
     */
    public Optional<String> selfServiceConflict(long contributorId, String address) {
        String handle = address.toLowerCase(Locale.ROOT);
        Optional<Long> owner = owner(handle);
        if (owner.isPresent() && !owner.get().equals(contributorId)) {
            return Optional.of("Wallet " + Keys.toChecksumAddress(handle) + " is already linked to contributor "
                    + owner.get() + "; one wallet belongs to one person.");
        }
        Optional<String> current = of(contributorId);
        if (current.isPresent() && !current.get().equalsIgnoreCase(handle)) {
            return Optional.of("Contributor " + contributorId + " already has wallet " + current.get()
                    + ". Sign in with that wallet, or ask a maintainer to change it (merit wallet).");
        }
        return Optional.empty();
    }

    /** The contributor a wallet is linked to. */
    public Optional<Long> owner(String address) {
        return Identity.<Identity>find("kind = ?1 and handle = ?2", Identity.Kind.WALLET, address.toLowerCase(Locale.ROOT))
                .firstResultOptional().map(i -> i.contributorId);
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
