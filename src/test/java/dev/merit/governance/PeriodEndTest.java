package dev.merit.governance;

import dev.merit.epoch.Epoch;
import dev.merit.problem.ProblemException;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A period is paid once it is over: paid before its end, the rest of its work could never be paid, and a mistyped end
 * (2062 for 2026) would stop the vault until then. (The tests of the shared chain pay years to come, with
 * merit.chain.pay-unended-periods on; this is the rule a DAO runs with.)
 */
class PeriodEndTest {

    @Test
    void aPayoutGoesOnChainOnlyOnceItsPeriodHasEnded() {
        Epoch december = new Epoch();
        december.name = "2026-12";
        december.startsAt = Instant.parse("2026-12-01T00:00:00Z");
        december.endsAt = Instant.parse("2027-01-01T00:00:00Z");
        assertThatThrownBy(() -> PayoutPeriods.requireEnded(december, Instant.parse("2026-12-20T12:00:00Z")))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo("period-not-over");
                    assertThat(e.getMessage()).contains("runs until 2027-01-01 00:00 UTC")
                            .contains("would never be paid");
                });
        assertThatCode(() -> PayoutPeriods.requireEnded(december, Instant.parse("2027-01-01T00:00:00Z")))
                .doesNotThrowAnyException();
    }
}
