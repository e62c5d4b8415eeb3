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

/** A person (or bot) who contributes. Sources know them by identities; payroll pays the contributor. */
@Entity
@Table(name = "contributor")
public class Contributor extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "contributor_seq")
    @SequenceGenerator(name = "contributor_seq", sequenceName = "contributor_number_seq", allocationSize = 1)
    public Long id;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    /** Lower-cased, space-collapsed full name: how the same person is recognised across e-mails. */
    @Column(name = "normalized_name")
    public String normalizedName;

    /** Bots are scored like anyone else but excluded from pay unless an epoch's policy includes them. */
    @Column(nullable = false)
    public boolean bot;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
