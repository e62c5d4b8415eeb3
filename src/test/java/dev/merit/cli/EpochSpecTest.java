package dev.merit.cli;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** Epochs named on the command line: a month, a range, and a range up to today (a period that has ended). */
class EpochSpecTest {

    @Test
    void anIngestSaysWhenItsWorkIsDatedAndWhichMonthToPay() {
        // The month of its last work before this one (November), not the running one.
        assertThat(IngestCommand.dated(Instant.parse("2026-08-03T10:00:00Z"), Instant.parse("2026-12-02T09:00:00Z"),
                Instant.parse("2026-11-28T09:00:00Z")))
                .isEqualTo("Its work is dated 2026-08-03 to 2026-12-02 (UTC). `merit payroll --epoch 2026-11 "
                + "--budget TOKENS` scores and drafts the payout of a month of it; `merit epochs` lists the epochs "
                + "made.");
        // Work in January and this December: January, which holds some (not November, which holds none).
        assertThat(IngestCommand.dated(Instant.parse("2026-01-03T00:00:00Z"), Instant.parse("2026-12-02T00:00:00Z"),
                Instant.parse("2026-01-20T00:00:00Z"))).contains("--epoch 2026-01 ");
        // All of it this month: this month (drafted as a preview until it ends).
        assertThat(IngestCommand.dated(Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-02T00:00:00Z"),
                null)).contains("--epoch 2026-12 ");
    }

    @Test
    void aRangeUpToTodayEndsWhereTodayBeginsAndIsNamedByItsDates() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        EpochSpec spec = EpochSpec.parse("2000-01-01..today");
        assertThat(spec.name()).isEqualTo("2000-01-01.." + today);
        assertThat(spec.startsAt()).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
        assertThat(spec.endsAt()).isEqualTo(today.atStartOfDay(ZoneOffset.UTC).toInstant());

        assertThat(EpochSpec.parse("2026-11").endsAt()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(EpochSpec.parse("2026-01-01..2026-07-01").name()).isEqualTo("2026-01-01..2026-07-01");
        // An epoch made from a range is named by its days, the last one included, as every screen gives its period.
        assertThat(EpochSpec.parse("2026-12-01..2026-12-05").title()).isEqualTo("2026-12-01 to 2026-12-04");
        assertThat(EpochSpec.parse("2026-12-01..2026-12-02").title()).isEqualTo("2026-12-01");
        assertThat(EpochSpec.parse("2026-11").title()).isEqualTo("2026-11");
        assertThat(EpochSpec.parse("an epoch").title()).isEqualTo("an epoch");
    }
}
