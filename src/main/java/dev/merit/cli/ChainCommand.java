package dev.merit.cli;

import dev.merit.audit.IdSlices;
import dev.merit.audit.TokenAmounts;
import dev.merit.cluster.Leadership;
import io.quarkus.hibernate.orm.panache.Panache;
import dev.merit.governance.ChainService;
import dev.merit.governance.chain.DaoContracts;
import dev.merit.governance.chain.Deployment;
import dev.merit.governance.chain.DevAccounts;
import dev.merit.governance.contracts.MeritGovernor;
import dev.merit.problem.ProblemException;
import dev.merit.governance.GasPricing;
import dev.merit.governance.ChainProposal;
import dev.merit.payroll.PayoutLine;
import dev.merit.payroll.ProposalState;
import dev.merit.governance.ChainTx;
import dev.merit.governance.GovernanceService;
import dev.merit.governance.Outbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "chain", description = "Payout proposals on chain.",
        subcommands = {ChainPropose.class, ChainCommand.Status.class, ChainCommand.Vote.class,
                ChainCommand.Advance.class})
public class ChainCommand {

    /**
     * Said instead of sending while a Merit server runs on the same data (it alone sends chain writes): {@code n} is
     * the payout's number, for the command to follow with.
     */
    static String serverSends(long n) {
        return "A Merit server runs on this data directory: it sends chain writes (one sender, one nonce sequence), "
                + "within merit.chain.poll-interval. Nothing was sent from here; follow with `merit chain status " + n
                + "`.";
    }

    @Command(name = "status", description = "On-chain state, tallies and transactions of payout proposal N.")
    public static class Status implements Callable<Integer> {
        @Parameters(paramLabel = "N", description = "The payout proposal's number (payout #N)") long proposal;
        @Spec CommandSpec spec;
        private final GovernanceService governance;
        private final Outbox outbox;

        private final Leadership leadership;
        private final ChainService chain;
        private final dev.merit.payroll.PayoutLedger ledger;

        Status(GovernanceService governance, Outbox outbox, Leadership leadership, ChainService chain,
               dev.merit.payroll.PayoutLedger ledger) {
            this.governance = governance;
            this.outbox = outbox;
            this.leadership = leadership;
            this.chain = chain;
            this.ledger = ledger;
        }

        @Override
        public Integer call() {
            // A read. The server, when one runs, reads the chain into the records every few seconds; only without it
            // does this command read the chain first (and record what it finds), so two processes never record one step.
            if (leadership.isLeader()) {
                governance.tickWithoutSending();
            }
            ChainProposal cp = governance.byPayoutProposal(proposal);
            print(spec.commandLine().getOut(), cp, outbox, ledger);
            ChainReadings.printVault(spec.commandLine().getOut(), cp, chain);
            printUnread(spec.commandLine().getOut(), cp, ledger);
            return 0;
        }

        /**
         * While it may still be approved: the work of its epoch that its run did not read, which it does not pay, and
         * the earlier epochs no payout has paid that its approval would close.
         */
        public static void printUnread(PrintWriter out, ChainProposal cp, dev.merit.payroll.PayoutLedger ledger) {
            printUnread(out, cp.payoutProposalId, ledger);
        }

        /** As {@link #printUnread(PrintWriter, ChainProposal, dev.merit.payroll.PayoutLedger)}, by payout proposal. */
        public static void printUnread(PrintWriter out, long payoutProposalId, dev.merit.payroll.PayoutLedger ledger) {
            dev.merit.payroll.PayoutProposal payout = dev.merit.payroll.PayoutProposal.findById(payoutProposalId);
            var unread = ledger.storedAfterRun(payout, ProposalState.periodTaken(payout));
            long n = unread == null ? 0 : unread.contributions();
            if (n > 0) {
                dev.merit.epoch.Epoch epoch = dev.merit.epoch.Epoch.findById(payout.epochId);
                // "Warning:" first: pay that can be lost stands out of the lines around it.
                out.printf("  Warning: %d %s of %s stored after the scoring run it was made from: it does not pay "
                                + "them. Approved as it is: live work (%d) counts from the approval, history read in "
                                + "bulk (%d) is paid nowhere%n", n, n == 1 ? "contribution" : "contributions",
                        epoch.name, n - unread.history(), unread.history());
            }
            var closes = ledger.closes(payout, ProposalState.periodTaken(payout), 5);
            if (closes != null && closes.contributionsBefore() > 0) {
                out.printf("  Warning: once it is approved, %d %s dated %s, which no payout has paid, can never be "
                                + "paid%n",
                        closes.contributionsBefore(), closes.contributionsBefore() == 1 ? "contribution"
                                : "contributions", (closes.unpaidSince() == null ? "before "
                                : "between " + dev.merit.problem.Moments.of(closes.unpaidSince()) + " and ")
                                + dev.merit.problem.Moments.of(closes.unpaidUntil()));
            }
            if (closes != null && closes.count() > 0) {
                // The vault pays periods once and in order: what its approval leaves no payout able to pay.
                long earlier = closes.count() - closes.sharingTime();
                if (earlier > 0) {
                    out.printf("  Warning: approving it closes %d earlier %s no payout has paid%s. The vault pays "
                                    + "periods once and in order: approve %s payout first to pay %s%n", earlier,
                            earlier == 1 ? "epoch" : "epochs", named(closes, false, earlier),
                            earlier == 1 ? "its" : "their", earlier == 1 ? "it" : "them");
                }
                long sharing = closes.sharingTime();
                if (sharing > 0) {
                    out.printf("  Warning: approving it closes %d %s sharing its time that no payout has paid%s. Of "
                                    + "epochs that share time only one is paid: approving a payout of %s first closes "
                                    + "this one instead%n", sharing, sharing == 1 ? "epoch" : "epochs",
                            named(closes, true, sharing), sharing == 1 ? "it" : "one of them");
                }
            }
        }

        /**
         * ": 'A', 'B' and 3 more": the names of the {@code all} closed epochs that share time ({@code sharing}) or not,
         * among those listed; nothing when none of them is.
         */
        private static String named(dev.merit.payroll.PayoutLedger.Closes closes, boolean sharing, long all) {
            java.util.List<String> names = closes.latest().stream().filter(e -> e.sharesTime() == sharing)
                    .map(e -> "'" + e.name() + "' (" + e.scoredInWords() + ")").toList();
            return names.isEmpty() ? "" : ": " + String.join(", ", names)
                    + (all > names.size() ? " and " + (all - names.size()) + " more" : "");
        }

        private static final java.util.Map<String, String> KINDS = java.util.Map.of("PROPOSE", "proposal",
                "VOTE", "vote relayed", "QUEUE", "queue in the timelock", "EXECUTE", "execute", "CLAIM", "payment claims");
        private static final java.util.Map<String, String> STATES = java.util.Map.of("PENDING", "waiting to be sent",
                "SENT", "sent, waiting for a block", "CONFIRMED", "confirmed", "FAILED", "failed");

        /** Lines this payout will never pay: no wallet to show ("none linked" would say the contributor has none). */
        private static final java.util.Set<String> NOT_PAID_HERE = java.util.Set.of(dev.merit.payroll.LineState.NEVER,
                dev.merit.payroll.LineState.REPLACED, dev.merit.payroll.LineState.RETURNED);

        /** Which of the governor's two tests a lost vote failed, from its tallies (as the dashboard says it). */
        static String defeatedBecause(ChainProposal cp) {
            BigInteger yes = cp.votesFor == null ? BigInteger.ZERO : cp.votesFor;
            BigInteger no = cp.votesAgainst == null ? BigInteger.ZERO : cp.votesAgainst;
            BigInteger cast = yes.add(cp.votesAbstain == null ? BigInteger.ZERO : cp.votesAbstain);
            java.util.List<String> why = new java.util.ArrayList<>();
            if (yes.compareTo(no) <= 0) {
                why.add(votes(yes) + " For against " + votes(no) + " Against (it needs more For than Against)");
            }
            if (cp.quorum != null && cast.compareTo(cp.quorum) < 0) {
                why.add("For and Abstain reached " + votes(cast) + " of its quorum of " + votes(cp.quorum));
            }
            return why.isEmpty() ? "the vote did not pass" : "it did not pass: " + String.join("; and ", why);
        }

        /** Votes are the governance token's units (18 decimals): 200 votes, not 200000000000000000000. */
        static String votes(BigInteger units) {
            return units == null ? "0" : TokenAmounts.format(units, 18);
        }

        public static void print(PrintWriter out, ChainProposal cp, Outbox outbox,
                                 dev.merit.payroll.PayoutLedger ledger) {
            String state = ProposalState.ofChain(cp.state);
            dev.merit.payroll.PayoutProposal payout = dev.merit.payroll.PayoutProposal.findById(cp.payoutProposalId);
            // The governor's word, once: most sentences start with it ("executed: the DAO approved it"), others
            // do not ("active (on chain, members are voting)").
            String text = ProposalState.describe(state, payout);
            // Votes are the governance token's (one member may hold many); the quorum is read at the vote's start.
            boolean quorumUnread = state.equals("pending") && (cp.quorum == null || cp.quorum.signum() == 0);
            out.printf("payout proposal #%d: governor proposal %s%n  %s; votes (governance tokens) for %s, against %s, "
                            + "abstain %s; quorum %s%n", cp.payoutProposalId, cp.onchainId, text.startsWith(state)
                            ? text : state + " (" + text + ")", votes(cp.votesFor), votes(cp.votesAgainst),
                    votes(cp.votesAbstain), quorumUnread ? "set when voting opens" : votes(cp.quorum));
            if (state.equals("defeated")) {
                out.println("  " + defeatedBecause(cp));
            }
            dev.merit.epoch.Epoch epoch = dev.merit.epoch.Epoch.findById(payout.epochId);
            int decimals = epoch.tokenDecimals;
            BigInteger held = cp.heldTotal == null ? BigInteger.ZERO : cp.heldTotal;
            out.printf("  vault %s (period %s), Merkle root %s%n  pays %s tokens%s%n",
                    org.web3j.crypto.Keys.toChecksumAddress(cp.vault), epoch.name,
                    cp.merkleRoot, TokenAmounts.format(cp.total, decimals), held.signum() == 0 ? ""
                            : ", holds " + TokenAmounts.format(held, decimals) + " for contributors without a wallet");
            if (cp.executedAt != null) {
                out.printf("  approved on chain %s, in block %d%n", dev.merit.problem.Moments.of(cp.executedAt),
                        cp.executedBlock);
            }
            java.util.List<dev.merit.payroll.PayoutLine> lines = dev.merit.payroll.PayoutLine.payingToRead(
                    cp.payoutProposalId); // printed last: nothing changes them after
            if (!lines.isEmpty()) {
                out.println();
                Table paid = new Table("contributor", "wallet", "tokens", "state", "transaction or reason");
                java.util.List<dev.merit.payroll.PayoutLedger.Reading> readings = ledger.read(payout, lines);
                for (int i = 0; i < lines.size(); i++) {
                    dev.merit.payroll.PayoutLine l = lines.get(i);
                    dev.merit.payroll.PayoutLedger.Reading r = readings.get(i);
                    dev.merit.payroll.LineState line = r.state();
                    dev.merit.contributor.Contributor who = dev.merit.contributor.Contributor.findById(l.contributorId);
                    String wallet = r.wallet();
                    String since = r.linkedSince();
                    paid.row(who == null ? "#" + l.contributorId : who.displayName + " (#" + l.contributorId + ")",
                            wallet != null ? wallet : since != null ? "none then; " + since + " since"
                                    : NOT_PAID_HERE.contains(line.state()) ? "-" : "none linked",
                            TokenAmounts.format(l.amount, decimals),
                            line.state(), l.paidTxHash != null ? l.paidTxHash : line.reason());
                }
                paid.print(out);
            }
            printReleases(out, cp, decimals);
            out.println();
            Table table = new Table("tx", "step", "status", "hash", "nonce", "fees", "attempts", "last error");
            for (ChainTx t : outbox.of(cp.id)) {
                table.row(t.id, KINDS.getOrDefault(t.kind, t.kind.toLowerCase(Locale.ROOT)),
                        STATES.getOrDefault(t.status, t.status.toLowerCase(Locale.ROOT)), t.txHash, t.nonce,
                        t.maxFeePerGas == null ? null : new GasPricing.Fees(t.maxFeePerGas, t.maxPriorityFeePerGas),
                        t.attempts, t.lastError);
            }
            table.print(out);
        }
    }

    /**
     * What the vote moves besides its own lines, as the dashboard and the proposal's description say: held shares of
     * earlier payouts released to wallets linked since, and payouts whose held shares go back to the treasury.
     */
    public static void printReleases(PrintWriter out, ChainProposal cp, int decimals) {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.List<Long> released = cp.releasedLineIds(json);
        if (!released.isEmpty()) {
            java.util.Map<Long, String> to = cp.releasedToMap(json);
            java.util.List<PayoutLine> lines = new java.util.ArrayList<>(
                    IdSlices.list(released, slice -> PayoutLine.<PayoutLine>list("id in ?1", slice)));
            lines.sort(java.util.Comparator.comparing((PayoutLine l) -> l.proposalId).thenComparingInt(l -> l.rank));
            BigInteger sum = lines.stream().map(l -> l.amount).reduce(BigInteger.ZERO, BigInteger::add);
            out.printf("%n  also releases %s tokens held by earlier payouts, to wallets linked since:%n",
                    TokenAmounts.format(sum, decimals));
            boolean over = cp.state().terminal(); // a superseded vote may still pass and be executed
            Table table = new Table("contributor", "wallet", "tokens", "held by", "state");
            for (dev.merit.payroll.PayoutLine l : lines) {
                dev.merit.contributor.Contributor who = dev.merit.contributor.Contributor.findById(l.contributorId);
                table.row(who == null ? "#" + l.contributorId : who.displayName + " (#" + l.contributorId + ")",
                        to.getOrDefault(l.id, ""), TokenAmounts.format(l.amount, decimals), "payout #" + l.proposalId,
                        l.paidTxHash != null ? "paid, " + l.paidTxHash : over ? "not released by this vote: it "
                                + "will not be executed" : "released when this vote is executed");
            }
            table.print(out);
        }
        java.util.List<Long> returned = cp.returnedProposalIds(json);
        if (!returned.isEmpty()) {
            out.printf("%n  also returns to the treasury what %s still %s for contributors who linked no wallet%n",
                    returned.stream().map(id -> "payout #" + id).collect(java.util.stream.Collectors.joining(", ")),
                    returned.size() == 1 ? "holds" : "hold");
        }
        if (cp.closedUnpaid != null) { // as asked with --close-unpaid (or closeUnpaid) when it went on chain
            String state = ProposalState.ofChain(cp.state);
            boolean never = cp.state().terminal() // voted down, canceled or expired
                    || ProposalState.periodTaken(dev.merit.payroll.PayoutProposal.findById(cp.payoutProposalId))
                    || dev.merit.governance.PayoutPeriods.proposeFailed(cp);
            out.printf("%n  %s for good %d %s dated %s%s that no payout had paid, as %s asked%s%n",
                    never ? "would have closed" : state.equals("superseded") ? "if it is still approved (a newer "
                            + "payout replaced it), closes" : "also closes", cp.closedUnpaid, cp.closedUnpaid == 1
                            ? "contribution" : "contributions", cp.closedUnpaidSince == null ? "before "
                            : "from " + dev.merit.problem.Moments.of(cp.closedUnpaidSince) + " to ",
                    dev.merit.problem.Moments.of(cp.closedUnpaidUntil), cp.closedUnpaidBy, never
                            ? "; it can never be approved now, so it closes nothing"
                            : " (the vault pays periods once and in order)");
        }
    }

    /**
     * Why nothing will be sent for {@code cp} any more, in words; null while something may still be due (a vote's end,
     * queue, execute, claims).
     */
    public static String nothingDue(ChainProposal cp, Outbox outbox) {
        ChainProposal.State state = cp.state();
        switch (state) {
            case DEFEATED -> {
                return "the vote did not pass, so it will not be paid";
            }
            case CANCELED -> {
                return "it was canceled, so it will not be paid";
            }
            case EXPIRED -> {
                return "it expired before it was executed, so it will not be paid";
            }
            default -> {
            }
        }
        if (cp.chainFinal && state != ChainProposal.State.EXECUTED) { // whether its successor pays is its own status
            return state == ChainProposal.State.SUPERSEDED ? "payout #" + cp.supersededBy + " replaced it on chain, "
                    + "and it can no longer be executed itself" : "another payout took its period on the vault, so it "
                    + "can no longer be executed";
        }
        if (state != ChainProposal.State.EXECUTED || outbox.claimsOutstanding(cp.id)) {
            return null;
        }
        // Executed, its claims sent: a claim that failed is not sent again (its line stays claimable from the vault).
        long unpaid = dev.merit.payroll.PayoutLine.count("proposalId = ?1 and amount > 0 and wallet is not null and "
                + "paidTxHash is null", cp.payoutProposalId);
        long held = dev.merit.payroll.PayoutLine.count("proposalId = ?1 and amount > 0 and heldKey is not null and "
                + "paidTxHash is null and returned = false", cp.payoutProposalId);
        return "it was executed" + (unpaid > 0 ? "; " + Table.count(unpaid, "line", "lines") + " with a wallet "
                + (unpaid == 1 ? "is" : "are") + " unpaid after a failed claim, and stay claimable from the vault by "
                + "their contributors" : held > 0 ? ", and every line with a wallet is paid"
                : ", and every line is paid")
                + (held > 0 ? "; " + Table.count(held, "share is", "shares are") + " held in the vault until a later "
                + "payout's vote releases " + (held == 1 ? "it" : "them") + " to a wallet" : "");
    }

    @Command(name = "execute", description = "Send whatever is due now for payout proposal N: queue, execute, claims "
            + "(the service does this on its own every few seconds).")
    static class Advance implements Callable<Integer> {
        @Parameters(paramLabel = "N", description = "The payout proposal's number (payout #N)") long proposal;
        @Spec CommandSpec spec;
        private final GovernanceService governance;
        private final Outbox outbox;
        private final Leadership leadership;
        private final dev.merit.payroll.PayoutLedger ledger;

        Advance(GovernanceService governance, Outbox outbox, Leadership leadership,
                dev.merit.payroll.PayoutLedger ledger) {
            this.governance = governance;
            this.outbox = outbox;
            this.leadership = leadership;
            this.ledger = ledger;
        }

        @Override
        public Integer call() {
            ChainProposal cp = governance.byPayoutProposal(proposal);
            if (leadership.isLeader()) { // what the chain says now, before deciding what is due
                governance.tickWithoutSending();
                Panache.getEntityManager().clear();
                cp = governance.byPayoutProposal(proposal);
            }
            String over = nothingDue(cp, outbox);
            if (over != null || !leadership.isLeader()) { // nothing to send, or a server sends it
                spec.commandLine().getOut().println(over != null ? "Nothing is due for payout #" + proposal + ": "
                        + over + "." : serverSends(proposal));
                Status.print(spec.commandLine().getOut(), cp, outbox, ledger);
                return 0;
            }
            governance.tick();
            governance.tick();
            outbox.settle(cp.id); // this command's chain stops with it: what it sent is recorded first
            Status.print(spec.commandLine().getOut(), governance.byPayoutProposal(proposal), outbox, ledger);
            return 0;
        }
    }

    @Command(name = "vote", description = "Vote on payout proposal N as member K of the embedded chain (the public test "
            + "accounts 1..merit.chain.embedded.members hold its votes): for the demo. On a real DAO, members vote with "
            + "their own wallets on the dashboard.")
    static class Vote implements Callable<Integer> {
        @Parameters(paramLabel = "N", description = "The payout proposal's number (payout #N)") long proposal;
        @Option(names = "--member", paramLabel = "K", required = true, description = "1, 2, 3...") int member;
        @Option(names = "--support", defaultValue = "for", description = "for, against or abstain (default: for)")
        String support;
        @Spec CommandSpec spec;
        private final GovernanceService governance;
        private final ChainService chain;

        Vote(GovernanceService governance, ChainService chain) {
            this.governance = governance;
            this.chain = chain;
        }

        @Override
        public Integer call() throws Exception {
            if (chain.config().rpcUrl().isPresent()) {
                throw ProblemException.invalid("Members of an existing DAO vote with their own wallets; `chain vote` "
                        + "speaks for the embedded chain's public test accounts only.");
            }
            int members = chain.config().embedded().members();
            if (member < 1 || member > members) {
                throw ProblemException.invalid("--member is 1 to " + members + " (the embedded chain's members).");
            }
            int code = dev.merit.governance.Ballot.SUPPORT_WORDS.indexOf(support.toLowerCase(Locale.ROOT));
            if (code < 0) {
                throw ProblemException.invalid("--support is for, against or abstain, got '" + support + "'.");
            }
            BigInteger choice = BigInteger.valueOf(code);
            // Just proposed: the server sends the proposal within seconds, and the vote opens a block later.
            long deadline = System.nanoTime() + 60_000_000_000L;
            ChainProposal cp = governance.byPayoutProposal(proposal);
            String state = ProposalState.ofChain(cp.state);
            while ((cp.onchainId == null || state.equals("pending")) && System.nanoTime() < deadline) {
                Thread.sleep(1000);
                governance.tickWithoutSending();
                Panache.getEntityManager().clear(); // read it anew, not the copy this command saw before
                cp = governance.byPayoutProposal(proposal);
                state = ProposalState.ofChain(cp.state);
            }
            if (!state.equals("active")) {
                throw ProblemException.conflict("Payout proposal " + proposal + " is " + state + " ("
                        + ProposalState.describe(state) + "): votes are cast while it is active.");
            }
            // What would revert is refused before anything is sent (a second vote cost gas and ended in a stack
            // trace): already voted, no voting power, voting closed; each in words.
            String address = DevAccounts.account(member).getAddress();
            governance.ballot(proposal, address, code);
            DaoContracts dao = chain.dao();
            MeritGovernor governor = MeritGovernor.load(dao.governor(), chain.web3j(), Deployment.transactions(
                    chain.web3j(), DevAccounts.account(member), dao.chainId()), Deployment.GAS);
            org.web3j.protocol.core.methods.response.TransactionReceipt receipt;
            try {
                receipt = governor.castVote(new BigInteger(cp.onchainId), choice).send();
            } catch (org.web3j.protocol.exceptions.TransactionException e) {
                throw ProblemException.conflict("Member " + member + "'s vote was refused on chain: "
                        + e.getMessage().lines().findFirst().orElse("reverted") + ".");
            }
            spec.commandLine().getOut().printf("member %d (%s) voted %s in transaction %s%n", member,
                    org.web3j.crypto.Keys.toChecksumAddress(DevAccounts.account(member).getAddress()), support.toLowerCase(Locale.ROOT),
                    receipt.getTransactionHash());
            return 0;
        }
    }
}
