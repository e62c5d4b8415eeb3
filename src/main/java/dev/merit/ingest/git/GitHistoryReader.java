package dev.merit.ingest.git;

import dev.merit.ingest.ContributionMetrics;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevFlag;
import org.eclipse.jgit.revwalk.RevWalk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Streams a branch's history, newest first, in chunks: the walk runs on the calling thread, diffs run on
 * {@code threads} workers (JGit readers are per thread), and each finished chunk is handed to the sink on the
 * calling thread in walk order. Memory stays bounded by the chunks in flight, whatever the history's size.
 *
 * <p>Each commit is dated by when it reached the branch: a commit of the branch's first-parent line (a direct commit,
 * a squash or rebase merge, a merge commit itself) by its own committer date, and a commit a merge commit brought in
 * (GitHub's "Create a merge commit", a merged topic branch) by that merge's. A pull request written in January and
 * merged on February 3 is February's work: dated by its own commits, it would fall into a January that may already be
 * paid, and be paid nowhere.
 */
public final class GitHistoryReader {

    private static final int CHUNK = 128;

    private final Repository repository;
    private final CommitDiffer differ;
    private final int threads;

    public GitHistoryReader(Repository repository, PathClassifier classifier, long maxDiffBytes, int threads) {
        this(repository, classifier, maxDiffBytes, threads, false);
    }

    /**
     * @param allowMissingBlobs read a partial clone: a file whose blob is absent is kept without line counts (as
     *                          {@code git log --numstat} shows a binary file) and counted in {@link #missingBlobs()};
     *                          otherwise an absent blob fails the read
     */
    public GitHistoryReader(Repository repository, PathClassifier classifier, long maxDiffBytes, int threads,
                            boolean allowMissingBlobs) {
        this.repository = repository;
        this.differ = new CommitDiffer(classifier, maxDiffBytes, allowMissingBlobs);
        this.threads = Math.max(1, threads);
    }

    /** Absent blobs skipped so far (always 0 unless allowed). */
    public long missingBlobs() {
        return differ.missingBlobs();
    }

    private record Job(RevCommit commit, ObjectId parentTree, Landing landing) {
    }

    /** The merge commit of the first-parent line that brought a commit onto the branch, and that merge's date. */
    record Landing(String with, java.time.Instant at) {
    }

    /**
     * The landing of every commit reachable from {@code tip} and not from {@code known} that a merge commit brought in
     * (commits of the first-parent line land by themselves and have no entry). The first-parent line is taken oldest
     * first, and each of its commits claims what it reaches that no older one did: exactly what it brought in. Only
     * commit headers are read, each commit once.
     */
    Map<ObjectId, Landing> landings(ObjectId tip, ObjectId known) throws IOException {
        try (RevWalk walk = new RevWalk(repository)) {
            walk.setRetainBody(false);
            walkFrom(walk, tip, known);
            RevFlag read = walk.newFlag("read");
            for (RevCommit c; (c = walk.next()) != null; ) {
                c.add(read);
            }
            List<RevCommit> line = new ArrayList<>();
            for (RevCommit c = walk.parseCommit(tip); c != null && c.has(read);
                 c = c.getParentCount() == 0 ? null : c.getParent(0)) {
                line.add(c);
            }
            RevFlag claimed = walk.newFlag("claimed");
            line.forEach(c -> c.add(claimed));
            Map<ObjectId, Landing> landings = new HashMap<>();
            ArrayDeque<RevCommit> stack = new ArrayDeque<>();
            for (int i = line.size() - 1; i >= 0; i--) {
                RevCommit merge = line.get(i);
                if (merge.getParentCount() < 2) {
                    continue;
                }
                // The committer's date from the header itself: getCommitTime() is an int, and wraps after 2038.
                walk.parseBody(merge);
                Landing landing = new Landing(merge.name(), merge.getCommitterIdent().getWhenAsInstant());
                merge.disposeBody();
                for (int p = 1; p < merge.getParentCount(); p++) {
                    stack.push(merge.getParent(p));
                }
                while (!stack.isEmpty()) {
                    RevCommit c = stack.pop();
                    if (c.has(read) && !c.has(claimed)) {
                        c.add(claimed);
                        landings.put(c.copy(), landing);
                        for (RevCommit parent : c.getParents()) {
                            stack.push(parent);
                        }
                    }
                }
            }
            return landings;
        }
    }

    /** Starts {@code walk} at {@code tip}, leaving out what {@code known} (a commit read before, may be null) reaches. */
    private void walkFrom(RevWalk walk, ObjectId tip, ObjectId known) throws IOException {
        walk.markStart(walk.parseCommit(tip));
        if (known != null && repository.getObjectDatabase().has(known)) {
            walk.markUninteresting(walk.parseCommit(known));
        }
    }

    /** How many commits {@link #read} will read: a walk of the commit graph alone (no trees, no diffs), for progress. */
    public int count(ObjectId tip, ObjectId known) throws IOException {
        return count(tip, known, Integer.MAX_VALUE);
    }

    /** As {@link #count(ObjectId, ObjectId)}, counting no further than {@code max} (a limit's check stops there). */
    public int count(ObjectId tip, ObjectId known, int max) throws IOException {
        int n = 0;
        try (RevWalk walk = new RevWalk(repository)) {
            walk.setRetainBody(false);
            walkFrom(walk, tip, known);
            while (n < max && walk.next() != null) {
                n++;
            }
        }
        return n;
    }

    /**
     * Reads commits reachable from {@code tip} and not from {@code known} (a commit read before; may be null),
     * passing them to {@code sink} in chunks. Returns the number of commits read.
     */
    public int read(ObjectId tip, ObjectId known, Consumer<List<CommitRecord>> sink) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            // Deep stacks: the diff recursion follows the shape of the change.
            Thread t = new Thread(null, r, "merit-git-diff", 64L << 20);
            t.setDaemon(true);
            return t;
        });
        List<ObjectReader> readers = Collections.synchronizedList(new ArrayList<>());
        ThreadLocal<ObjectReader> reader = ThreadLocal.withInitial(() -> {
            ObjectReader r = repository.newObjectReader();
            readers.add(r);
            return r;
        });
        ArrayDeque<Future<List<CommitRecord>>> inFlight = new ArrayDeque<>();
        int count = 0;
        Map<ObjectId, Landing> landings = landings(tip, known);
        try (RevWalk walk = new RevWalk(repository)) {
            walkFrom(walk, tip, known);
            List<Job> chunk = new ArrayList<>(CHUNK);
            for (RevCommit commit; (commit = walk.next()) != null; ) {
                ObjectId parentTree = null;
                if (commit.getParentCount() == 1) {
                    RevCommit parent = commit.getParent(0);
                    walk.parseHeaders(parent);
                    parentTree = parent.getTree();
                }
                chunk.add(new Job(commit, parentTree, landings.get(commit)));
                count++;
                if (chunk.size() == CHUNK) {
                    inFlight.add(submit(pool, reader, chunk));
                    chunk = new ArrayList<>(CHUNK);
                    while (inFlight.size() > threads * 2) {
                        sink.accept(await(inFlight.poll()));
                    }
                }
            }
            if (!chunk.isEmpty()) {
                inFlight.add(submit(pool, reader, chunk));
            }
            while (!inFlight.isEmpty()) {
                sink.accept(await(inFlight.poll()));
            }
            return count;
        } finally {
            inFlight.forEach(f -> f.cancel(true));
            pool.shutdownNow();
            readers.forEach(ObjectReader::close);
        }
    }

    private Future<List<CommitRecord>> submit(ExecutorService pool, ThreadLocal<ObjectReader> reader, List<Job> jobs) {
        return pool.submit(() -> {
            List<CommitRecord> records = new ArrayList<>(jobs.size());
            for (Job job : jobs) {
                records.add(toRecord(reader.get(), job));
                job.commit().disposeBody();
            }
            return records;
        });
    }

    private CommitRecord toRecord(ObjectReader reader, Job job) throws IOException {
        RevCommit c = job.commit();
        List<String> parents = new ArrayList<>(c.getParentCount());
        for (RevCommit p : c.getParents()) {
            parents.add(p.name());
        }
        CommitDiffer.Result diff = c.getParentCount() > 1
                ? new CommitDiffer.Result(List.of(), ContributionMetrics.none(), null, null)
                : differ.diff(reader, job.parentTree(), c.getTree());
        PersonIdent author = c.getAuthorIdent();
        PersonIdent committer = c.getCommitterIdent();
        Landing landing = job.landing();
        return new CommitRecord(c.name(), parents, author.getName(), author.getEmailAddress(), author.getWhenAsInstant(),
                committer.getName(), committer.getEmailAddress(), committer.getWhenAsInstant(), c.getFullMessage(),
                diff.files(), diff.metrics(), diff.patchId(), diff.lines(),
                landing == null ? null : landing.with(), landing == null ? null : landing.at());
    }

    private static List<CommitRecord> await(Future<List<CommitRecord>> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading history", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw new IOException("reading history failed: " + e.getCause(), e.getCause());
        }
    }
}
