package dev.merit.ingest.git;

import dev.merit.audit.Progress;
import dev.merit.problem.ProblemException;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ingests run in the background, for an API caller who should not hold a request open for minutes: each is a job with
 * its progress (commits done of total, rate, time left) and, once over, its report or why it failed. Jobs run one at a
 * time, in the order asked. They live in this process's memory (the last {@value #KEPT}); the ingest itself is one
 * transaction, so a job cut short by a restart leaves nothing behind and is simply asked for again.
 */
@ApplicationScoped
public class IngestJobs {

    private static final Logger LOG = Logger.getLogger(IngestJobs.class);
    static final int KEPT = 100;

    @Schema(description = "An ingest running in the background")
    public record JobView(long id, long repositoryId,
                          @Schema(description = "queued, running, succeeded or failed") String state,
                          @Schema(description = "How far it has come, in words") String progress,
                          long commitsDone, @Schema(description = "0 until counted") long commitsTotal,
                          double commitsPerSecond, @Schema(description = "-1: not known yet") long secondsLeft,
                          Instant queuedAt, Instant finishedAt,
                          @Schema(description = "What was read and stored, once succeeded") GitRepositoryService.IngestReport report,
                          @Schema(description = "Why it failed, once failed") String error) {
    }

    private static final class Job {
        final long id;
        final long repositoryId;
        final Instant queuedAt = Instant.now();
        volatile String state = "queued";
        volatile Progress.Snapshot snapshot;
        volatile Instant finishedAt;
        volatile GitRepositoryService.IngestReport report;
        volatile String error;

        Job(long id, long repositoryId) {
            this.id = id;
            this.repositoryId = repositoryId;
        }

        JobView view() {
            Progress.Snapshot s = snapshot;
            String words = switch (state) {
                case "queued" -> "waiting for the ingest before it";
                case "succeeded" -> report.commitsRead() + " commits read, " + report.contributionsStored() + " stored";
                case "failed" -> "failed: " + error;
                default -> s == null ? "counting commits" : s.text();
            };
            return new JobView(id, repositoryId, state, words, s == null ? 0 : s.done(), s == null ? 0 : s.total(),
                    s == null ? 0 : Math.round(s.perSecond() * 10) / 10.0, s == null ? -1 : s.secondsLeft(), queuedAt,
                    finishedAt, report, error);
        }
    }

    private final GitRepositoryService repositories;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Job> jobs = new LinkedHashMap<>();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "merit-ingest-job");
        t.setDaemon(true);
        return t;
    });

    private final dev.merit.cluster.DurableCommits durable;

    public IngestJobs(GitRepositoryService repositories, dev.merit.cluster.DurableCommits durable) {
        this.repositories = repositories;
        this.durable = durable;
    }

    /**
     * Queues an ingest of repository {@code repositoryId}; 404 for no such repository, 409 while a job for it is queued
     * or running (its id in the problem).
     */
    public JobView start(long repositoryId, boolean refresh) {
        repositories.get(repositoryId);
        Job job;
        synchronized (jobs) {
            for (Job j : jobs.values()) {
                if (j.repositoryId == repositoryId && (j.state.equals("queued") || j.state.equals("running"))) {
                    throw new ProblemException(ProblemException.Kind.CONFLICT, "ingest-running", "Ingest running",
                            "Repository " + repositoryId + " is being ingested by job " + j.id + ": follow it at "
                                    + "/api/ingest-jobs/" + j.id + ".", Map.of("jobId", j.id));
                }
            }
            job = new Job(ids.incrementAndGet(), repositoryId);
            jobs.put(job.id, job);
            while (jobs.size() > KEPT) {
                Long oldest = jobs.keySet().iterator().next();
                jobs.remove(oldest);
            }
        }
        Job started = job;
        runner.submit(() -> run(started, refresh));
        return job.view();
    }

    private void run(Job job, boolean refresh) {
        job.state = "running";
        try {
            job.report = repositories.ingest(job.repositoryId, false, refresh, s -> job.snapshot = s);
            durable.flush(); // "succeeded" once it is on disk (the embedded database)
            job.state = "succeeded";
        } catch (ProblemException e) {
            job.error = e.title() + ": " + e.getMessage();
            job.state = "failed";
        } catch (RuntimeException e) {
            LOG.errorf(e, "Ingest job %d of repository %d failed", job.id, job.repositoryId);
            job.error = "an internal error (logged on the server as ingest job " + job.id + ")";
            job.state = "failed";
        } finally {
            job.finishedAt = Instant.now();
        }
    }

    public JobView get(long id) {
        synchronized (jobs) {
            Job job = jobs.get(id);
            if (job == null) {
                throw ProblemException.notFound("ingest job", id);
            }
            return job.view();
        }
    }

    /** Newest first. */
    public List<JobView> list() {
        synchronized (jobs) {
            List<JobView> out = new ArrayList<>();
            jobs.values().forEach(j -> out.add(0, j.view()));
            return out;
        }
    }

    void stop(@Observes ShutdownEvent event) {
        runner.shutdownNow();
    }
}
