package dev.merit.contributor;

import dev.merit.audit.IdSlices;
import dev.merit.problem.ProblemException;
import dev.merit.security.WebConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;
import org.web3j.crypto.Keys;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Self-service wallet links that have to be proven. A signed Sign-In with Ethereum message proves who holds a wallet,
 * not who a contributor is: linking on the signature alone let whoever asked first take the payouts of every
 * contributor without a wallet. So a signed request opens a claim with a one-time code, and the wallet is linked when
 * that code is posted (an issue, pull request, review or comment) by a GitHub or GitLab account that already is one of
 * the contributor's identities, as the forge's authenticated webhook delivers it; or when a maintainer links it.
 * Accounts that joined a contributor only by a matching display name do not count.
 */
@ApplicationScoped
public class WalletClaims {

    private static final Logger LOG = Logger.getLogger(WalletClaims.class);
    public static final String PREFIX = "merit-link-";
    /** Letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L, U/V). */
    private static final String ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789";
    private static final Pattern CODE = Pattern.compile("(?i)(?<![A-Za-z0-9-])merit-link-([A-Z0-9]{12})(?![A-Za-z0-9])");
    /** Forges whose webhooks authenticate the account that wrote a text (HMAC signature, secret token). */
    public static final Set<String> PROVING_SOURCES = Set.of("github", "gitlab");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** An open claim: the code to post, until when, and the accounts it may be posted from. */
    public record Claim(long contributorId, String address, String code, Instant expiresAt, List<String> proveFrom) {
    }

    private final Wallets wallets;
    private final WebConfig config;

    public WalletClaims(Wallets wallets, WebConfig config) {
        this.wallets = wallets;
        this.config = config;
    }

    /**
     * The signed request of {@code address} to be the contributor's wallet: empty when it already is; else an open
     * claim (the same one when asked again while it is open). A wallet of someone else, or a contributor who has
     * another wallet, is a conflict (409), as a self-service link never replaces a wallet.
     */
    @Transactional
    public Optional<Claim> claim(long asked, String address) {
        Contributor.<Contributor>findByIdOptional(asked)
                .orElseThrow(() -> ProblemException.notFound("contributor", asked));
        // A contributor merged into another is that one now: the claim is for the contributor who stands for it.
        long contributorId = ContributorMerge.current(asked);
        // One claim at a time for a contributor: twenty sign-ins at once each found none open and each made one.
        Contributor.findById(contributorId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        String handle = address.toLowerCase(Locale.ROOT);
        Optional<String> conflict = wallets.selfServiceConflict(contributorId, handle);
        if (conflict.isPresent()) {
            throw ProblemException.conflict(conflict.get());
        }
        if (wallets.of(contributorId).isPresent()) {
            return Optional.empty(); // already this wallet
        }
        Instant now = Instant.now();
        WalletClaim open = WalletClaim.<WalletClaim>find("contributorId = ?1 and address = ?2 and status = ?3 "
                        + "and expiresAt > ?4 order by id desc", contributorId, handle, WalletClaim.Status.OPEN, now)
                .firstResult();
        if (open == null) {
            open = new WalletClaim();
            open.contributorId = contributorId;
            open.address = handle;
            open.code = newCode();
            open.status = WalletClaim.Status.OPEN;
            open.createdAt = now;
            open.expiresAt = now.plus(Duration.ofHours(config.walletClaimHours()));
            open.persist();
        }
        return Optional.of(view(open));
    }

    /**
     * Codes in a text that a forge account wrote, as its authenticated webhook delivered it: each open claim whose
     * contributor has that account (not by a name match) gets its wallet linked. Returns what happened to each code,
     * for the delivery's record. Runs in the caller's transaction, so the delivery and the link are stored together.
     * {@code accountId} is the forge's id of the posting account (user.id; null when unknown): a login whose account
     * Merit knew by another id was renamed and taken by someone else, and proves nothing.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> prove(String source, String text, String login, String accountId, String proof) {
        List<String> outcomes = new ArrayList<>();
        if (!PROVING_SOURCES.contains(source) || text == null || login == null) {
            return outcomes;
        }
        // Only what the account wrote itself: a quoted line ("> ..."; GitHub's and GitLab's quote reply) is someone
        // else's words, and a code in it would let that someone link their wallet to the one who quoted it.
        String own = text.lines().filter(l -> !l.stripLeading().startsWith(">")).collect(Collectors.joining("\n"));
        Matcher m = CODE.matcher(own);
        while (m.find()) {
            String code = PREFIX + m.group(1).toUpperCase(Locale.ROOT);
            outcomes.add(code + ": " + proveCode(code, login, accountId, proof));
        }
        return outcomes;
    }

    private String proveCode(String code, String login, String accountId, String proof) {
        WalletClaim claim = WalletClaim.<WalletClaim>find("code", code).firstResult();
        if (claim == null || claim.status != WalletClaim.Status.OPEN) {
            return claim == null ? "no such claim" : "already " + claim.status.name().toLowerCase(Locale.ROOT);
        }
        Instant now = Instant.now();
        if (!claim.expiresAt.isAfter(now)) {
            settle(claim, WalletClaim.Status.REFUSED, "expired before it was posted (" + proof + ")");
            return "expired; sign in again for a new code";
        }
        // The posting account as Merit knows it by its id, under whichever login (renamed, or a login it took over
        // from another account: then it is a contributor of its own); by its login only when the forge gives no id.
        Optional<Identity> account = (accountId == null ? Optional.<Identity>empty()
                : Identity.forgeAccount(login, accountId))
                .or(() -> Identity.<Identity>find("kind = ?1 and handle = ?2", Identity.Kind.FORGE_LOGIN, login)
                        .firstResultOptional());
        // The claim's contributor may have been merged into another since: that one's accounts prove it, and get it.
        long owner = ContributorMerge.current(claim.contributorId);
        if (account.isEmpty() || !account.get().contributorId.equals(owner)
                || account.get().linkedBy == Identity.LinkedBy.SAME_NAME) {
            // Left open: the contributor's own account may still post it.
            LOG.warnf("Wallet claim %d: code posted by %s, which is not an account of contributor %d", claim.id, login,
                    owner);
            return "posted by " + login + ", which is not an account of " + who(owner)
                    + (account.isPresent() && account.get().linkedBy == Identity.LinkedBy.SAME_NAME
                    ? " (only its display name matches)" : "") + "; not linked";
        }
        if (accountId != null && account.get().accountId != null && !account.get().accountId.equals(accountId)) {
            // Left open: the contributor's own account (the id Merit knew) may still post it.
            LOG.warnf("Wallet claim %d: code posted as %s by account %s, not the account %s Merit knew by that login",
                    claim.id, login, accountId, account.get().accountId);
            return "posted as " + login + " by account " + accountId + ", not the account (" + account.get().accountId
                    + ") Merit knew by that login: a login taken over after a rename proves nothing; not linked";
        }
        // Checked here rather than caught: an exception out of a transactional call would roll the delivery back.
        Optional<String> refusal = wallets.selfServiceConflict(owner, claim.address);
        if (refusal.isPresent()) {
            settle(claim, WalletClaim.Status.REFUSED, refusal.get());
            return "refused: " + refusal.get();
        }
        String linked = wallets.linkByProof(owner, claim.address);
        settle(claim, WalletClaim.Status.LINKED, "proven by " + login + " in " + proof);
        LOG.infof("Wallet %s linked to contributor %d, proven by %s in %s", linked, owner, login, proof);
        return "wallet " + linked + " linked to " + who(owner);
    }

    /** A contributor as a receipt names them: their name, and the number the CLI and the API know them by. */
    private static String who(long contributorId) {
        Contributor c = Contributor.findById(contributorId);
        return (c == null ? "a contributor" : c.displayName) + " (contributor #" + contributorId + ")";
    }

    /** A maintainer linked a wallet: the contributor's open claims are settled by it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void settledByMaintainer(long contributorId, String address) {
        // Also the open claims of contributors merged into this one: they are this person's.
        for (WalletClaim claim : WalletClaim.<WalletClaim>list("(contributorId = ?1 or contributorId in (select m.fromId "
                + "from ContributorMerge m where m.intoId = ?1 and m.unmergedAt is null)) and status = ?2", contributorId,
                WalletClaim.Status.OPEN)) {
            settledByMaintainer(claim, address);
        }
    }

    /**
     * {@link #settledByMaintainer(long, String)} for many contributors at once (a wallet import): the open claims are
     * read once, and those of contributors merged into one of them, a query for each 1,000 claimants.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void settledByMaintainer(Map<Long, String> linked) {
        if (linked.isEmpty()) {
            return;
        }
        List<WalletClaim> open = WalletClaim.list("status = ?1", WalletClaim.Status.OPEN);
        Map<Long, Long> mergedInto = new HashMap<>();
        IdSlices.list(open.stream().map(c -> c.contributorId).distinct().toList(), slice -> ContributorMerge
                        .<ContributorMerge>list("fromId in ?1 and unmergedAt is null", slice))
                .forEach(m -> mergedInto.put(m.fromId, m.intoId));
        for (WalletClaim claim : open) {
            Long into = mergedInto.get(claim.contributorId);
            String address = linked.containsKey(claim.contributorId) ? linked.get(claim.contributorId)
                    : into == null ? null : linked.get(into);
            if (address != null) {
                settledByMaintainer(claim, address);
            }
        }
    }

    private static void settledByMaintainer(WalletClaim claim, String address) {
        boolean same = claim.address.equalsIgnoreCase(address);
        settle(claim, same ? WalletClaim.Status.LINKED : WalletClaim.Status.REFUSED,
                same ? "linked by a maintainer" : "a maintainer linked another wallet");
    }

    /** Open claims that have not expired, oldest first: what a maintainer may confirm. */
    @Transactional
    public List<Claim> open() {
        return WalletClaim.<WalletClaim>list("status = ?1 and expiresAt > ?2 order by id", WalletClaim.Status.OPEN,
                Instant.now()).stream().map(this::view).toList();
    }

    private Claim view(WalletClaim claim) {
        List<String> from = Identity.<Identity>list("contributorId = ?1 and kind = ?2 order by handle",
                        ContributorMerge.current(claim.contributorId), Identity.Kind.FORGE_LOGIN).stream()
                .filter(i -> i.linkedBy != Identity.LinkedBy.SAME_NAME)
                .map(i -> i.handle)
                .filter(h -> PROVING_SOURCES.contains(h.substring(0, Math.max(0, h.indexOf(':')))))
                .toList();
        return new Claim(claim.contributorId, Keys.toChecksumAddress(claim.address), claim.code, claim.expiresAt, from);
    }

    private static void settle(WalletClaim claim, WalletClaim.Status status, String outcome) {
        claim.status = status;
        claim.settledAt = Instant.now();
        claim.outcome = outcome;
    }

    private static String newCode() {
        StringBuilder code = new StringBuilder(PREFIX);
        for (int i = 0; i < 12; i++) {
            code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }
}
