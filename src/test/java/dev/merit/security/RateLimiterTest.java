package dev.merit.security;

import dev.merit.problem.ProblemException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimiterTest {

    @Test
    void aClientGetsItsBurstThenA429ThatSaysWhenToRetryAndOthersAreUnaffected() {
        RateLimiter limiter = new RateLimiter("sign-in", 5);
        for (int i = 0; i < 5; i++) {
            limiter.acquire("10.0.0.1");
        }
        assertThatThrownBy(() -> limiter.acquire("10.0.0.1")).isInstanceOf(ProblemException.class)
                .hasMessageContaining("at most 5 a minute").hasMessageContaining("Retry in 12 s");
        assertThatCode(() -> limiter.acquire("10.0.0.2")).doesNotThrowAnyException();
        RateLimiter off = new RateLimiter("sign-in", 0);
        for (int i = 0; i < 1000; i++) {
            off.acquire("10.0.0.1");
        }
    }
}
