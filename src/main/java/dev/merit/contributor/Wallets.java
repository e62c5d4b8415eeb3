package dev.merit.contributor;

import dev.merit.audit.IdSlices;
import dev.merit.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Wallet addresses of contributors: where their payouts go. Linked by an operator (CLI, replacing any wallet), or
 * by the wallet's owner through a proven claim ({@link WalletClaims}; only while the contributor has no other wallet).
 */
@ApplicationScoped
public class Wallets {

    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

    /**
     * Why {@code address} is not a wallet address Merit links, or empty: 0x and 40 hex digits, and when written in
     * mixed case, its EIP-55 checksum must match (a mistyped digit then shows).
     */
    public static Optional<String> addressProblem(String address) {
        if (address == null || address.isBlank()) {
            return Optional.of("no address given");
        }
        String a = address.strip();
        if (!ADDRESS.matcher(a).matches()) {
            return Optional.of("'" + (a.length() > 60 ? a.substring(0, 60) + "..." : a)
                    + "' is not an Ethereum address (0x followed by 40 hex digits)");
        }
        String hex = a.substring(2);
        if (hex.chars().allMatch(c -> c == '0')) {
            // Nobody holds its key: tokens sent there are burnt, and many tokens refuse the transfer, which would stop
            // the whole claim batch (and a release to it, the whole payout's execution).
            return Optional.of(a + " is the zero address, which no one owns: tokens paid to it are lost");
        }
        if (failsChecksum(a)) {
            // Never with "the checksummed form of what was written": pasted back, it passes, and the typo the checksum
            // caught is paid to an address no one holds.
            return Optional.of(a + " fails its EIP-55 checksum (mixed case that does not match): a character is "
                    + "mistyped or missing. Copy the address again from its owner's wallet; do not correct it by hand");
        }
        return Optional.empty();
    }

    /**
     * Whether {@code address} (0x and 40 hex digits) is written in mixed case that is not its EIP-55 checksum: a
     * character mistyped or missing. All lower or all upper case carries no checksum, and passes.
     */
    public static boolean failsChecksum(String address) {
        String hex = address.substring(2);
        boolean mixed = !hex.equals(hex.toLowerCase(Locale.ROOT)) && !hex.equals(hex.toUpperCase(Locale.ROOT));
        return mixed && !Keys.toChecksumAddress(address.toLowerCase(Locale.ROOT)).equals(address);
    }

    /**
     * Removes the contributor's wallet (their shares are then held, in payouts made from now on, until one is linked;
     * what was proposed or paid before keeps its wallet); returns the one removed.
     */
    @Transactional
    public Optional<String> unlink(long contributorId) {
        lock(List.of(contributorId));
        Optional<String> had = of(contributorId);
        Identity.delete("contributorId = ?1 and kind = ?2", contributorId, Identity.Kind.WALLET);
        return had;
    }

    /**
     * Locks these contributors' rows until the transaction ends, in id order (so two writers of overlapping sets wait
     * for each other instead of deadlocking): a check of a contributor's wallet and the link that follows it are then
     * one step. Without it, two imports or links at the same moment each saw "no wallet" and each linked one, leaving
     * a contributor with two wallets (their payout going to either) or one overwriting the other unsaid.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lock(java.util.Collection<Long> contributorIds) {
        List<Long> ids = contributorIds.stream().filter(java.util.Objects::nonNull).distinct().sorted().toList();
        IdSlices.list(ids, slice -> Contributor.getEntityManager().createQuery(
                        "select c from Contributor c where c.id in :ids order by c.id", Contributor.class)
                .setParameter("ids", slice).setLockMode(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .getResultList());
    }

    /** Links {@code address} to the contributor, replacing any wallet they had; one wallet belongs to one person. */
    @Transactional
    public String link(long contributorId, String address) {
        requireLinkable(contributorId, address);
        Contributor.<Contributor>findByIdOptional(contributorId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> ProblemException.notFound("contributor", contributorId));
        Optional<ContributorMerge> away = ContributorMerge.awayOf(contributorId);
        if (away.isPresent()) {
            throw ProblemException.conflict("Contributor " + contributorId + " was merged into contributor "
                    + away.get().intoId + " (merge " + away.get().id + "): link the wallet of " + away.get().intoId + ".");
        }
        String handle = address.strip().toLowerCase(Locale.ROOT);
        Identity.delete("contributorId = ?1 and kind = ?2", contributorId, Identity.Kind.WALLET);
        Identity.of(contributorId, Identity.Kind.WALLET, handle, Identity.LinkedBy.MANUAL).persist();
        return Keys.toChecksumAddress(handle);
    }

    /**
     * Refuses an address that {@link #link} would refuse for this contributor whatever they have linked (malformed,
     * the zero address, a failed checksum, another contributor's): checked before anything is offered instead (a
     * "run again with --replace" that would then be refused).
     */
    public void requireLinkable(long contributorId, String address) {
        Optional<String> problem = addressProblem(address);
        if (problem.isPresent()) {
            throw ProblemException.invalid(Character.toUpperCase(problem.get().charAt(0)) + problem.get().substring(1) + ".");
        }
        Optional<Long> owner = owner(address.strip().toLowerCase(Locale.ROOT));
        if (owner.isPresent() && !owner.get().equals(contributorId)) {
            throw ProblemException.conflict("Wallet " + address + " already belongs to contributor " + owner.get() + ".");
        }
    }

    /**
     * Links wallets to contributors that have none, as a wallet import does after checking every row under
     * {@link #lock} in the same transaction (each address well formed and no one's, each contributor current and
     * without a wallet): one batched insert, instead of {@link #link}'s checks again for each row.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void linkChecked(Map<Long, String> handleByContributor) {
        handleByContributor.forEach((id, handle) -> Identity.of(id, Identity.Kind.WALLET, handle,
                Identity.LinkedBy.MANUAL).persist());
    }

    /**
     * Links the wallet of a proven claim ({@link WalletClaims}): never replacing a contributor's existing wallet, nor
     * taking one that is someone else's; a maintainer changes wallets with {@code merit wallet}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public String linkByProof(long contributorId, String address) {
        lock(List.of(contributorId));
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

    /**
     * Wallets of many contributors at once; those without one are absent. A contributor merged into another (one
     * person known twice) is paid to the wallet of the one it was merged into: the lines of a payout proposed before
     * the merge name both.
     */
    public Map<Long, String> of(List<Long> contributorIds) {
        if (contributorIds.isEmpty()) {
            return new HashMap<>();
        }
        return mergedFollowed(walletsOf(contributorIds), ContributorMerge.currentOf(contributorIds));
    }

    /**
     * As {@link #of(List)}, for the contributors {@code selection} selects (an HQL query of contributor ids, its named
     * parameters in {@code params}), in one statement however many they are: the 40,000 contributors of a large
     * payout asked for by id would take 40 statements of 1,000 ids each, and most of a page's time.
     */
    public Map<Long, String> ofSelected(String selection, Map<String, Object> params) {
        Map<Long, String> own = rows(walletRows("i.contributorId in (" + selection + ")", params));
        return mergedFollowed(own, ContributorMerge.currentOfSelected(selection, params));
    }

    /** {@code own} wallets, where those merged away ({@code current}: into whom) take the wallet of whom they are. */
    private static Map<Long, String> mergedFollowed(Map<Long, String> own, Map<Long, Long> current) {
        if (current.isEmpty()) {
            return own;
        }
        Map<Long, String> theirs = walletsOf(new HashSet<>(current.values()));
        current.forEach((id, now) -> {
            String wallet = theirs.get(now);
            if (wallet == null) {
                own.remove(id);
            } else {
                own.put(id, wallet);
            }
        });
        return own;
    }

    /** The wallets of {@code contributorIds} themselves (no merge followed), read 1,000 ids a statement. */
    private static Map<Long, String> walletsOf(java.util.Collection<Long> contributorIds) {
        return rows(IdSlices.list(contributorIds,
                slice -> walletRows("i.contributorId in :ids", Map.of("ids", slice))));
    }

    /** Contributor id and address of the wallets {@code where} selects (read as values: no entity to track). */
    private static List<Object[]> walletRows(String where, Map<String, Object> params) {
        var query = Identity.getEntityManager().createQuery("select i.contributorId, i.handle from Identity i "
                + "where i.kind = :walletKind and " + where, Object[].class)
                .setParameter("walletKind", Identity.Kind.WALLET);
        params.forEach(query::setParameter);
        return query.getResultList();
    }

    private static Map<Long, String> rows(List<Object[]> rows) {
        Map<Long, String> wallets = new HashMap<>();
        for (Object[] r : rows) {
            wallets.put((Long) r[0], checksummed((String) r[1]));
        }
        return wallets;
    }

    /**
     * {@code address} in its EIP-55 mixed case, as {@link Keys#toChecksumAddress} writes it, three times as fast (that
     * one parses each hexadecimal digit of the hash from a string of its own): a large payout's page writes 30,000.
     */
    static String checksummed(String address) {
        String hex = Numeric.cleanHexPrefix(address).toLowerCase(Locale.ROOT);
        byte[] hash = Hash.sha3(hex.getBytes(StandardCharsets.US_ASCII));
        char[] out = new char[hex.length() + 2];
        out[0] = '0';
        out[1] = 'x';
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            int nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
            out[i + 2] = c >= 'a' && nibble >= 8 ? Character.toUpperCase(c) : c;
        }
        return new String(out);
    }
}
