package dev.merit.governance;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.contributor.Wallets;
import dev.merit.events.Lifecycle;
import dev.merit.governance.contracts.MeritGovernor;
import dev.merit.payroll.PayoutLedger;
import dev.merit.payroll.PayoutLine;
import dev.merit.payroll.PayrollService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import org.jboss.logging.Logger;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.Log;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.merit.governance.GovernanceService.call;

/**
 * What an executed payout proposal leaves behind in Merit's records (its payout approved, its releases and returns
 * settled, its claims enqueued), and the superseded proposals followed until they can no longer pay: the DAO may
 * still pass and execute one, and then it is the payout made. {@link GovernanceService} decides when; this does it.
 */
@ApplicationScoped
public class ExecutedPayouts {

    private static final Logger LOG = Logger.getLogger(ExecutedPayouts.class);

    private final ChainService chain;
    private final PayrollService payroll;
    private final PayoutLedger ledger;
    private final Wallets wallets;
    private final Outbox outbox;
    private final ChainConfig config;
    private final ObjectMapper json;
    private final Event<Lifecycle> lifecycle;
    private final ChainIntents intents;

    public ExecutedPayouts(ChainService chain, PayrollService payroll, PayoutLedger ledger, Wallets wallets,
                           Outbox outbox, ChainConfig config, ObjectMapper json, Event<Lifecycle> lifecycle,
                           ChainIntents intents) {
        this.chain = chain;
        this.payroll = payroll;
        this.ledger = ledger;
        this.wallets = wallets;
        this.outbox = outbox;
        this.config = config;
        this.json = json;
        this.lifecycle = lifecycle;
        this.intents = intents;
    }

    /**
     * The proposal was executed: its payout is approved (lines with wallets claimable), the held shares it released
     * are paid to their wallets by the execution itself, and what it returned to the treasury is no longer held. Its
     * execution is searched for from block {@code searchFrom} on (its vote's end, or its snapshot).
     */
    void settle(ChainProposal cp, long searchFrom) throws IOException {
        ledger.chainState(cp.payoutProposalId, ChainProposal.State.EXECUTED.name());
        recordExecution(cp, searchFrom);
        // Merit's own execution, if it is the one mined; an execution by anyone else is named by its proposal (the
        // hash kept on an intent "already done on chain" is Merit's own transaction, reverted or never mined).
        String tx = ChainTx.<ChainTx>find("chainProposalId = ?1 and kind = 'EXECUTE' and status = 'CONFIRMED' and "
                + "lastError is null", cp.id).firstResultOptional().map(t -> t.txHash).orElse(null);
        if (cp.releasedLines != null) {
            // The wallets the vote released to, not whoever holds the contributor's wallet now (a merge or a change
            // since would record another one, or none, and the line would be released again by the next proposal).
            Map<Long, String> walletByLine = new LinkedHashMap<>(cp.releasedToMap(json));
            if (cp.releasedTo == null) { // proposed before V22 recorded them
                List<Long> lineIds = cp.releasedLineIds(json);
                Map<Long, Long> contributorOf = new LinkedHashMap<>();
                lineIds.forEach(id -> contributorOf.put(id, PayoutLine.<PayoutLine>findById(id).contributorId));
                Map<Long, String> linked = wallets.of(List.copyOf(contributorOf.values()));
                contributorOf.forEach((id, c) -> {
                    if (linked.containsKey(c)) {
                        walletByLine.put(id, linked.get(c));
                    }
                });
            }
            ledger.markReleased(walletByLine, tx == null ? "execution of governor proposal " + cp.onchainId : tx);
        }
        ledger.markReturned(cp.returnedProposalIds(json));
        lifecycle.fire(new Lifecycle("proposal.executed", "payout-proposal/" + cp.payoutProposalId,
                Map.of("proposalId", cp.payoutProposalId, "onchainId", String.valueOf(cp.onchainId))));
    }

    /**
     * The block and time of the governor's ProposalExecuted for {@code cp}, searched from block {@code from} to the
     * head: when it was paid, whoever executed it. A node that cannot be read now fails the refresh, which is tried
     * again (as every read of it); one that refuses the search or holds no such event (pruned logs) leaves it unknown,
     * said in the log, and the payout is recorded all the same.
     */
    private void recordExecution(ChainProposal cp, long from) throws IOException {
        BigInteger head = call(() -> chain.web3j().ethBlockNumber().send().getBlockNumber());
        BigInteger id = new BigInteger(cp.onchainId);
        String topic = EventEncoder.encode(MeritGovernor.PROPOSALEXECUTED_EVENT);
        LogPages pages = new LogPages(chain.web3j(), config.logBlockRange(), BigInteger.valueOf(from), head,
                (a, b) -> new EthFilter(a, b, cp.governor).addSingleTopic(topic), LogPages.Counts.NONE);
        try {
            while (pages.hasNext()) {
                for (Log log : pages.next().logs()) {
                    if (id.equals(MeritGovernor.getProposalExecutedEventFromLog(log).proposalId)) {
                        var block = call(() -> chain.web3j().ethGetBlockByNumber(
                                DefaultBlockParameter.valueOf(log.getBlockNumber()), false).send().getBlock());
                        cp.executedBlock = log.getBlockNumber().longValueExact();
                        cp.executedAt = Instant.ofEpochSecond(block.getTimestamp().longValueExact());
                        return;
                    }
                }
            }
            LOG.warnf("Payout proposal %d: the node holds no ProposalExecuted event for it; when it was paid is not "
                    + "shown", cp.payoutProposalId);
        } catch (LogPages.Refused e) {
            LOG.warnf("Payout proposal %d: when it was paid is not shown (%s)", cp.payoutProposalId, e.getMessage());
        }
    }

    /** An executed payout's claims, in batches of {@code merit.chain.claim-batch-size} leaves (each enqueued once). */
    void enqueueClaims(ChainProposal cp) {
        List<MerkleTree.Leaf> leaves = cp.leafList(json);
        int batch = config.claimBatchSize();
        for (int from = 0, n = 0; from < leaves.size(); from += batch, n++) {
            List<Integer> indices = new ArrayList<>();
            for (int i = from; i < Math.min(leaves.size(), from + batch); i++) {
                indices.add(i);
            }
            outbox.enqueue(cp.id, ChainTx.Kind.CLAIM, "claim:" + cp.onchainId + ":" + n, Map.of("indices", indices));
        }
    }

    /**
     * A superseded proposal is still the DAO's to pass: Merit relays no vote and sends nothing for it, but if the
     * members pass it and anyone executes it, it paid (the vault then refuses its successor's period), and Merit
     * records that and pushes its claims like any executed payout's. Followed until its state can no longer change.
     */
    void followSuperseded(ChainProposal cp, MeritGovernor governor, org.web3j.protocol.core.DefaultBlockParameter at,
                          BigInteger id, BigInteger snapshot)
            throws IOException {
        if (snapshot.signum() == 0) {
            // Never proposed: its PROPOSE was not sent, or failed, once it was superseded. (A PROPOSE mined but not yet
            // past merit.chain.confirmations also reads as none: it is waited for.)
            boolean proposeMayLand = ChainTx.count("chainProposalId = ?1 and kind = 'PROPOSE' and status in "
                    + "('PENDING', 'SENT', 'CONFIRMED')", cp.id) > 0;
            cp.chainFinal = !proposeMayLand;
            return;
        }
        ChainProposal.State state = call(() -> ChainProposal.State.ofChain(governor.state(id).send().intValue()));
        if (state.terminal()) {
            cp.chainFinal = true;
        } else if (state != ChainProposal.State.EXECUTED
                && intents.periodTakenByOthers(cp, at).isPresent()) {
            // Another payout's approval took pay past the start of its period (its successor, or a later epoch; not
            // its own execution, which the governor's state read confirmations behind may not show yet): executing it
            // would revert, so it can never pay, however its vote ends (Succeeded and Queued never time out).
            cp.chainFinal = true;
        } else if (state == ChainProposal.State.EXECUTED) {
            LOG.warnf("Payout proposal %d was superseded by %d, and the DAO executed it on chain: it is the one paid",
                    cp.payoutProposalId, cp.supersededBy);
            settle(cp, snapshot.longValue()); // executed after its vote, which starts at its snapshot
            cp.state = state.name();
            cp.chainFinal = true;
            cp.updatedAt = Instant.now();
            enqueueClaims(cp);
        }
    }
}
