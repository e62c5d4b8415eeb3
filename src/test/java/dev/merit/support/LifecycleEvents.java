package dev.merit.support;

import dev.merit.events.Lifecycle;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The lifecycle events a test's application committed, as a consumer of merit.events would receive them (tests run
 * without Kafka, where Merit stores none): seen once their transaction succeeded, so a refusal records nothing.
 */
@Singleton
public class LifecycleEvents {

    private static final List<Lifecycle> SEEN = new CopyOnWriteArrayList<>();

    void seen(@Observes(during = TransactionPhase.AFTER_SUCCESS) Lifecycle event) {
        SEEN.add(event);
    }

    /** The events of {@code type} about {@code subject} ("proposal/12"), oldest first. */
    public static List<Lifecycle> of(String type, String subject) {
        return SEEN.stream().filter(e -> e.type().equals(type) && e.subject().equals(subject)).toList();
    }
}
