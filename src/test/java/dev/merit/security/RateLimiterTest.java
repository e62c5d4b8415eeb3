package dev.merit.security;

import dev.merit.problem.ProblemException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    /** Requests the limiter admits for a client before its first refusal, at the clock's current time. */
    private static int admitted(RateLimiter limiter, String client, int atMost) {
        for (int i = 0; i < atMost; i++) {
            try {
                limiter.acquire(client);
            } catch (ProblemException refused) {
                return i;
            }
        }
        return atMost;
    }

    @Test
    void aClientGetsItsBurstThenA429ThatSaysWhenToRetryAndOthersAreUnaffected() {
        AtomicLong clock = new AtomicLong(1_000 * SECOND);
        RateLimiter limiter = new RateLimiter("sign-in", 5, clock::get);
        assertThat(admitted(limiter, "10.0.0.1", 100)).as("the burst is the limit").isEqualTo(5);
        assertThatThrownBy(() -> limiter.acquire("10.0.0.1")).isInstanceOf(ProblemException.class)
                .hasMessageContaining("at most 5 a minute").hasMessageContaining("Retry in 12 s")
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(429));
        // Another address has its own bucket.
        assertThat(admitted(limiter, "10.0.0.2", 100)).isEqualTo(5);
    }

    @Test
    void aRefusedClientIsAdmittedAgainWhenTheRetryTimeHasPassedAndNotBefore() {
        AtomicLong clock = new AtomicLong(1_000 * SECOND);
        RateLimiter limiter = new RateLimiter("sign-in", 5, clock::get);
        assertThat(admitted(limiter, "10.0.0.1", 100)).isEqualTo(5);
        // 5 a minute: one request's worth comes back every 12 s, the time the refusal says to wait.
        clock.addAndGet(12 * SECOND - 1_000_000);
        assertThat(admitted(limiter, "10.0.0.1", 100)).as("11.999 s later").isZero();
        clock.addAndGet(2_000_000);
        assertThat(admitted(limiter, "10.0.0.1", 100)).as("12.001 s later").isEqualTo(1);
        // A full window after the last request the whole burst is back, and no more than it.
        clock.addAndGet(60 * SECOND);
        assertThat(admitted(limiter, "10.0.0.1", 100)).as("a minute later").isEqualTo(5);
        clock.addAndGet(3_600 * SECOND);
        assertThat(admitted(limiter, "10.0.0.1", 100)).as("an hour later: the burst, not 60 minutes' worth").isEqualTo(5);
    }

    @Test
    void refusalsDoNotUseTheAllowance() {
        AtomicLong clock = new AtomicLong(0);
        RateLimiter limiter = new RateLimiter("sign-in", 60, clock::get);
        assertThat(admitted(limiter, "10.0.0.1", 1_000)).isEqualTo(60);
        // Hammering while refused does not push the next admission further out.
        for (int i = 0; i < 50; i++) {
            clock.addAndGet(10_000_000);
            assertThatThrownBy(() -> limiter.acquire("10.0.0.1")).isInstanceOf(ProblemException.class);
        }
        clock.addAndGet(SECOND - 50 * 10_000_000L + 1_000_000);
        assertThat(admitted(limiter, "10.0.0.1", 1_000)).as("one a second, 1 s after the burst").isEqualTo(1);
    }

    @Test
    void aLimitOfZeroAdmitsEverything() {
        RateLimiter off = new RateLimiter("sign-in", 0, () -> 0L);
        assertThat(admitted(off, "10.0.0.1", 10_000)).isEqualTo(10_000);
    }

    @Test
    void anIpv6ClientIsCountedByItsSlash64() {
        assertThat(RateLimiter.key("2001:db8:1:2:aaaa::1")).isEqualTo(RateLimiter.key("2001:db8:1:2:bbbb:cccc:dddd:eeee"))
                .isEqualTo("2001:db8:1:2::/64");
        assertThat(RateLimiter.key("2001:db8:1:3::1")).isNotEqualTo(RateLimiter.key("2001:db8:1:2::1"));
        assertThat(RateLimiter.key("203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(RateLimiter.key(null)).isEqualTo("?");
    }
}
