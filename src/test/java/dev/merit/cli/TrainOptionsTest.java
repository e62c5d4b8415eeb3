package dev.merit.cli;

import dev.merit.problem.ProblemException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** train's --buckets: a power of two in the range a model can hold (the manifest records it). */
class TrainOptionsTest {

    @Test
    void bucketsArePowersOfTwoFrom1024To1048576() {
        assertThatCode(() -> TrainCommand.checkBuckets(65536)).doesNotThrowAnyException();
        assertThatCode(() -> TrainCommand.checkBuckets(1 << 20)).doesNotThrowAnyException();
        for (int bad : new int[]{1000, 512, 1 << 21, 0, -65536}) {
            assertThatThrownBy(() -> TrainCommand.checkBuckets(bad)).isInstanceOf(ProblemException.class)
                    .hasMessageContaining("--buckets is a power of two from 1024 to 1048576, got " + bad);
        }
    }
}
