package dev.merit.cli;

import dev.merit.audit.TokenAmounts;
import dev.merit.epoch.Epoch;
import dev.merit.epoch.EpochService;
import dev.merit.epoch.PayoutPolicy;
import dev.merit.problem.ProblemException;

import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * An epoch named on the command line: an existing epoch's name, a month ("2026-11") or a date range
 * ("2026-01-01..2026-07-01", end exclusive, UTC; "2026-01-01..today" ends where today begins). Unknown months and
 * ranges become new epochs; a range's is named by its days ({@link #title()}).
 */
record EpochSpec(String name, Instant startsAt, Instant endsAt) {

    static EpochSpec parse(String spec) {
        try {
            if (spec.matches("\\d{4}-\\d{2}")) {
                YearMonth month = YearMonth.parse(spec);
                return new EpochSpec(spec, month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                        month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            if (spec.contains("..")) {
                String[] parts = spec.split("\\.\\.", 2);
                if (parts[1].equals("today")) { // up to the start of today (UTC): a period that has ended, named by its dates
                    parts[1] = LocalDate.now(ZoneOffset.UTC).toString();
                    spec = parts[0] + ".." + parts[1];
                }
                return new EpochSpec(spec, LocalDate.parse(parts[0]).atStartOfDay(ZoneOffset.UTC).toInstant(),
                        LocalDate.parse(parts[1]).atStartOfDay(ZoneOffset.UTC).toInstant());
            }
        } catch (DateTimeParseException e) {
            // In words, not the parser's ("Unable to obtain YearMonth from TemporalAccessor: {MonthOfYear=13, ...}").
            throw ProblemException.invalid("'" + spec + "' is not a month (2026-11) or a date range "
                    + "(2026-01-01..2026-07-01, or 2026-01-01..today): " + (e.getMessage().contains("at index")
                    ? "dates are written year-month-day, 2026-01-31" : "there is no such month or day") + ".");
        }
        return new EpochSpec(spec, null, null);
    }

    /**
     * The name an epoch made from this spec gets: a month's own ("2026-11"); a range's days as every screen says them,
     * its last day included ("2026-12-01 to 2026-12-04" for 2026-12-01..2026-12-05, whose end is exclusive), so that
     * its name and its dates never read as two different periods.
     */
    String title() {
        if (startsAt == null || !name.contains("..")) {
            return name;
        }
        LocalDate first = LocalDate.ofInstant(startsAt, ZoneOffset.UTC);
        LocalDate last = LocalDate.ofInstant(endsAt, ZoneOffset.UTC).minusDays(1);
        return last.isAfter(first) ? first + " to " + last : first.toString();
    }

    /**
     * The epoch this spec names, if it exists: by the spec as typed (epochs made before ranges were named by their
     * days), then by the name it makes (an epoch of that name with other dates is another one: a one-day range's name
     * is a bare date). An epoch of the same dates under another name is not taken for it: it may have its own budget
     * and policy ({@link #warnOverlaps} names it).
     */
    Optional<Epoch> find(EpochService epochs) {
        return epochs.findByName(name).or(() -> epochs.findByName(title())
                .filter(e -> e.startsAt.equals(startsAt) && e.endsAt.equals(endsAt)));
    }

    /** The named epoch ({@link #find}), creating it (with this budget and policy) when the spec is a month or a range. */
    Epoch resolve(EpochService epochs, BigInteger budget, int decimals, PayoutPolicy policy) {
        Optional<Epoch> existing = find(epochs);
        if (existing.isPresent()) {
            return existing.get();
        }
        Optional<Epoch> titled = epochs.findByName(title());
        if (startsAt == null) {
            throw ProblemException.invalid("No epoch named '" + name + "'. Name a month (2026-11), a date range "
                    + "(2026-01-01..2026-07-01) or an existing epoch.");
        }
        return epochs.create(new EpochService.NewEpoch(titled.isPresent() ? name : title(), startsAt, endsAt, budget,
                decimals, policy));
    }

    /**
     * Says which epochs share time with {@code epoch}: a contribution in the shared time is scored in each, and only
     * one of them can be paid; and the time just before it, or left after it before the next, that no epoch covers.
     * Accepted (a preview of part of a month is a fair use; a DAO may pay nothing for a break), never silent.
     */
    static void warnOverlaps(EpochService epochs, dev.merit.epoch.EpochPayments payments, Epoch epoch,
                             java.io.PrintWriter err) {
        List<Epoch> overlapping = epochs.overlapping(epoch);
        java.util.Map<Long, dev.merit.epoch.EpochPayments.Payment> paid = overlapping.isEmpty() ? java.util.Map.of()
                : payments.paidBy(overlapping.stream().map(o -> o.id).toList());
        for (Epoch other : overlapping) {
            dev.merit.epoch.EpochPayments.Payment by = paid.get(other.id);
            if (by != null) { // not "only one of the two": that one is paid, so this one never can be
                err.printf("Note: epoch '%s' shares time with epoch '%s' (%s), which payout #%d paid: a period is paid "
                        + "once, so no payout of '%s' can be paid any more.%n", epoch.name, other.name,
                        dev.merit.problem.Moments.period(other.startsAt, other.endsAt), by.payoutProposalId(),
                        epoch.name);
                continue;
            }
            if (other.startsAt.equals(epoch.startsAt) && other.endsAt.equals(epoch.endsAt)) {
                err.printf("Note: epoch '%s' has exactly the dates of epoch '%s', its own budget and policy: only one of "
                        + "the two can be paid. To work on it instead, name it: --epoch '%s'.%n", other.name, epoch.name,
                        other.name);
                continue;
            }
            err.printf("Note: epoch '%s' shares time with epoch '%s' (%s): contributions in the shared time are "
                    + "scored in both, and only one of the two can be paid.%n", epoch.name, other.name,
                    dev.merit.problem.Moments.period(other.startsAt, other.endsAt));
        }
        // The time before it no epoch covers, and the time it leaves uncovered before the next one (an epoch made
        // before the first, or into a gap, can leave one there).
        epochs.gapBefore(epoch).ifPresent(gap -> noteGap(epochs, gap, epoch, err));
        Epoch.<Epoch>find("startsAt > ?1", io.quarkus.panache.common.Sort.by("startsAt").and("id"), epoch.startsAt)
                .firstResultOptional().ifPresent(next -> epochs.gapBefore(next)
                        .filter(gap -> gap.after().id.equals(epoch.id))
                        .ifPresent(gap -> noteGap(epochs, gap, next, err)));
    }

    private static void noteGap(EpochService epochs, EpochService.Gap gap, Epoch next, java.io.PrintWriter err) {
        long dated = epochs.contributionsBetween(gap.from(), gap.to());
        err.printf("Note: no epoch covers %s, between epoch '%s' and epoch '%s': %s paid by no payout until an epoch "
                        + "covers that time, and never once a later period is approved (periods are paid once and in "
                        + "order).%n", dev.merit.problem.Moments.period(gap.from(), gap.to()), gap.after().name,
                next.name, dated == 0 ? "no contribution is dated then yet; work dated then is"
                        : dated == 1 ? "the contribution dated then is"
                        : "the " + dated + " contributions dated then are");
    }

    /** Whole or fractional tokens ("1000", "0.5", "1_000") to base units, exactly, as the API reads them. */
    static BigInteger tokens(String amount, int decimals, String option) {
        return TokenAmounts.parse(option, amount.replace("_", ""), decimals);
    }
}
