package dev.merit.web;

import dev.merit.payroll.PayoutProposal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Which standing payout the home page shows when no vote is under way (the re-walk's case, in miniature). */
class HomePayoutPickTest {

    private static PayoutProposal payout(long id, String status) {
        PayoutProposal p = new PayoutProposal();
        p.id = id;
        p.status = status;
        return p;
    }

    @Test
    void aPreviewOfTheRunningMonthDoesNotHideTheNextPayableOne() {
        PayoutProposal december = payout(6, "draft");   // the month under way: a preview
        PayoutProposal march = payout(5, "draft");      // ended, payable: the next to go on chain
        PayoutProposal february = payout(4, "executed");
        PayoutProposal december2025 = payout(1, "draft"); // the vault has passed it
        List<PayoutProposal> newestFirst = List.of(december, march, february, december2025);
        Set<Long> passed = Set.of(1L);
        Set<Long> previews = Set.of(6L);

        assertThat(OverviewResource.pick(newestFirst, p -> passed.contains(p.id), p -> previews.contains(p.id)))
                .isSameAs(march);
        // Without the payable draft, the payout just executed, not the preview.
        assertThat(OverviewResource.pick(List.of(december, february, december2025), p -> passed.contains(p.id),
                p -> previews.contains(p.id))).isSameAs(february);
        // Only a preview stands: it is shown. Nothing but passed drafts: nothing (the caller then takes the latest).
        assertThat(OverviewResource.pick(List.of(december, december2025), p -> passed.contains(p.id),
                p -> previews.contains(p.id))).isSameAs(december);
        assertThat(OverviewResource.pick(List.of(december2025), p -> passed.contains(p.id), p -> false)).isNull();
    }
}
