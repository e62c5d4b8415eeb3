package dev.merit.events;

import java.util.Map;

/**
 * Something that happened in Merit that others may want to act on: {@code scoring-run.finished},
 * {@code proposal.created}, {@code proposal.executed}, {@code payment.made}. Fired as a CDI event inside the
 * transaction that made it true, and published (as a CloudEvent of type {@code dev.merit.<type>}) only after that
 * transaction commits.
 */
public record Lifecycle(String type, String subject, Map<String, Object> data) {
}
