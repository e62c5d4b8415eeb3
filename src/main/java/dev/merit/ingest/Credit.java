package dev.merit.ingest;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** A contributor credited for a contribution: its author, or a co-author named in a trailer. */
@Embeddable
public class Credit {

    public enum Role { AUTHOR, CO_AUTHOR }

    @Column(name = "contributor_id", nullable = false)
    public Long contributorId;

    @Column(nullable = false)
    public String role;

    public Credit() {
    }

    public Credit(Long contributorId, Role role) {
        this.contributorId = contributorId;
        this.role = role.name();
    }
}
