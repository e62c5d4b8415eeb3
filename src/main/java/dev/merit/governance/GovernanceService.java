package dev.merit.governance;

import dev.merit.audit.Signatures;
import dev.merit.cluster.Leadership;
import jakarta.inject.Inject;
import org.web3j.protocol.core.DefaultBlockParameter;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.epoch.Epoch;
import dev.merit.governance.chain.DaoContracts;
import dev.merit.governance.contracts.MeritGovernor;
import dev.merit.governance.contracts.PayoutToken;
import dev.merit.governance.contracts.PayrollVault;
import dev.merit.payroll.PayoutLedger;
import dev.merit.payroll.ProposalState;
import dev.merit.payroll.PayoutProposal;
import dev.merit.payroll.PayrollService;
import dev.merit.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes payout proposals on chain and follows them: propose (the vault's approveEpoch through the governor), relay
 * signed votes, queue and execute when due, then push claims to every line's wallet. Every write goes through the
 * {@link Outbox}; this class decides what is due from what the chain says.
 */
@ApplicationScoped
public class GovernanceService {

    private static final Logger LOG = Logger.getLogger(GovernanceService.class);

    private final ChainService chain;
    private final PayrollService payroll;
    private final Outbox outbox;
    private final ChainConfig config;
    private final ObjectMapper json;
    private final PayoutPeriods periods;
    private final PayoutPlans plans;
    private final PayoutLedger ledger;
    private final ExecutedPayouts executed;

    @Inject
    Leadership leadership;

    @Inject
    ChainIntents intents;

    public GovernanceService(ChainService chain, PayrollService payroll, Outbox outbox,
                             ChainConfig config, ObjectMapper json, PayoutPeriods periods, PayoutPlans plans,
                             PayoutLedger ledger, ExecutedPayouts executed) {
        this.executed = executed;
        this.periods = periods;
        this.plans = plans;
        this.ledger = ledger;
        this.chain = chain;
        this.payroll = payroll;
        this.outbox = outbox;
        this.config = config;
        this.json = json;
    }

    public ChainProposal byPayoutProposal(long payoutProposalId) {
        return ChainProposal.<ChainProposal>find("payoutProposalId", payoutProposalId).firstResultOptional()
                .orElseThrow(() -> PayoutProposal.findById(payoutProposalId) == null
                        ? ProblemException.notFound("payout proposal", payoutProposalId)
                        : new ProblemException(ProblemException.Kind.NOT_FOUND, "not-on-chain", "Not on chain",
                        "Payout proposal " + payoutProposalId + " has not been proposed on chain (a draft goes there "
                        + "with merit chain propose " + payoutProposalId + ", or POST /api/chain/proposals).", null));
    }

    /**
     * Amounts are base units of a token of {@code epoch.tokenDecimals} decimals; members vote on tokens, so the vault's
     * token must be the payout token with those decimals (18 against 6 would pay 10^-12 of the sum, or 10^12 times it).
     */
    private static void requireSameUnits(Epoch epoch, DaoContracts dao, PayrollVault vault, PayoutToken token)
            throws IOException {
        String vaultToken = call(() -> vault.token().send());
        if (!vaultToken.equalsIgnoreCase(dao.payoutToken())) {
            throw new ProblemException(ProblemException.Kind.CONFLICT, "vault-token-mismatch", "Vault pays another token",
                    "The vault " + dao.vault() + " pays in the token " + vaultToken + ", not the payout token " + dao.payoutToken()
                            + " Merit is configured with (merit.chain.payout-token). Nothing was sent.",
                    Map.of("vaultToken", vaultToken, "payoutToken", dao.payoutToken()));
        }
        int decimals = call(() -> token.decimals().send()).intValueExact();
        if (decimals != epoch.tokenDecimals) {
            throw new ProblemException(ProblemException.Kind.CONFLICT, "token-decimals-mismatch", "Token decimals differ",
                    "Epoch '" + epoch.name + "' counts amounts in units of 10^-" + epoch.tokenDecimals + " tokens, but the "
                            + "payout token " + dao.payoutToken() + " has " + decimals + " decimals: its amounts would pay "
                            + (decimals > epoch.tokenDecimals ? "a 10^" + (decimals - epoch.tokenDecimals) + "th of"
                            : "10^" + (epoch.tokenDecimals - decimals) + " times") + " what the members vote on. Make "
                            + "a new epoch with " + decimals + " decimals (and set merit.payroll.token-decimals="
                            + decimals + "). Nothing was sent.",
                    Map.of("epochTokenDecimals", epoch.tokenDecimals, "tokenDecimals", decimals));
        }
    }

    /**
     * Records the on-chain proposal of a payout and its PROPOSE intent: every line with a wallet is paid, every share
     * of a contributor without one is held in the vault, and held shares of earlier payouts whose contributors have
     * linked a wallet since are released (see {@link PayoutPlans}). The vault must hold what is paid and held
     * unreserved, the period must be free, and work its approval would leave unpaid for good is closed only when asked
     * ({@code closeUnpaid}); otherwise nothing is recorded or sent.
     */
    @Transactional(rollbackOn = Exception.class) // a chain read that fails half-way leaves nothing behind
    public ChainProposal propose(long payoutProposalId, boolean replace, boolean closeUnpaid) throws IOException {
        PayoutProposal p = payroll.get(payoutProposalId);
        // Locked, read again: a withdrawal at the same moment came first (not a draft now), or waits for this one.
        PayoutProposal.getEntityManager().refresh(p, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        ChainProposal.<ChainProposal>find("payoutProposalId", payoutProposalId).firstResultOptional().ifPresent(cp -> {
            throw new ProblemException(ProblemException.Kind.CONFLICT, "already-on-chain", "Already on chain", "Payout "
                    + "proposal " + payoutProposalId + " is already on chain as governor proposal " + cp.onchainId
                    + "." + PayoutPeriods.afterItsVote(p), Map.of("onchainId", cp.onchainId)); });
        if (!p.status.equals(ProposalState.DRAFT)) {
            throw new ProblemException(ProblemException.Kind.CONFLICT, "not-a-draft", "Not a draft", "Payout proposal "
                    + payoutProposalId + " is " + p.status + " (" + ProposalState.describe(p.status) + "): only a draft "
                    + "goes on chain.", Map.of("state", p.status));
        }
        payroll.requireIntact(p); // its stored lines, as drafted: none lost in a crash, none edited since
        Epoch epoch = Epoch.findById(p.epochId);
        DaoContracts dao = chain.dao();
        PayrollVault vault = chain.readVault(dao.vault());
        // A period paid or approved already is refused first: "wait until it has ended" would promise a payout that
        // can never go on chain. (What claim marks superseded is rolled back with the refusal below.)
        BigInteger approvedUntil = periods.claim(p, epoch, vault, replace);
        if (!chain.config().payUnendedPeriods()) {
            PayoutPeriods.requireEnded(epoch, Instant.now());
        }
        PayoutPeriods.Closing closing = periods.requireKnowinglyClosed(p, epoch, approvedUntil, closeUnpaid);
        BigInteger vaultEpoch = Numeric.toBigInt(Numeric.hexStringToByteArray(p.contentHash));
        PayoutPlans.Plan plan = plans.plan(p, epoch, vault, vaultEpoch);
        PayoutToken token = chain.readToken(dao.payoutToken());
        requireSameUnits(epoch, dao, vault, token);
        BigInteger unreserved = call(() -> token.balanceOf(dao.vault()).send().subtract(vault.reserved().send()));
        BigInteger needed = plan.paidTotal().add(plan.heldTotal());
        if (unreserved.compareTo(needed) < 0) {
            throw ProblemException.unprocessable("vault-underfunded", "Vault underfunded",
                    "The vault holds " + unreserved + " unreserved base units, less than the " + needed + " this payout "
                            + "pays and holds. Fund the vault first; nothing was sent.");
        }
        ledger.recordWallets(payoutProposalId, plan.wallets());
        ledger.recordHeld(payoutProposalId, plan.heldKeys());
        ChainProposal cp = new ChainProposal();
        cp.payoutProposalId = p.id;
        cp.governor = dao.governor();
        cp.vault = dao.vault();
        cp.description = PayoutPeriods.Closing.record(closing, cp, plan.description()); // and what it closes, said
        cp.onchainId = proposalId(plan.calls(), cp.description).toString();
        cp.vaultEpoch = vaultEpoch.toString();
        cp.calldata = plan.calls().get(0).data();
        cp.calls = write(plan.calls());
        cp.merkleRoot = plan.paidRoot();
        cp.total = plan.paidTotal();
        cp.leaves = write(plan.paidLeaves());
        cp.heldRoot = plan.heldRoot();
        cp.heldTotal = plan.heldTotal();
        cp.heldLeaves = plan.heldLeaves().isEmpty() ? null : write(plan.heldLeaves());
        cp.releasedLines = plan.releases().isEmpty() ? null
                : write(plan.releases().stream().map(PayoutPlans.Release::lineId).toList());
        Map<Long, String> releasedTo = new LinkedHashMap<>();
        plan.releases().forEach(r -> releasedTo.put(r.lineId(), r.wallet()));
        cp.releasedTo = releasedTo.isEmpty() ? null : write(releasedTo);
        cp.returnedProposals = plan.returns().isEmpty() ? null
                : write(plan.returns().stream().map(r -> r.payoutProposalId).toList());
        cp.state = ChainProposal.State.PROPOSING.name();
        cp.createdAt = Instant.now();
        cp.updatedAt = cp.createdAt;
        cp.persist();
        ledger.chainState(p.id, cp.state);
        outbox.enqueue(cp.id, ChainTx.Kind.PROPOSE, "propose:" + cp.onchainId, Map.of());
        return cp;
    }

    /** What a voter would sign now: the Ballot with the governor's domain and the voter's nonce, and their power. */
    public record VoteTicket(ChainProposal proposal, Ballot ballot, BigInteger votingPower, String state) {
    }

    /**
     * The Ballot {@code voter} signs to vote {@code support} on the proposal, after the checks that would make the
     * vote revert (proposal active, not voted yet, voting power at the snapshot): each refusal says what is wrong.
     */
    public VoteTicket ballot(long payoutProposalId, String voter, int support) throws IOException {
        ChainProposal cp = byPayoutProposal(payoutProposalId);
        if (cp.supersededBy != null) {
            throw new ProblemException(ProblemException.Kind.CONFLICT, "superseded", "Superseded", "Payout proposal " + payoutProposalId
                    + " was superseded by payout proposal " + cp.supersededBy + " of the same epoch: vote on that one.",
                    Map.of("supersededBy", cp.supersededBy));
        }
        if (support < 0 || support > 2) {
            throw ProblemException.invalid("support must be 0 (against), 1 (for) or 2 (abstain), got " + support + ".");
        }
        Ballot.requireVoter(voter);
        MeritGovernor governor = readGovernor(cp);
        BigInteger id = new BigInteger(cp.onchainId);
        ChainProposal.State state = call(() -> ChainProposal.State.ofChain(governor.state(id).send().intValue()));
        if (state != ChainProposal.State.ACTIVE) {
            throw new ProblemException(ProblemException.Kind.CONFLICT, "voting-closed", "Voting is not open",
                    "Proposal " + payoutProposalId + " is " + state.name().toLowerCase() + ": votes are accepted while it is active.",
                    Map.of("state", state.name()));
        }
        if (call(() -> governor.hasVoted(id, voter).send())) {
            throw new ProblemException(ProblemException.Kind.CONFLICT, "already-voted", "Already voted", voter + " has already voted on proposal "
                    + payoutProposalId + ".", null);
        }
        BigInteger snapshot = call(() -> governor.proposalSnapshot(id).send());
        BigInteger power = call(() -> governor.getVotes(voter, snapshot).send());
        if (power.signum() == 0) {
            throw ProblemException.unprocessable("no-voting-power", "No voting power",
                    voter + " had no delegated votes at the proposal's snapshot (block " + snapshot + "). Votes count "
                            + "from tokens delegated before the proposal was made.");
        }
        var domain = call(() -> governor.eip712Domain().send());
        BigInteger nonce = call(() -> governor.nonces(voter).send());
        Ballot ballot = new Ballot(domain.component2(), domain.component3(), domain.component4().longValue(),
                domain.component5(), id, support, voter, nonce);
        return new VoteTicket(cp, ballot, power, state.name());
    }

    /**
     * Checks a signed Ballot (signer, nonce, chain id, proposal state, voting power) and relays it with
     * castVoteBySig. What would revert is refused here, and nothing is sent. The proposal's tallies are read again
     * once the vote is confirmed.
     */
    public ChainTx relayVote(long payoutProposalId, String voter, int support, String signatureHex) throws IOException {
        byte[] sent = Signatures.parse65(signatureHex);
        VoteTicket ticket = ballot(payoutProposalId, voter, support);
        byte[] signature = Signatures.canonical(sent); // as the governor accepts it: v 0 or a high s reverted
        Ballot ballot = ticket.ballot();
        String signer;
        try {
            signer = ballot.signer(signature);
        } catch (SignatureException | RuntimeException e) {
            signer = null; // not a point of the curve (web3j: "Invalid point compression"), or a recovery id it refuses
        }
        if (signer == null || !signer.equalsIgnoreCase(voter)) {
            throw ProblemException.invalid("The signature is not " + voter + "'s Ballot for proposal " + ballot.proposalId()
                    + " with support " + support + ", nonce " + ballot.nonce() + " on chain " + ballot.chainId()
                    + (signer == null ? " (it is not a valid signature by any account)" : " (it recovers to " + signer + ")")
                    + ". Sign the typed data again: it may be a replay, another chain or another vote.");
        }
        ChainProposal cp = ticket.proposal();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("voter", voter);
        payload.put("support", support);
        payload.put("signature", Numeric.toHexString(signature));
        long txId = outbox.enqueueVote(cp.id, "vote:" + cp.onchainId + ":" + voter.toLowerCase(), payload);
        if (leadership.isLeader()) {
            outbox.process(txId); // else the leader sends it on its next round: one signer, one sender
        }
        ChainTx tx = ChainTx.findById(txId);
        if (ChainTx.Status.CONFIRMED.name().equals(tx.status)) {
            try {
                refresh(cp.id);
            } catch (IOException | RuntimeException e) {
                LOG.warnf("Vote on proposal %d confirmed; tallies not re-read yet (next tick will): %s",
                        payoutProposalId, e.getMessage());
            }
        }
        return tx;
    }

    /**
     * After an outage: the chain is brought back (a stopped local node restarted, a configured node reconnected)
     * when Merit follows anything on it, or when it ran before.
     */
    public void recover() {
        if (chain.isStarted() || chain.config().rpcUrl().isPresent() || !openProposals().isEmpty()) {
            chain.ensureRunning();
        }
    }

    /** Reads every open proposal's state from the chain and enqueues what is due; sends due intents. */
    public void tick() {
        if (!chain.isStarted() || chain.silentSince().isPresent()) { // its client asks every 5 s
            return;
        }
        refreshAll();
        outbox.processDue();
    }

    /** Reads the chain into the stored proposals (starting the chain if needed) without sending anything. */
    public void tickWithoutSending() {
        chain.dao();
        refreshAll();
    }

    private void refreshAll() {
        for (Long id : openProposals()) {
            try {
                refresh(id);
            } catch (IOException | RuntimeException e) {
                if (dev.merit.problem.ProblemMappers.uniqueConflict(e).isPresent()) {
                    // Another process (a CLI beside the server) recorded the same step at the same moment: it is there.
                    LOG.infof("Proposal %d: another process recorded this step first; nothing to do", id);
                } else {
                    Throwable cause = e;
                    while (cause.getCause() != null && cause.getCause() != cause) {
                        cause = cause.getCause();
                    }
                    LOG.warnf("Could not read proposal %d from the chain (will retry): %s", id,
                            cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
                }
            }
        }
    }

    @Transactional
    List<Long> openProposals() {
        return ChainProposal.<ChainProposal>list("state not in ('CANCELED', 'DEFEATED', 'EXPIRED', 'SUPERSEDED') "
                        + "or (state = 'SUPERSEDED' and chainFinal = false)").stream()
                .filter(cp -> !cp.state().equals(ChainProposal.State.EXECUTED) || outbox.claimsOutstanding(cp.id))
                .map(cp -> cp.id).toList();
    }

    @Transactional(rollbackOn = Exception.class)
    void refresh(long chainProposalId) throws IOException {
        ChainProposal cp = ChainProposal.findById(chainProposalId);
        MeritGovernor governor = readGovernor(cp);
        // Read what is final enough: a reorg must not make Merit act on a state that then disappears.
        BigInteger readBlock = chain.settled(chain.web3j().ethBlockNumber().send().getBlockNumber());
        DefaultBlockParameter at = chain.confirmations() > 0 ? DefaultBlockParameter.valueOf(readBlock) : null;
        if (at != null) {
            governor.setDefaultBlockParameter(at);
        }
        BigInteger id = new BigInteger(cp.onchainId);
        BigInteger snapshot = call(() -> governor.proposalSnapshot(id).send());
        if (cp.state().equals(ChainProposal.State.SUPERSEDED)) {
            executed.followSuperseded(cp, governor, at, id, snapshot);
            if (cp.chainFinal) {
                ledger.offChain(cp.payoutProposalId);
            }
            return;
        }
        if (snapshot.signum() == 0) {
            return; // not proposed yet
        }
        ChainProposal.State state = call(() -> ChainProposal.State.ofChain(governor.state(id).send().intValue()));
        var votes = call(() -> governor.proposalVotes(id).send());
        cp.votesAgainst = votes.component1();
        cp.votesFor = votes.component2();
        cp.votesAbstain = votes.component3();
        cp.voteStart = snapshot.longValue();
        cp.voteEnd = call(() -> governor.proposalDeadline(id).send()).longValue();
        // Quorum is defined at the snapshot; before that block is past, the latest past block stands in.
        BigInteger quorumAt = snapshot.min(readBlock.subtract(BigInteger.ONE).max(BigInteger.ZERO));
        cp.quorum = call(() -> governor.quorum(quorumAt).send());
        if (!cp.state.equals(state.name())) {
            LOG.infof("Payout proposal %d on chain: %s -> %s", cp.payoutProposalId, cp.state, state);
            if (state == ChainProposal.State.EXECUTED) {
                executed.settle(cp, cp.voteEnd);
            }
            cp.state = state.name();
            ledger.chainState(cp.payoutProposalId, state.name());
        }
        cp.updatedAt = Instant.now();
        if (!cp.chainFinal && state != ChainProposal.State.EXECUTED && !state.terminal()
                && intents.periodTakenByOthers(cp, at).isPresent()) {
            // Another payout's approval took pay past the start of its period (paid in order, a later epoch went
            // first): executing it would revert, so it can never pay, whatever its vote. What it releases or returns
            // from held shares is then free for the next proposal to carry, instead of waiting on it for good.
            LOG.warnf("Payout proposal %d can no longer be paid: the vault approved pay past the start of its period",
                    cp.payoutProposalId);
            cp.chainFinal = true;
            ledger.periodTaken(cp.payoutProposalId);
        }
        if (cp.chainFinal) {
            return; // it can never execute: nothing more is sent for it
        }
        switch (state) {
            case SUCCEEDED -> outbox.enqueue(cp.id, ChainTx.Kind.QUEUE, "queue:" + cp.onchainId, Map.of());
            case QUEUED -> {
                cp.eta = call(() -> governor.proposalEta(id).send()).longValue();
                // The outbox sends it once the timelock allows (its readiness check reads the chain's clock).
                outbox.enqueue(cp.id, ChainTx.Kind.EXECUTE, "execute:" + cp.onchainId, Map.of());
            }
            case EXECUTED -> executed.enqueueClaims(cp);
            default -> {
            }
        }
    }

    public List<MerkleTree.Leaf> leaves(ChainProposal cp) {
        return cp.leafList(json);
    }

    /** uint256(keccak256(abi.encode(targets, values, calldatas, keccak256(description)))), as the governor computes it. */
    static BigInteger proposalId(List<PayoutPlans.Call> calls, String description) {
        String encoded = FunctionEncoder.encodeConstructor(List.of(
                new DynamicArray<>(Address.class, calls.stream().map(c -> new Address(c.target())).toList()),
                new DynamicArray<>(Uint256.class, calls.stream().map(c -> new Uint256(BigInteger.ZERO)).toList()),
                new DynamicArray<>(DynamicBytes.class, calls.stream()
                        .map(c -> new DynamicBytes(Numeric.hexStringToByteArray(c.data()))).toList()),
                new Bytes32(Hash.sha3(description.getBytes(StandardCharsets.UTF_8)))));
        return Numeric.toBigInt(Hash.sha3(Numeric.hexStringToByteArray(encoded)));
    }

    /** The id of a proposal of one call, as the governor computes it. */
    static BigInteger proposalId(String target, String calldata, String description) {
        return proposalId(List.of(new PayoutPlans.Call(target, calldata)), description);
    }

    private MeritGovernor readGovernor(ChainProposal cp) {
        return chain.readGovernor(cp.governor);
    }

    interface ChainRead<T> {
        T read() throws Exception;
    }

    /** Chain reads: an unreachable node is an IOException (retry later), anything else a failure. */
    static <T> T call(ChainRead<T> read) throws IOException {
        try {
            return read.read();
        } catch (IOException e) {
            throw e;
        } catch (org.web3j.protocol.exceptions.ClientConnectionException e) {
            throw new IOException(e.getMessage(), e); // the provider answered with an HTTP error (429, 502): an outage
        } catch (Exception e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
