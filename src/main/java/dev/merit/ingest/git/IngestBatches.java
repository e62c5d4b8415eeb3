package dev.merit.ingest.git;

import dev.merit.ingest.NativeSql;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * Makes a Git ingest all or nothing even where the database's own commit is not: H2, the embedded database, writes a
 * large transaction's commit to disk map by map, so a process killed while committing can come back with part of the
 * transaction (seen once in 4,000 commits killed at the commit: one contribution survived).
 *
 * <p>An ingest opens a batch (committed on its own, after it has locked its repository) and closes it as the last
 * write of its own transaction; every contribution it stores names the batch. A batch still open while no process holds
 * its repository never finished: {@link #recover()} removes its contributions (credits and files first) and restores
 * the repository's last commit and count from the batch. It runs when Merit starts and before each ingest.
 *
 * <p>A batch found closed is trusted: closing it is the transaction's last write, so it reaches the disk after all the
 * rest. Contributors the unfinished ingest created stay, with nothing credited to them.
 */
@ApplicationScoped
public class IngestBatches {

    private static final Logger LOG = Logger.getLogger(IngestBatches.class);
    static final String OPEN = "open";
    static final String DONE = "done";
    static final String ABANDONED = "abandoned";

    /** An unfinished batch, with what its repository held before it. */
    record Open(long id, long repositoryId, String previousCommit, int previousCount) {
    }

    void onStart(@Observes @Priority(10) StartupEvent event) { // after CommandSchema has migrated
        try {
            recover();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not check for unfinished Git ingests; the next ingest checks again");
        }
    }

    /**
     * Opens a batch for an ingest of {@code repository}, which the caller's transaction has locked: committed at once,
     * on its own, so that it outlives the ingest's transaction if that never ends.
     */
    long open(GitRepository repository) {
        return QuarkusTransaction.requiringNew().call(() -> {
            EntityManager em = Panache.getEntityManager();
            long id = ((Number) em.createNativeQuery("select nextval('ingest_batch_seq')").getSingleResult()).longValue();
            NativeSql.update(em, "insert into ingest_batch (id, repository_id, state, previous_commit, previous_count, "
                            + "started_at) values (?1, ?2, ?3, ?4, ?5, ?6)", id, repository.id, OPEN, repository.lastCommit,
                    repository.commitCount, Timestamp.from(Instant.now()));
            return id;
        });
    }

    /** Closes {@code batch}: the last write of the ingest's transaction, so it commits with the rest or not at all. */
    void close(long batch) {
        NativeSql.update(Panache.getEntityManager(), "update ingest_batch set state = ?1, ended_at = ?2 where id = ?3",
                DONE, Timestamp.from(Instant.now()), batch);
    }

    /**
     * Removes every unfinished ingest whose repository no process is ingesting now; returns how many contributions
     * that removed. A repository being ingested (its row locked) is left to that ingest.
     */
    public int recover() {
        List<Open> open = QuarkusTransaction.requiringNew().call(IngestBatches::openBatches);
        int removed = 0;
        for (Open batch : open) {
            Integer n = QuarkusTransaction.requiringNew().call(() -> remove(batch));
            if (n != null) {
                removed += n;
            }
        }
        return removed;
    }

    @SuppressWarnings("unchecked")
    private static List<Open> openBatches() {
        List<Object[]> rows = Panache.getEntityManager().createNativeQuery("select id, repository_id, previous_commit, "
                        + "previous_count from ingest_batch where state = ?1 order by id")
                .setParameter(1, OPEN)
                .getResultList();
        return rows.stream().map(r -> new Open(((Number) r[0]).longValue(), ((Number) r[1]).longValue(), (String) r[2],
                ((Number) r[3]).intValue())).toList();
    }

    /** Removes {@code batch} unless its repository is being ingested or it closed meanwhile; null when left. */
    private static Integer remove(Open batch) {
        EntityManager em = Panache.getEntityManager();
        // Locked as an ingest locks it, skipping (not failing, not waiting) when an ingest of it runs now: the batch
        // may be that ingest's own.
        boolean held = em.createNativeQuery("select id from git_repository where id = ?1 for update skip locked")
                .setParameter(1, batch.repositoryId()).getResultList().isEmpty();
        GitRepository repository = GitRepository.findById(batch.repositoryId());
        if (held && repository != null) {
            return null;
        }
        Object state = em.createNativeQuery("select state from ingest_batch where id = ?1")
                .setParameter(1, batch.id()).getSingleResult();
        if (!OPEN.equals(state)) {
            return null; // its ingest committed between the two reads
        }
        for (String child : List.of("contribution_credit", "contribution_file")) {
            NativeSql.update(em, "delete from " + child + " where contribution_id in "
                    + "(select id from contribution where ingest_batch = ?1)", batch.id());
        }
        int removed = NativeSql.update(em, "delete from contribution where ingest_batch = ?1", batch.id());
        if (repository != null) {
            repository.lastCommit = batch.previousCommit();
            repository.commitCount = batch.previousCount();
        }
        NativeSql.update(em, "update ingest_batch set state = ?1, ended_at = ?2, removed = ?3 where id = ?4", ABANDONED,
                Timestamp.from(Instant.now()), removed, batch.id());
        if (removed > 0) {
            LOG.warnf("Removed the %d contributions of an ingest of %s that did not finish (batch %d): the repository "
                            + "is back where it was before it, and the next ingest reads those commits again", removed,
                    repository == null ? "repository " + batch.repositoryId() : repository.name, batch.id());
        }
        return removed;
    }
}
