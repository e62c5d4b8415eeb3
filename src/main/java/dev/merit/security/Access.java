package dev.merit.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may call an endpoint. Unannotated reads are {@link Role#PUBLIC}; unannotated writes are
 * {@link Role#MAINTAINER}: a new write endpoint is closed until someone decides otherwise.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Access {

    Role value();

    enum Role {
        /** Anyone: reads, sign-in, and relayed votes (the member's EIP-712 signature is the authority). */
        PUBLIC,
        /** A signed-in wallet (Sign-In with Ethereum session cookie). */
        CONTRIBUTOR,
        /** Operators: repositories, epochs, scoring runs, payouts, chain proposals (bearer maintainer token). */
        MAINTAINER,
        /** Forges and trackers: each webhook verifies its own per-source secret (rate limited per address). */
        SOURCE,
        /** CI jobs: bearer merit.ci.token, checked before the body is read (rate limited per address). */
        CI
    }
}
