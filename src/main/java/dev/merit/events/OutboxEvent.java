package dev.merit.events;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;

/** A lifecycle event stored with the change it reports, until the broker has acknowledged it ({@link EventRelay}). */
@Entity
@Table(name = "event_outbox")
public class OutboxEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "event_outbox_seq")
    @SequenceGenerator(name = "event_outbox_seq", sequenceName = "event_outbox_seq", allocationSize = 50)
    public Long id;

    /** The CloudEvent id: the same on every delivery attempt, so consumers can drop repeats. */
    @Column(name = "event_id", nullable = false)
    public String eventId;

    /** Without the {@code dev.merit.} prefix: {@code scoring-run.finished}, {@code proposal.created}, ... */
    @Column(nullable = false)
    public String type;

    @Column(nullable = false)
    public String subject;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    /** The event's data, JSON. */
    @Column(nullable = false, columnDefinition = "text")
    public String data;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "last_error")
    public String lastError;
}
