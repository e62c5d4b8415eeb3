package dev.merit.ingest.git;

import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ingest that never finished (the process killed as it committed, and the database came back with part of it) is
 * removed whole, and the repository reads those commits again; one that finished, or one still running, is left alone.
 * The unfinished state on disk is made here as a crash leaves it: the contributions there, the batch still open.
 * Its commits are dated 1966, a year no other test uses (the test database is shared).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class IngestBatchesTest {

    @Inject
    GitRepositoryService repositories;

    @Inject
    IngestBatches batches;

    @Inject
    EntityManager em;

    @Test
    void anIngestThatNeverFinishedIsRemovedWholeAndReadAgain() {
        TestRepo repo = history("merit-batch-crash", 6);
        GitRepositoryService.IngestReport first = repositories.ingestLocation(repo.path(), null);
        long repositoryId = first.repositoryId();
        assertThat(first.contributionsStored()).isEqualTo(6);
        long batch = batchOf(repositoryId);
        assertThat(state(batch)).isEqualTo(IngestBatches.DONE);
        assertThat(batches.recover()).as("a finished ingest is trusted").isZero();
        assertThat(contributions(repositoryId)).isEqualTo(6);

        // Two more commits, ingested; then the disk as a kill during that commit can leave it: rows there, batch open.
        repo.write("src/more.c", "int more;\n").commit("feat: more", "Dana Scully", "dana@example.com");
        repo.write("src/more.c", "int more = 2;\n").commit("fix: more", "Dana Scully", "dana@example.com");
        String tipBefore = repository(repositoryId).lastCommit;
        GitRepositoryService.IngestReport second = repositories.ingest(repositoryId);
        assertThat(second.contributionsStored()).isEqualTo(2);
        long unfinished = batchOf(repositoryId);
        assertThat(unfinished).isNotEqualTo(batch);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update ingest_batch set state = 'open', ended_at = null where id = ?1")
                .setParameter(1, unfinished).executeUpdate());

        assertThat(batches.recover()).isEqualTo(2);
        assertThat(contributions(repositoryId)).as("only the finished ingest's").isEqualTo(6);
        assertThat(state(unfinished)).isEqualTo(IngestBatches.ABANDONED);
        GitRepository after = repository(repositoryId);
        assertThat(after.lastCommit).as("back where the unfinished ingest started").isEqualTo(tipBefore);
        assertThat(after.commitCount).isEqualTo(6);
        assertThat(batches.recover()).as("once").isZero();

        GitRepositoryService.IngestReport again = repositories.ingest(repositoryId);
        assertThat(again.contributionsStored()).isEqualTo(2);
        assertThat(contributions(repositoryId)).isEqualTo(8);
        assertThat(repository(repositoryId).commitCount).isEqualTo(8);
    }

    @Test
    void aBatchWhoseRepositoryIsBeingIngestedIsLeftToThatIngest() throws Exception {
        TestRepo repo = history("merit-batch-live", 3);
        long repositoryId = repositories.ingestLocation(repo.path(), null).repositoryId();
        long batch = batchOf(repositoryId);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update ingest_batch set state = 'open', ended_at = null where id = ?1")
                .setParameter(1, batch).executeUpdate());

        // Another transaction holds the repository as an ingest does, until told to let go.
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService ingest = Executors.newSingleThreadExecutor();
        try {
            Future<?> holder = ingest.submit(() -> QuarkusTransaction.requiringNew().run(() -> {
                em.find(GitRepository.class, repositoryId, LockModeType.PESSIMISTIC_WRITE);
                locked.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(batches.recover()).isZero();
            assertThat(state(batch)).isEqualTo(IngestBatches.OPEN);
            assertThat(contributions(repositoryId)).isEqualTo(3);
            release.countDown();
            holder.get(30, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            ingest.shutdownNow();
        }
        assertThat(batches.recover()).as("once no one holds it").isEqualTo(3);
        assertThat(contributions(repositoryId)).isZero();
        assertThat(repository(repositoryId).lastCommit).isNull();
    }

    private static TestRepo history(String name, int commits) {
        TestRepo r = TestRepo.create(name, Instant.parse("1966-05-01T00:00:00Z"));
        for (int i = 0; i < commits; i++) {
            r.write("src/f" + i + ".c", "int f" + i + ";\n").commit("feat: f" + i, "Fox Mulder", "fox@example.com");
        }
        return r;
    }

    private GitRepository repository(long id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            GitRepository r = GitRepository.findById(id);
            em.detach(r);
            return r;
        });
    }

    private long batchOf(long repositoryId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                        "select max(id) from ingest_batch where repository_id = ?1")
                .setParameter(1, repositoryId).getSingleResult()).longValue());
    }

    private String state(long batch) {
        return QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "select state from ingest_batch where id = ?1").setParameter(1, batch).getSingleResult());
    }

    private long contributions(long repositoryId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                        "select count(*) from contribution where repository_id = ?1 and source = 'git'")
                .setParameter(1, repositoryId).getSingleResult()).longValue());
    }
}
