package dev.merit.payroll;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What a payout line says to a person, by where its proposal stands: never "to pay" when it cannot be paid. */
class LineStateTest {

    @Test
    void linesOfAProposalThatWillNotPaySaySoAndWhy() {
        assertThat(read(proposal("active"), line())).isEqualTo(new LineState(LineState.TO_PAY, null));
        assertThat(read(proposal("defeated"), line()))
                .isEqualTo(new LineState(LineState.NEVER,
                        "the vote did not pass: too few votes for its quorum, or not more for than against"));
        assertThat(read(proposal(ProposalState.SUPERSEDED), line()))
                .as("replaced, not 'will not be paid': members may still execute it while its vote stands")
                .isEqualTo(new LineState(LineState.REPLACED,
                        "a newer payout of the same epoch replaced this one: the share is paid there"));
        assertThat(read(proposal(ProposalState.WITHDRAWN), line()).reason()).contains("withdrawn");
        assertThat(read(proposal("expired"), line()).state()).isEqualTo(LineState.NEVER);
        assertThat(read(proposal("canceled"), line()).state()).isEqualTo(LineState.NEVER);

        PayoutProposal taken = proposal("active");
        taken.periodTaken = true;
        assertThat(read(taken, line()).reason()).contains("its period or a later one");
        assertThat(ProposalState.describe(taken)).startsWith("on chain, members are voting; it can no longer be paid");
        PayoutLine held = line();
        held.heldKey = "0x01";
        assertThat(read(taken, held).state()).as("a held share of a payout that never executes is not in the vault")
                .isEqualTo(LineState.NEVER);

        PayoutLine zero = line();
        zero.amount = BigInteger.ZERO;
        assertThat(read(proposal("defeated"), zero).state()).isEqualTo(LineState.NOTHING);
    }

    @Test
    void anApprovedProposalsLinesArePaidOrClaimableWhateverCameAfter() {
        PayoutProposal executedThenSuperseded = proposal(ProposalState.SUPERSEDED);
        executedThenSuperseded.approvedAt = Instant.EPOCH;
        executedThenSuperseded.periodTaken = true;
        assertThat(read(executedThenSuperseded, line()).state()).isEqualTo(LineState.CLAIMABLE);
        PayoutLine paid = line();
        paid.paidTxHash = "0xabc";
        assertThat(read(proposal("defeated"), paid).state()).isEqualTo(LineState.PAID);
        assertThat(ProposalState.describe(executedThenSuperseded)).doesNotContain("no longer");
    }

    private static LineState read(PayoutProposal p, PayoutLine line) {
        return LineState.of(line, p);
    }

    private static PayoutProposal proposal(String status) {
        PayoutProposal p = new PayoutProposal();
        p.status = status;
        return p;
    }

    private static PayoutLine line() {
        PayoutLine l = new PayoutLine();
        l.amount = BigInteger.TEN;
        return l;
    }
}
