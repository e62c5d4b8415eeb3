package dev.merit.governance;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The pace of blocks that voting deadlines are estimated with. */
class BlockPaceTest {

    @Test
    void aStoppedEmbeddedChainDoesNotPutDeadlinesHoursLate() {
        // The embedded chain mines a block every 2 s, and one per transaction besides: faster is believed.
        assertThat(BlockPace.of(1.2, 2, true)).isEqualTo(1.2);
        assertThat(BlockPace.of(2.5, 2, true)).isEqualTo(2.5);
        // Merit (and its chain) stopped for 28 minutes within the last 64 blocks: that is not the chain's pace.
        double afterRestart = (28 * 60 + 63 * 2.0) / 64;
        assertThat(BlockPace.of(afterRestart, 2, true)).isEqualTo(2);
        // A configured node's pace is its chain's, slow or not.
        assertThat(BlockPace.of(afterRestart, 12, false)).isEqualTo(afterRestart);
        assertThat(BlockPace.of(12.1, 12, false)).isEqualTo(12.1);
        // Nothing plausible measured (a chain that mines only on demand): the configured pace.
        assertThat(BlockPace.of(0, 12, false)).isEqualTo(12);
        assertThat(BlockPace.of(700, 12, false)).isEqualTo(12);
        assertThat(BlockPace.of(Double.NaN, 2, true)).isEqualTo(2);
    }
}
