package dev.merit.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's own formatting (src/main/web/src/format.js), run by Node as the browser runs it: times to come in
 * hours and minutes, the size's line count grouped, an epoch's days said to be UTC's, a model's feature in words.
 */
class DashboardFormatTest {

    private static final String SCRIPT = """
            import { relative, factorReason, periodUtc, describeFeature, stateLabel, lineWords, typeWithConfidence,
              heldWords, closedUnpaidWords, pastEdgeWords, chainSilentWords } from './src/format.js';
            const at = (s) => new Date(Date.now() + s * 1000 + 400).toISOString();
            console.log(JSON.stringify([relative(at(7170)), relative(at(10790)), relative(at(172799)), relative(at(3000)),
              relative(at(-7170)), relative(at(60)),
              factorReason('5746 effective lines: 200 x (1 + ln(5746/200)), damped beyond 200'),
              factorReason('120 effective lines, counted one point each (up to 200)'),
              periodUtc('2026-12-01T00:00:00Z', '2027-01-01T00:00:00Z'),
              periodUtc('2026-12-01T00:00:00Z', '2026-12-05T12:00:00Z'), periodUtc(null, null),
              describeFeature('lshare=test3'), describeFeature('lshare=code0'), describeFeature('lshare=changelog4'),
              ...['active', 'queued', 'succeeded', 'executed', 'superseded', 'pending', 'defeated'].map(stateLabel),
              factorReason('median type weight: types weighing 1 have 46.9% (feature 31.9%, fix 14.2%, perf 0.8%), '
                + 'under even odds; with those weighing 0.8 (refactor 4.1%, test 3.2%), 54.1%: even odds or better at '
                + '0.8; most likely docs 32.3% (weight 0.6) (commit-type-ea75cbc01cd3)'),
              factorReason('graph credit 1.3x the epoch average (built on by 2 later contributions of others; PageRank '
                + 'over 4 links, 9 iterations): 1 + 0.25 x (1.3 - 1) = 1.075'),
              lineWords('excluded_lockfile'), lineWords('excluded_generated'),
              typeWithConfidence('fix', { confidence: 0.577 }),
              typeWithConfidence('docs', { confidence: 0.32, unsure: true }),
              heldWords(0, 3), heldWords(1, 3), heldWords(2, 3), heldWords(3, 3),
              closedUnpaidWords({ contributions: 1234, since: '2026-07-01T00:00:00Z', until: '2026-10-01T00:00:00Z',
                askedBy: 'Ada Lovelace' }, 'active'),
              closedUnpaidWords({ contributions: 1, until: '2026-10-01T00:00:00Z',
                askedBy: '0x00000000000000000000000000000000000000aB' }, 'defeated'),
              closedUnpaidWords({ contributions: 2, since: '2026-07-01T00:00:00Z', until: '2026-10-01T00:00:00Z' },
                'superseded'),
              closedUnpaidWords({ contributions: 2, until: '2026-10-01T00:00:00Z', askedBy: 'ada' }, 'queued', true),
              pastEdgeWords('opens', 120, 119), pastEdgeWords('opens', 120, 120), pastEdgeWords('opens', 120, 123),
              pastEdgeWords('closes', 210, 210), pastEdgeWords('closes', 210, 212),
              pastEdgeWords('opens', 120, null), chainSilentWords('2026-12-08T02:53:37Z'),
              chainSilentWords(null, false)]));
            """;

    @Test
    void timesLineCountsAndDaysReadAsAPersonWritesThem() throws Exception {
        Process p = new ProcessBuilder("node", "--input-type=module", "-e", SCRIPT)
                .directory(Path.of("src/main/web").toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        List<String> got = List.of(new ObjectMapper().readValue(out, String[].class));
        assertThat(got).containsExactly(
                // Hours and minutes of the rounded minutes: never "1 h 60 min".
                "in 2 h 0 min", "in 3 h 0 min", "in 48 h 0 min", "in 50 min", "2 h 0 min ago", "in 60 s",
                "5,746 effective lines: 200 × (1 + ln(5746/200)), damped beyond 200",
                "120 effective lines, counted one point each (up to 200)",
                "2026-12-01 to 2026-12-31 UTC", "2026-12-01 to 2026-12-05 12:00 UTC", "—",
                // A feature of the type model in words (features-v6's share of the lines by kind of file).
                "three quarters or more of its changed lines are test code",
                "under a quarter of its changed lines are source code",
                "all of its changed lines are a release history (changelog)",
                // A payout's state on a badge, in a person's words rather than the governor's.
                "voting", "in the timelock", "voted through", "approved", "replaced", "vote soon", "voted down",
                // The median type weight worked out by weight, in the page's type names and percentages.
                "median type weight: types weighing 1 have 46.9\u00a0% (feature 31.9\u00a0%, fix 14.2\u00a0%, "
                        + "performance 0.8\u00a0%), under even odds; with those weighing 0.8 (refactoring 4.1\u00a0%, "
                        + "tests 3.2\u00a0%), 54.1\u00a0%: even odds or better at 0.8; most likely documentation "
                        + "32.3\u00a0% (weight 0.6) (commit-type-ea75cbc01cd3)",
                "graph credit 1.3x the epoch average (built on by 2 later contributions of others; PageRank over 4 "
                        + "links, 9 iterations): 1 + 0.25 × (1.3 - 1) = 1.075",
                "lock files (not counted)", "generated files (not counted)", "a fix (58\u00a0% sure)",
                "documentation? (only 32\u00a0% sure)",
                // What a draft put on chain holds, asked before: all of it when nobody has a wallet.
                "", " 1 contributor without a wallet: their share is held in the vault until they link one (back to "
                        + "the treasury if none is linked in time).",
                " 2 contributors without a wallet: their shares are held in the vault until each links one (back to "
                        + "the treasury if none is linked in time).",
                " No contributor in it has a wallet linked: it pays no one now, and holds every share in the vault "
                        + "until its contributor links one (back to the treasury if none is linked in time).",
                // What a payout closed of unpaid work, as asked: of when, by whom; nothing once its vote failed.
                "1,234 contributions dated from 2026-07-01 to 2026-09-30 (UTC), which no payout had paid: with this "
                        + "payout approved, the vault never pays them (it pays periods once and in order). Ada "
                        + "Lovelace asked for it when putting the payout on chain.",
                "Nothing: it would have closed 1 contribution dated up to 2026-09-30 (UTC), which no payout had paid, "
                        + "as 0x0000…00AB asked, but it can never be approved now.",
                // Replaced by a newer payout: it still may be approved. Asked by nobody named: capitalised.
                "2 contributions dated from 2026-07-01 to 2026-09-30 (UTC), which no payout had paid: if this payout "
                        + "is still approved (a newer payout replaced it), the vault never pays them (it pays periods "
                        + "once and in order). A maintainer asked for it when putting the payout on chain.",
                // Its period taken by another payout: queued, and still never approved.
                "Nothing: it would have closed 2 contributions dated up to 2026-09-30 (UTC), which no payout had paid, "
                        + "as ada asked, but it can never be approved now.",
                // The vote's edge passed by the clock while the state shown (read a few blocks behind the head) has not
                // moved: what the chain's head says, not "with the next block" block after block.
                "after block 120 (the chain is at block 119)", "with the next block (after block 120)",
                "open on chain since block 121 (the chain is at block 123); this page shows it once that is confirmed",
                "after block 210 (the chain is at block 210)",
                "closed on chain after block 210 (the chain is at block 212); this page shows the result once that is "
                        + "confirmed",
                "after block 120",
                // While the chain cannot be read: since when, if known, and that the page is as last read.
                "The chain has not answered since 2026-12-08 02:53 UTC: what this page says of the vote (its state, "
                        + "tallies and times) is as Merit last read it, and voting resumes once the chain answers. The "
                        + "page updates by itself once it does.",
                // The home page does not follow the chain: it says to reload.
                "The chain cannot be read now: what this page says of the vote (its state, tallies and times) is as "
                        + "Merit last read it, and voting resumes once the chain answers. Reload the page then.");
    }
}
