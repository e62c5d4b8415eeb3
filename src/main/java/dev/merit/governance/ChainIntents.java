package dev.merit.governance;

import dev.merit.epoch.Epoch;
import dev.merit.payroll.PayoutProposal;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.governance.chain.ContractErrors;
import dev.merit.governance.contracts.MeritGovernor;
import dev.merit.governance.contracts.PayrollVault;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What each kind of chain intent means on chain: the call it sends (propose, vote, queue, execute, claim), whether
 * the chain has its effect already (then nothing is sent: never twice), and whether the chain would accept it now
 * (what would revert is not sent).
 */
@ApplicationScoped
public class ChainIntents {

    private final ChainService chain;
    private final ObjectMapper json;
    /**
     * How far each payout's Claimed events were read, by chain proposal id: up to a block {@code confirmations} deep,
     * and what was found there. A later search of the same payout goes on from there instead of from its execution
     * (a payout executed months ago is otherwise read again from that block, page by page, for each batch).
     */
    private final Map<Long, ClaimsRead> claimsRead = new java.util.concurrent.ConcurrentHashMap<>();
    private final LogPages.Counts logPages;

    record ClaimsRead(BigInteger from, BigInteger next, Map<String, String> found) {
    }

    /** What the searches of this payout's Claimed events kept (tests look at it, and put a lagging node's there). */
    ClaimsRead claimsKept(long chainProposalId) {
        return claimsRead.get(chainProposalId);
    }

    void keepClaims(long chainProposalId, ClaimsRead read) {
        claimsRead.put(chainProposalId, read);
    }

    public ChainIntents(ChainService chain, ObjectMapper json, io.micrometer.core.instrument.MeterRegistry metrics) {
        this.chain = chain;
        this.json = json;
        var read = io.micrometer.core.instrument.Counter.builder("merit.chain.log.pages")
                .description("Pages of a payout's Claimed events read from the node (eth_getLogs)").tag("outcome", "read")
                .register(metrics);
        var refused = io.micrometer.core.instrument.Counter.builder("merit.chain.log.pages")
                .description("Pages of a payout's Claimed events read from the node (eth_getLogs)").tag("outcome", "refused")
                .register(metrics);
        this.logPages = new LogPages.Counts(read::increment, refused::increment);
    }

    /** A transaction to send; for a claim, the leaves (indices into the tree) it pays: those unclaimed when it was made. */
    record Call(String to, String data, List<Integer> leaves) {
        Call(String to, String data) {
            this(to, data, List.of());
        }
    }

    /** Whether any of these leaves (indices into the payout's tree) is claimed on the vault now. */
    boolean anyClaimed(ChainProposal cp, List<Integer> indices) throws IOException {
        List<MerkleTree.Leaf> leaves = treeLeaves(cp);
        for (int i : indices) {
            if (claimed(cp, leaves.get(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The leaves of this CLAIM intent's batch that the mined transaction {@code txHash} tried to pay, read from its
     * input on chain (a batch leaves out what was claimed when it was made); empty when the node does not show the
     * transaction or its input is not a claim batch.
     */
    Optional<List<Integer>> sentLeaves(ChainTx t, ChainProposal cp, String txHash) throws IOException {
        Optional<org.web3j.protocol.core.methods.response.Transaction> tx =
                chain.web3j().ethGetTransactionByHash(txHash).send().getTransaction();
        if (tx.isEmpty()) {
            return Optional.empty();
        }
        Optional<List<String>> accounts = ClaimBatchInput.accounts(tx.get().getInput());
        if (accounts.isEmpty()) {
            return Optional.empty();
        }
        List<MerkleTree.Leaf> leaves = treeLeaves(cp);
        List<Integer> out = new ArrayList<>();
        for (int i : batchIndices(t)) {
            if (accounts.get().contains(leaves.get(i).account().toLowerCase(java.util.Locale.ROOT))) {
                out.add(i);
            }
        }
        return Optional.of(out);
    }

    Call call(ChainTx t, ChainProposal cp) throws IOException {
        MeritGovernor governor = governor(cp);
        BigInteger id = new BigInteger(cp.onchainId);
        List<PayoutPlans.Call> calls = cp.callList(json);
        List<String> targets = calls.stream().map(PayoutPlans.Call::target).toList();
        List<BigInteger> values = calls.stream().map(c -> BigInteger.ZERO).toList();
        List<byte[]> calldatas = calls.stream().map(c -> Numeric.hexStringToByteArray(c.data())).toList();
        byte[] descriptionHash = Hash.sha3(cp.description.getBytes(StandardCharsets.UTF_8));
        JsonNode payload = json.readTree(t.payload);
        return switch (t.kind()) {
            case PROPOSE -> new Call(cp.governor, governor.propose(targets, values, calldatas, cp.description)
                    .encodeFunctionCall());
            case VOTE -> new Call(cp.governor, governor.castVoteBySig(id,
                    BigInteger.valueOf(payload.get("support").asInt()), payload.get("voter").asText(),
                    Numeric.hexStringToByteArray(payload.get("signature").asText())).encodeFunctionCall());
            case QUEUE -> new Call(cp.governor, governor.queue(targets, values, calldatas, descriptionHash)
                    .encodeFunctionCall());
            case EXECUTE -> new Call(cp.governor, governor.execute(targets, values, calldatas, descriptionHash,
                    BigInteger.ZERO).encodeFunctionCall());
            case CLAIM -> claimCall(cp, payload);
        };
    }

    /** A batch claim of the batch's leaves not yet claimed, proven by one multiproof. */
    Call claimCall(ChainProposal cp, JsonNode payload) throws IOException {
        List<MerkleTree.Leaf> leaves = treeLeaves(cp);
        MerkleTree tree = MerkleTree.of(leaves);
        List<Integer> unclaimed = new ArrayList<>();
        for (JsonNode index : payload.get("indices")) {
            if (!claimed(cp, leaves.get(index.asInt()))) {
                unclaimed.add(index.asInt());
            }
        }
        MerkleTree.MultiProof mp = tree.multiProof(unclaimed);
        return new Call(cp.vault, vault(cp).claimBatch(new BigInteger(cp.vaultEpoch),
                mp.leaves().stream().map(MerkleTree.Leaf::account).toList(),
                mp.leaves().stream().map(MerkleTree.Leaf::amount).toList(), mp.proof(), mp.proofFlags())
                .encodeFunctionCall(), List.copyOf(unclaimed));
    }

    /** The chain already has this intent's effect: never propose, vote, queue, execute or pay twice. */
    boolean alreadyDone(ChainTx t, ChainProposal cp) throws IOException {
        return alreadyDone(t, cp, null);
    }

    /** As {@link #alreadyDone(ChainTx, ChainProposal)}, read at {@code block} (null: the latest). */
    boolean alreadyDone(ChainTx t, ChainProposal cp, org.web3j.protocol.core.DefaultBlockParameter block) throws IOException {
        MeritGovernor governor = governor(cp, block);
        BigInteger id = new BigInteger(cp.onchainId);
        return switch (t.kind()) {
            case PROPOSE -> GovernanceService.call(() -> governor.proposalSnapshot(id).send()).signum() > 0;
            case VOTE -> GovernanceService.call(() -> governor.hasVoted(id, json.readTree(t.payload).get("voter").asText()).send());
            case QUEUE -> {
                ChainProposal.State now = state(governor, cp);
                yield now == ChainProposal.State.QUEUED || now == ChainProposal.State.EXECUTED;
            }
            case EXECUTE -> state(governor, cp) == ChainProposal.State.EXECUTED;
            case CLAIM -> {
                PayrollVault vault = vault(cp, block);
                boolean all = true;
                for (MerkleTree.Leaf leaf : batchLeaves(t, cp)) {
                    all &= claimed(vault, cp, leaf);
                }
                yield all;
            }
        };
    }

    enum Readiness { NOW, LATER, NEVER }

    /** Whether the chain would accept this write now: what would revert is not sent. */
    Readiness readiness(ChainTx t, ChainProposal cp) throws IOException {
        if (t.kind() == ChainTx.Kind.PROPOSE) {
            return Readiness.NOW;
        }
        ChainProposal.State state = proposalState(cp);
        if (state.terminal()) {
            return Readiness.NEVER;
        }
        return switch (t.kind()) {
            case VOTE -> state == ChainProposal.State.ACTIVE ? Readiness.NOW
                    : state == ChainProposal.State.PENDING ? Readiness.LATER : Readiness.NEVER;
            case QUEUE -> state == ChainProposal.State.SUCCEEDED ? Readiness.NOW : Readiness.LATER;
            case EXECUTE -> {
                if (state != ChainProposal.State.QUEUED) {
                    yield Readiness.LATER;
                }
                BigInteger eta = GovernanceService.call(() -> governor(cp).proposalEta(new BigInteger(cp.onchainId)).send());
                BigInteger now = chain.web3j().ethGetBlockByNumber(
                        DefaultBlockParameterName.LATEST, false).send().getBlock().getTimestamp();
                // The next block is at least one second later than the latest.
                yield now.add(BigInteger.ONE).compareTo(eta) >= 0 ? Readiness.NOW : Readiness.LATER;
            }
            case CLAIM -> state == ChainProposal.State.EXECUTED ? Readiness.NOW : Readiness.LATER;
            case PROPOSE -> Readiness.NOW;
        };
    }

    /**
     * An execution the vault would refuse because a payout of an overlapping period was approved meanwhile (a
     * superseded proposal executed by hand, another Merit): never sent, with the reason in words.
     */
    Optional<String> periodTaken(ChainTx t, ChainProposal cp) throws IOException {
        if (t.kind() != ChainTx.Kind.EXECUTE) {
            return Optional.empty();
        }
        return periodTakenByOthers(cp, null).map(taken -> "not sent: " + ContractErrors.words("PeriodAlreadyApproved",
                Map.of("periodStart", taken.periodStart(), "approvedUntil", taken.approvedUntil())));
    }

    /** The start of a payout's period (Unix seconds) and how far the vault has approved pay. */
    record PeriodTaken(BigInteger periodStart, BigInteger approvedUntil) {
    }

    /**
     * Whether another payout took this one's period: the vault approved pay past its start, and not by approving this
     * payout itself (its own execution moves approvedUntil too, and must not read as "can never pay"; another governor
     * proposal of the same content approves the same vault epoch, and does take it). The reads at
     * {@code block}, so that a decision that cannot be undone rests on state a reorg will not take back
     * (merit.chain.confirmations blocks behind); null reads the latest block, approvedUntil first, then the vault's
     * record of this payout, so that an execution landing between the two reads shows in the second.
     */
    Optional<PeriodTaken> periodTakenByOthers(ChainProposal cp, org.web3j.protocol.core.DefaultBlockParameter block)
            throws IOException {
        BigInteger start = QuarkusTransaction.requiringNew().call(() -> BigInteger.valueOf(Epoch
                .<Epoch>findById(PayoutProposal
                        .<PayoutProposal>findById(cp.payoutProposalId).epochId)
                .startsAt.getEpochSecond()));
        PayrollVault vault = vault(cp, block);
        BigInteger approvedUntil = GovernanceService.call(() -> vault.approvedUntil().send());
        if (approvedUntil.compareTo(start) <= 0) {
            return Optional.empty();
        }
        BigInteger ownPeriodEnd = GovernanceService.call(() -> vault.epochs(new BigInteger(cp.vaultEpoch)).send())
                .component6();
        if (ownPeriodEnd.signum() == 0) {
            return Optional.of(new PeriodTaken(start, approvedUntil));
        }
        // The vault approved this payout's content (its vault epoch is its content hash): by this governor proposal,
        // or by another one with the same content (the same scores proposed again, say, while this one still stood).
        // Read after the vault, at the same block: an execution of this one landing in between shows here.
        MeritGovernor governor = governor(cp, block);
        BigInteger id = new BigInteger(cp.onchainId);
        if (GovernanceService.call(() -> governor.proposalSnapshot(id).send()).signum() == 0) {
            return Optional.empty(); // not on chain at that block: nothing to tell its approval from another's by
        }
        if (state(governor, cp) == ChainProposal.State.EXECUTED) {
            return Optional.empty();
        }
        // Taken only by another of Merit's proposals of this content that executed: Merit records that one as paid and
        // pushes its claims. An approval Merit does not know of (the same calls proposed by hand under another
        // description) approved these very leaves: this one is not said to be unpaid, and a maintainer is told.
        // Read on chain too: Merit may not have recorded the other's execution yet (it follows proposals one by one),
        // and the warning then blamed an approval "Merit does not follow" for its own.
        List<ChainProposal> same = QuarkusTransaction.requiringNew().call(() -> ChainProposal.<ChainProposal>list(
                "vaultEpoch = ?1 and id <> ?2 and onchainId is not null", cp.vaultEpoch, cp.id));
        boolean byMerit = false;
        for (ChainProposal other : same) {
            if (other.state() == ChainProposal.State.EXECUTED || executedOnChain(other, block)) {
                byMerit = true;
                break;
            }
        }
        if (!byMerit) {
            org.jboss.logging.Logger.getLogger(ChainIntents.class).warnf("Payout proposal %d: the vault approved its "
                    + "content through a governor proposal Merit does not follow; its lines can be claimed from the vault",
                    cp.payoutProposalId);
            return Optional.empty();
        }
        return Optional.of(new PeriodTaken(start, approvedUntil));
    }

    /** Whether {@code other} was executed on chain by {@code block}; false when the governor does not know it. */
    private boolean executedOnChain(ChainProposal other, org.web3j.protocol.core.DefaultBlockParameter block)
            throws IOException {
        try {
            return state(governor(other, block), other) == ChainProposal.State.EXECUTED;
        } catch (org.web3j.tx.exceptions.ContractCallException unknown) {
            return false; // the governor does not know it (another governor, or not proposed at that block)
        }
    }

    ChainProposal.State proposalState(ChainProposal cp) throws IOException {
        return state(governor(cp), cp);
    }

    private static ChainProposal.State state(MeritGovernor governor, ChainProposal cp) throws IOException {
        return ChainProposal.State.ofChain(
                GovernanceService.call(() -> governor.state(new BigInteger(cp.onchainId)).send()).intValue());
    }

    /** The leaves of this CLAIM intent's batch (its payload's indices into the payout's tree). */
    List<MerkleTree.Leaf> batchLeaves(ChainTx t, ChainProposal cp) throws IOException {
        List<MerkleTree.Leaf> leaves = treeLeaves(cp);
        return batchIndices(t).stream().map(leaves::get).toList();
    }

    List<Integer> batchIndices(ChainTx t) throws IOException {
        List<Integer> out = new ArrayList<>();
        for (JsonNode index : json.readTree(t.payload).get("indices")) {
            out.add(index.asInt());
        }
        return out;
    }

    /** Whether any leaf of this CLAIM intent's batch is claimed on the vault. */
    boolean anyClaimed(ChainTx t, ChainProposal cp) throws IOException {
        return anyClaimed(cp, batchIndices(t));
    }

    boolean claimed(ChainProposal cp, MerkleTree.Leaf leaf) throws IOException {
        return claimed(vault(cp), cp, leaf);
    }

    private static boolean claimed(PayrollVault vault, ChainProposal cp, MerkleTree.Leaf leaf) throws IOException {
        return GovernanceService.call(() -> vault.claimed(new BigInteger(cp.vaultEpoch), MerkleTree.leafHash(leaf)).send());
    }

    /**
     * Who claimed what of this payout on the vault: its Claimed events (the contract's record of every claim, whoever
     * sent it), as lower-case wallet to transaction hash. Read from the block that executed the proposal when Merit
     * sent that execution, else from the block its vote began, in ranges a hosted node accepts
     * ({@code merit.chain.log-block-range}, halved while the node refuses one), and only until every wallet in
     * {@code wanted} (lower case; wallets the vault says are claimed) is found. What was read down to
     * {@code merit.chain.confirmations} behind the head is kept (in memory, per payout), and the next search goes on
     * from there; if that misses a wanted wallet, the payout is read again from its start.
     */
    Map<String, String> claimTransactions(ChainProposal cp, java.util.Collection<String> wanted) throws IOException {
        String executed = QuarkusTransaction.requiringNew().call(() -> ChainTx.<ChainTx>find(
                "chainProposalId = ?1 and kind = 'EXECUTE' and status = 'CONFIRMED'", cp.id).firstResultOptional()
                .map(x -> x.txHash).orElse(null));
        // No claim of this payout can come before its vote began (its snapshot block): hosted nodes refuse a log
        // search from the first block of a long chain, and the claims' lines would then never be marked paid.
        BigInteger from = cp.voteStart != null && cp.voteStart > 0 ? BigInteger.valueOf(cp.voteStart) : BigInteger.ZERO;
        if (executed != null) {
            Optional<org.web3j.protocol.core.methods.response.TransactionReceipt> receipt =
                    chain.web3j().ethGetTransactionReceipt(executed).send().getTransactionReceipt();
            if (receipt.isPresent() && receipt.get().isStatusOK()) { // Merit's own execute, not one that lost the race
                from = receipt.get().getBlockNumber();
            }
        }
        Map<String, String> out = new java.util.HashMap<>();
        ClaimsRead read = claimsRead.get(cp.id);
        BigInteger start = from;
        boolean resumed = read != null && read.from().equals(start);
        if (resumed) { // read before from the same block: go on from where it stopped
            out.putAll(read.found());
            from = read.next();
            if (out.keySet().containsAll(wanted)) {
                return out;
            }
        }
        BigInteger head = chain.web3j().ethBlockNumber().send().getBlockNumber();
        // Claims found above this block may yet be reorganised away: they are returned, not kept.
        BigInteger finalBlock = chain.settled(head);
        Map<String, String> kept = new java.util.HashMap<>(out);
        BigInteger keptTo = from;
        LogPages pages = new LogPages(chain.web3j(), chain.config().logBlockRange(), from, head, (a, b) -> {
            org.web3j.protocol.core.methods.request.EthFilter filter =
                    new org.web3j.protocol.core.methods.request.EthFilter(a, b, cp.vault);
            filter.addSingleTopic(org.web3j.abi.EventEncoder.encode(PayrollVault.CLAIMED_EVENT));
            filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(new BigInteger(cp.vaultEpoch), 64));
            return filter;
        }, logPages);
        while (pages.hasNext() && !out.keySet().containsAll(wanted)) {
            LogPages.Page page;
            try {
                page = pages.next();
            } catch (IOException e) {
                throw new IOException("reading the vault's claims: " + e.getMessage(), e);
            }
            boolean isFinal = page.to().compareTo(finalBlock) <= 0;
            for (org.web3j.protocol.core.methods.response.Log log : page.logs()) {
                if (log.getTopics().size() > 2) {
                    String account = ("0x" + log.getTopics().get(2).substring(log.getTopics().get(2).length() - 40))
                            .toLowerCase(java.util.Locale.ROOT);
                    out.putIfAbsent(account, log.getTransactionHash());
                    if (isFinal) {
                        kept.putIfAbsent(account, log.getTransactionHash());
                    }
                }
            }
            if (isFinal) {
                keptTo = page.to().add(BigInteger.ONE);
            }
        }
        if (read == null || keptTo.compareTo(read.next()) > 0 || !read.from().equals(start)) {
            claimsRead.put(cp.id, new ClaimsRead(start, keptTo, Map.copyOf(kept)));
        }
        if (resumed && !out.keySet().containsAll(wanted)) {
            // Callers ask only for wallets the vault says are claimed: one that the kept pages do not show was missed
            // by a node that answered a page from behind the head it reported (a load-balanced provider). Kept, the
            // miss would last until a restart: the whole payout is read again, once.
            claimsRead.remove(cp.id);
            return claimTransactions(cp, wanted);
        }
        return out;
    }

    List<MerkleTree.Leaf> treeLeaves(ChainProposal cp) {
        return cp.leafList(json);
    }

    MeritGovernor governor(ChainProposal cp) {
        return chain.readGovernor(cp.governor);
    }

    PayrollVault vault(ChainProposal cp) {
        return chain.readVault(cp.vault);
    }

    /** The governor read at {@code block} (null: the latest). */
    private MeritGovernor governor(ChainProposal cp, org.web3j.protocol.core.DefaultBlockParameter block) {
        MeritGovernor governor = governor(cp);
        if (block != null) {
            governor.setDefaultBlockParameter(block);
        }
        return governor;
    }

    /** The vault read at {@code block} (null: the latest). */
    private PayrollVault vault(ChainProposal cp, org.web3j.protocol.core.DefaultBlockParameter block) {
        PayrollVault vault = vault(cp);
        if (block != null) {
            vault.setDefaultBlockParameter(block);
        }
        return vault;
    }
}
