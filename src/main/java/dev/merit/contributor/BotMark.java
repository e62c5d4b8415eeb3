package dev.merit.contributor;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;

/** A maintainer's mark of a contributor as a bot or as a person, kept as the record of who decided, when and why. */
@Entity
@Table(name = "contributor_bot_mark")
public class BotMark extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "contributor_bot_mark_seq")
    @SequenceGenerator(name = "contributor_bot_mark_seq", sequenceName = "contributor_bot_mark_seq", allocationSize = 50)
    public Long id;

    @Column(name = "contributor_id", nullable = false)
    public Long contributorId;

    /** What the mark made the contributor: a bot (true) or a person. */
    @Column(nullable = false)
    public boolean bot;

    @Column(name = "was_bot", nullable = false)
    public boolean wasBot;

    @Column(name = "marked_by", nullable = false)
    public String markedBy;

    /** How the maintainer proved it ({@link dev.merit.security.MaintainerCall}); null for marks made before V20. */
    @Column(name = "marked_via")
    public String markedVia;

    @Column(name = "marked_at", nullable = false)
    public Instant markedAt;

    @Column(columnDefinition = "text")
    public String reason;
}
