package dev.merit.ingest.git;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;

/** A Git repository registered for ingestion, by local path or clone URL. */
@Entity
@Table(name = "git_repository")
public class GitRepository extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "git_repository_seq")
    @SequenceGenerator(name = "git_repository_seq", sequenceName = "git_repository_number_seq", allocationSize = 1)
    public Long id;

    @Column(nullable = false)
    public String name;

    /** What the user registered: an absolute path, or a URL. */
    @Column(nullable = false, length = 2048)
    public String location;

    /** Branch to ingest; null means the repository's HEAD. */
    public String branch;

    /** The git directory Merit reads: the repository's own (.git), or Merit's clone of the URL. */
    @Column(name = "local_path", nullable = false, length = 2048)
    public String localPath;

    /** Tip of the last successful ingest: the next one reads only commits after it. */
    @Column(name = "last_commit")
    public String lastCommit;

    @Column(name = "commit_count", nullable = false)
    public int commitCount;

    @Column(name = "last_ingested_at")
    public Instant lastIngestedAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public boolean isRemote() {
        return GitLocations.isUrl(location);
    }
}
