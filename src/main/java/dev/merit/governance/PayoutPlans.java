package dev.merit.governance;

import dev.merit.audit.IdSlices;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.audit.TokenAmounts;
import dev.merit.contributor.Contributor;
import dev.merit.contributor.Wallets;
import dev.merit.epoch.Epoch;
import dev.merit.governance.contracts.PayrollVault;
import dev.merit.payroll.PayoutLedger;
import dev.merit.payroll.PayoutLine;
import dev.merit.payroll.PayoutProposal;
import dev.merit.payroll.PayrollConfig;
import dev.merit.payroll.PayrollService;
import jakarta.enterprise.context.ApplicationScoped;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a payout becomes on chain, as one governor proposal members vote on: the vault approves the payout's lines
 * with a wallet (a Merkle root of (wallet, amount) leaves) and holds the shares of contributors without one (a
 * second root of (key, amount) leaves, the key derived from the contributor, never an address); it releases held
 * shares of earlier payouts to wallets linked since, and returns to the treasury what earlier payouts held longer
 * than {@code merit.payroll.held-epochs} payouts. The description names every release.
 */
@ApplicationScoped
public class PayoutPlans {

    /** One call the governor proposal makes on the vault. */
    public record Call(String target, String data) {
    }

    /** A held line of an earlier payout, released to the wallet its contributor linked since. */
    public record Release(long lineId, long contributorId, String name, ChainProposal from, MerkleTree.Leaf leaf,
                          String wallet) {
    }

    /** The proposal: its calls and description, and what it pays, holds, releases and returns. */
    public record Plan(List<Call> calls, String description, List<MerkleTree.Leaf> paidLeaves, String paidRoot,
                       BigInteger paidTotal, Map<Long, String> wallets, List<MerkleTree.Leaf> heldLeaves,
                       String heldRoot, BigInteger heldTotal, Map<Long, String> heldKeys, List<Release> releases,
                       List<ChainProposal> returns) {
    }

    /**
     * What a payout put on chain now would release and return besides its own lines, and how many held shares linked
     * since wait for a later vote (more than {@code merit.payroll.releases-per-vote}).
     */
    public record Pending(List<Release> releases, List<ChainProposal> returns, int releasesWaiting) {
    }

    /**
     * The releases one vote carries: the first {@code max} in order (the oldest payouts' first, each payout's by rank),
     * and the payouts whose other releases wait for a later vote.
     */
    record Carried(List<Release> releases, int waiting, java.util.Set<Long> waitingFrom) {

        static Carried of(List<Release> all, int max) {
            int n = Math.max(1, max);
            if (all.size() <= n) {
                return new Carried(all, 0, java.util.Set.of());
            }
            java.util.Set<Long> from = new java.util.HashSet<>();
            all.subList(n, all.size()).forEach(r -> from.add(r.from().payoutProposalId));
            return new Carried(List.copyOf(all.subList(0, n)), all.size() - n, from);
        }
    }

    private final PayrollService payroll;
    private final PayoutLedger ledger;
    private final Wallets wallets;
    private final PayrollConfig config;
    private final ObjectMapper json;

    public PayoutPlans(PayrollService payroll, PayoutLedger ledger, Wallets wallets, PayrollConfig config,
                       ObjectMapper json) {
        this.payroll = payroll;
        this.ledger = ledger;
        this.wallets = wallets;
        this.config = config;
        this.json = json;
    }

    /** The key the vault holds a contributor's share under: keccak256 of "merit:contributor:" and their id. */
    public static String heldKey(long contributorId) {
        return Numeric.toHexString(Hash.sha3(("merit:contributor:" + contributorId).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * What the next payout put on chain would also move, as {@link #plan} would make it now: held shares of earlier
     * payouts released to wallets linked since, and payouts that held longer than the policy returned. Nothing is sent.
     */
    public Pending pending(PayrollVault vault) throws IOException {
        InFlight inFlight = inFlight();
        List<PayoutLine> held = ledger.heldOutstanding();
        Carried releases = Carried.of(releases(vault, inFlight, held), config.releasesPerVote());
        return new Pending(releases.releases(), returns(vault, inFlight, held, releases.waitingFrom()),
                releases.waiting());
    }

    /** The plan for payout {@code p} of {@code epoch} on {@code vault}, keyed there by {@code vaultEpoch}. */
    public Plan plan(PayoutProposal p, Epoch epoch, PayrollVault vault, BigInteger vaultEpoch) throws IOException {
        List<PayoutLine> lines = payroll.lines(p.id).stream().filter(l -> l.amount.signum() > 0).toList();
        Map<Long, String> wallet = wallets.of(lines.stream().map(l -> l.contributorId).toList());
        Map<String, BigInteger> byWallet = new TreeMap<>();
        List<MerkleTree.Leaf> held = new ArrayList<>();
        Map<Long, String> heldKeys = new LinkedHashMap<>();
        for (PayoutLine line : lines) {
            String w = wallet.get(line.contributorId);
            if (w != null) {
                byWallet.merge(w.toLowerCase(), line.amount, BigInteger::add);
            } else {
                String key = heldKey(line.contributorId);
                heldKeys.put(line.contributorId, key);
                held.add(new MerkleTree.Leaf(key, line.amount));
            }
        }
        List<MerkleTree.Leaf> paid = new ArrayList<>();
        byWallet.forEach((account, amount) -> paid.add(new MerkleTree.Leaf(account, amount)));
        BigInteger paidTotal = sum(paid);
        BigInteger heldTotal = sum(held);
        byte[] paidRoot = paid.isEmpty() ? new byte[32] : MerkleTree.of(paid).root();
        byte[] heldRoot = held.isEmpty() ? null : MerkleTree.of(held).root();

        List<Call> calls = new ArrayList<>();
        calls.add(new Call(vault.getContractAddress(), vault.approveEpoch(vaultEpoch, paidRoot, paidTotal,
                Numeric.hexStringToByteArray(p.contentHash), BigInteger.valueOf(epoch.startsAt.getEpochSecond()),
                BigInteger.valueOf(epoch.endsAt.getEpochSecond())).encodeFunctionCall()));
        if (heldRoot != null) {
            calls.add(new Call(vault.getContractAddress(), vault.approveHeld(vaultEpoch, heldRoot, heldTotal)
                    .encodeFunctionCall()));
        }
        InFlight inFlight = inFlight();
        List<PayoutLine> stillHeld = ledger.heldOutstanding();
        Carried carried = Carried.of(releases(vault, inFlight, stillHeld), config.releasesPerVote());
        List<Release> releases = carried.releases();
        for (Map.Entry<ChainProposal, List<Release>> from : byProposal(releases).entrySet()) {
            calls.add(new Call(vault.getContractAddress(), releaseCall(vault, from.getKey(), from.getValue())));
        }
        List<ChainProposal> returns = returns(vault, inFlight, stillHeld, carried.waitingFrom());
        for (ChainProposal old : returns) {
            calls.add(new Call(vault.getContractAddress(), vault.returnHeld(new BigInteger(old.vaultEpoch))
                    .encodeFunctionCall()));
        }
        int decimals = Epoch.<Epoch>findById(p.epochId).tokenDecimals;
        String description = describe(p, epoch, paid.size(), paidTotal, held.size(), heldTotal, carried, returns,
                decimals);
        return new Plan(calls, description, paid, Numeric.toHexString(paidRoot), paidTotal, wallet, held,
                heldRoot == null ? null : Numeric.toHexString(heldRoot), heldTotal, heldKeys, releases, returns);
    }

    /**
     * What the live proposals (not yet executed, nor dead) already do with held shares: the payout lines they release
     * and the payouts whose held shares they return. A second proposal carrying the same release or return, or a
     * release from a payout another proposal returns (or the reverse), would revert on the vault when the first one
     * executes, and take its whole vote's batch with it.
     */
    private record InFlight(java.util.Set<Long> releasedLines, java.util.Set<Long> returnedPayouts,
                            java.util.Set<Long> releasingPayouts) {
    }

    private InFlight inFlight() {
        java.util.Set<Long> lines = new java.util.HashSet<>();
        java.util.Set<Long> returned = new java.util.HashSet<>();
        // A superseded proposal may still pass and be executed until its vote is over (GovernanceService follows it);
        // one whose period another payout took (chainFinal) can never execute, and holds nothing back.
        for (ChainProposal live : ChainProposal.<ChainProposal>list("(releasedLines is not null or returnedProposals "
                + "is not null) and state not in ?1 and chainFinal = false",
                List.of("EXECUTED", "CANCELED", "DEFEATED", "EXPIRED"))) {
            if (PayoutPeriods.proposeFailed(live)) {
                continue; // never reached the chain (its PROPOSE failed for good): it will not release or return anything
            }
            if (live.releasedLines != null) {
                lines.addAll(read(live.releasedLines, new TypeReference<List<Long>>() { }));
            }
            if (live.returnedProposals != null) {
                returned.addAll(read(live.returnedProposals, new TypeReference<List<Long>>() { }));
            }
        }
        java.util.Set<Long> releasing = new java.util.HashSet<>();
        if (!lines.isEmpty()) {
            IdSlices.list(lines, slice -> PayoutLine.<PayoutLine>list("id in ?1", slice))
                    .forEach(l -> releasing.add(l.proposalId));
        }
        return new InFlight(lines, returned, releasing);
    }

    /**
     * Held lines of approved payouts on this vault whose contributors have linked a wallet since, not released yet
     * and not part of another live proposal's releases, nor of a payout a live proposal returns.
     */
    private List<Release> releases(PayrollVault vault, InFlight inFlight, List<PayoutLine> held) throws IOException {
        List<PayoutLine> outstanding = held.stream()
                .filter(l -> !inFlight.releasedLines().contains(l.id) && !inFlight.returnedPayouts().contains(l.proposalId))
                .toList();
        Map<Long, String> linked = wallets.of(outstanding.stream().map(l -> l.contributorId).toList());
        // Only the lines of contributors with a wallet now can be released: their payouts and names, read at once.
        List<PayoutLine> linkedSince = outstanding.stream().filter(l -> linked.containsKey(l.contributorId)).toList();
        if (linkedSince.isEmpty()) {
            return List.of();
        }
        Map<Long, ChainProposal> onChain = new HashMap<>();
        IdSlices.list(linkedSince.stream().map(l -> l.proposalId).distinct().toList(),
                slice -> ChainProposal.<ChainProposal>list("payoutProposalId in ?1", slice))
                .forEach(cp -> onChain.put(cp.payoutProposalId, cp));
        Map<Long, Contributor> people = new HashMap<>();
        IdSlices.list(linkedSince.stream().map(l -> l.contributorId).distinct().toList(),
                slice -> Contributor.<Contributor>list("id in ?1", slice)).forEach(c -> people.put(c.id, c));
        List<Release> out = new ArrayList<>();
        Map<Long, Boolean> stillHolds = new HashMap<>();
        for (PayoutLine line : linkedSince) {
            String wallet = linked.get(line.contributorId);
            ChainProposal from = onChain.get(line.proposalId);
            if (from == null || !from.vault.equalsIgnoreCase(vault.getContractAddress())
                    || !holds(stillHolds, vault, from)) {
                continue;
            }
            Contributor c = people.get(line.contributorId);
            out.add(new Release(line.id, line.contributorId, c == null ? "#" + line.contributorId : c.displayName, from,
                    new MerkleTree.Leaf(line.heldKey, line.amount), wallet));
        }
        return out;
    }

    /**
     * Executed payouts on this vault that still hold shares, after {@code merit.payroll.held-epochs} later payouts
     * were executed: what they hold goes back to the treasury, by this vote. Not one that a live proposal already
     * returns or releases from: that proposal goes first, and a later one returns what is left. Nor one whose
     * releases to wallets linked since wait for a later vote ({@code waitingFrom}): those shares are their owners'.
     */
    private List<ChainProposal> returns(PayrollVault vault, InFlight inFlight, List<PayoutLine> held,
                                        java.util.Set<Long> waitingFrom) throws IOException {
        java.util.Set<Long> holding = new java.util.HashSet<>();
        held.forEach(l -> holding.add(l.proposalId));
        List<ChainProposal> executed = ChainProposal.list("state = 'EXECUTED' and lower(vault) = ?1 order by id",
                vault.getContractAddress().toLowerCase());
        List<ChainProposal> out = new ArrayList<>();
        for (int i = 0; i < executed.size(); i++) {
            ChainProposal cp = executed.get(i);
            if (cp.heldRoot != null && executed.size() - 1 - i >= config.heldEpochs()
                    && !inFlight.returnedPayouts().contains(cp.payoutProposalId)
                    && !inFlight.releasingPayouts().contains(cp.payoutProposalId)
                    && !waitingFrom.contains(cp.payoutProposalId)
                    && holding.contains(cp.payoutProposalId) && holds(new HashMap<>(), vault, cp)) {
                out.add(cp);
            }
        }
        return out;
    }

    /**
     * Whether the vault itself still holds shares for {@code cp} (approved, not returned): Merit's record is checked
     * against the chain's, so a vote never carries a call the vault would refuse (a chain reset, a return made by hand).
     */
    private static boolean holds(Map<Long, Boolean> known, PayrollVault vault, ChainProposal cp) throws IOException {
        Boolean cached = known.get(cp.id);
        if (cached == null) {
            var h = GovernanceService.call(() -> vault.held(new BigInteger(cp.vaultEpoch)).send());
            cached = !Arrays.equals(h.component1(), new byte[32]) && !h.component4();
            known.put(cp.id, cached);
        }
        return cached;
    }

    private String releaseCall(PayrollVault vault, ChainProposal from, List<Release> releases) {
        List<MerkleTree.Leaf> leaves = from.heldLeafList(json);
        List<Integer> indices = new ArrayList<>();
        for (Release r : releases) {
            indices.add(leaves.indexOf(r.leaf()));
        }
        MerkleTree.MultiProof mp = MerkleTree.of(leaves).multiProof(indices);
        Map<MerkleTree.Leaf, String> walletOf = new LinkedHashMap<>();
        releases.forEach(r -> walletOf.put(r.leaf(), r.wallet()));
        List<PayrollVault.Release> structs = mp.leaves().stream().map(l -> new PayrollVault.Release(
                Numeric.hexStringToByteArray(l.account()), l.amount(), walletOf.get(l))).toList();
        return vault.releaseHeld(new BigInteger(from.vaultEpoch), structs, mp.proof(), mp.proofFlags()).encodeFunctionCall();
    }

    private static Map<ChainProposal, List<Release>> byProposal(List<Release> releases) {
        Map<ChainProposal, List<Release>> out = new LinkedHashMap<>();
        for (Release r : releases) {
            out.computeIfAbsent(r.from(), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    private static String describe(PayoutProposal p, Epoch epoch, int recipients, BigInteger paidTotal, int heldCount,
                                   BigInteger heldTotal, Carried carried, List<ChainProposal> returns, int decimals) {
        StringBuilder d = new StringBuilder("Merit payout proposal #" + p.id + " for epoch " + epoch.name + ": pays "
                + recipients + (recipients == 1 ? " wallet " : " wallets ") + TokenAmounts.words(paidTotal, decimals));
        if (heldCount > 0) {
            d.append(" and holds ").append(TokenAmounts.words(heldTotal, decimals)).append(" for ")
                    .append(heldCount).append(heldCount == 1 ? " contributor" : " contributors").append(" without a wallet");
        }
        d.append(" (").append(paidTotal.add(heldTotal)).append(" base units in all). Inputs sha256:")
                .append(p.contentHash).append("; recompute with GET /api/payout-proposals/").append(p.id)
                .append("/verification.");
        for (Release r : carried.releases()) {
            d.append(" Releases to ").append(r.name()).append(" (contributor #").append(r.contributorId()).append(") ")
                    .append(TokenAmounts.words(r.leaf().amount(), decimals)).append(" held by payout #")
                    .append(r.from().payoutProposalId).append(", to ").append(r.wallet()).append('.');
        }
        for (ChainProposal old : returns) {
            d.append(" Returns to the treasury what payout #").append(old.payoutProposalId)
                    .append(" still holds (never claimed).");
        }
        if (carried.waiting() > 0) {
            d.append(' ').append(carried.waiting()).append(carried.waiting() == 1 ? " more held share waits"
                    : " more held shares wait").append(" for a later vote (one vote releases at most ")
                    .append(carried.releases().size()).append(").");
        }
        return d.toString();
    }

    private static BigInteger sum(List<MerkleTree.Leaf> leaves) {
        return leaves.stream().map(MerkleTree.Leaf::amount).reduce(BigInteger.ZERO, BigInteger::add);
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
