package dev.merit.ingest.git;

import dev.merit.audit.Progress;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.panache.common.Sort;
import jakarta.persistence.LockModeType;
import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.PessimisticLockException;
import java.util.ArrayList;
import java.util.Map;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.audit.CanonicalJson;
import dev.merit.ingest.IngestConfig;
import dev.merit.ingest.ContributionEvent;
import dev.merit.ingest.Ingestor;
import dev.merit.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.storage.file.WindowCacheConfig;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Registers Git repositories and ingests their history, incrementally and idempotently. */
@ApplicationScoped
public class GitRepositoryService {

    private static final Logger LOG = Logger.getLogger(GitRepositoryService.class);

    static {
        // Larger pack caches than JGit's 10 MB defaults: history walks re-read the same delta bases constantly.
        WindowCacheConfig cache = new WindowCacheConfig();
        cache.setPackedGitLimit(512L << 20);
        cache.setDeltaBaseCacheLimit(64 << 20);
        cache.setStreamFileThreshold(50 << 20);
        cache.install();
    }

    /** What {@code git log --numstat --no-renames} reports per author e-mail: commits and line totals. */
    public record AuthorStats(String email, long commits, long linesAdded, long linesDeleted) {
    }

    /**
     * @param missingBlobs files kept without line counts because their content is absent (partial clone; only when allowed)
     * @param remeasured   commits already stored whose measurements a refresh rewrote (0 without refresh)
     */
    public record IngestReport(long repositoryId, String repository, String branch, String tip, int commitsRead,
                               int contributionsStored, int alreadyKnown, int contributorsCreated, long durationMs,
                               long missingBlobs, int remeasured) {
    }

    private final IngestConfig config;
    private final Ingestor ingestor;
    private final ObjectMapper json;
    private final IngestBatches batches;
    private final Path cloneRoot;

    public GitRepositoryService(IngestConfig config, Ingestor ingestor, ObjectMapper json, IngestBatches batches,
                                @ConfigProperty(name = "merit.data-dir") String dataDir) {
        this.config = config;
        this.ingestor = ingestor;
        this.batches = batches;
        this.json = json;
        this.cloneRoot = Path.of(config.cloneDir().orElse(dataDir + "/repos")).toAbsolutePath();
    }

    public List<GitRepository> list() {
        return GitRepository.listAll(Sort.by("id"));
    }

    /**
     * The repository, locked for this ingest (its row, until the ingest commits or rolls back): a second ingest of it
     * at the same time, from this process or another (the CLI beside a server), is refused with 409, not raced.
     */
    private GitRepository lockForIngest(long id) {
        get(id);
        try {
            return GitRepository.getEntityManager().find(GitRepository.class, id,
                    LockModeType.PESSIMISTIC_WRITE,
                    Map.of("jakarta.persistence.lock.timeout", 0));
        } catch (PessimisticLockException | LockTimeoutException e) {
            throw new ProblemException(ProblemException.Kind.CONFLICT, "ingest-running", "Ingest running", "Repository " + id + " is being "
                    + "ingested right now; this ingest would repeat it. Try again when it has finished.",
                    Map.of("repositoryId", id));
        }
    }

    public GitRepository get(long id) {
        return GitRepository.<GitRepository>findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("repository", id));
    }

    /** Per author e-mail as recorded in commits (before identity resolution); all repositories when id is null. */
    public List<AuthorStats> authorStats(Long repositoryId) {
        if (repositoryId != null) {
            get(repositoryId);
        }
        // SQL, not HQL: the same aggregate, without the cost of starting Hibernate's query parser in a command that
        // runs once (a fifth of `merit authors`' time on an empty database).
        var query = Panache.getEntityManager().createNativeQuery(
                "select actor_email, count(*), sum(lines_added), sum(lines_deleted) from contribution "
                        + "where source = 'git'" + (repositoryId == null ? "" : " and repository_id = :repo")
                        + " group by actor_email order by actor_email", Object[].class);
        if (repositoryId != null) {
            query.setParameter("repo", repositoryId);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> result = query.getResultList();
        return result.stream()
                .map(r -> new AuthorStats((String) r[0], ((Number) r[1]).longValue(), ((Number) r[2]).longValue(),
                        ((Number) r[3]).longValue()))
                .toList();
    }

    /** The repository registered at {@code location}, under this spelling or another (a link, a file: URL, .git). */
    public Optional<GitRepository> findByLocation(String location) {
        String normalized = GitLocations.normalizeLocation(location);
        String key = GitLocations.sameRepositoryKey(normalized);
        return GitRepository.<GitRepository>find("location", normalized).firstResultOptional()
                .or(() -> GitRepository.<GitRepository>listAll().stream()
                        .filter(r -> GitLocations.sameRepositoryKey(r.location).equals(key)).findFirst());
    }

    /**
     * Registers a repository after checking it can be read: a path must be a Git repository, a URL must be
     * reachable (it is cloned), and the branch must have commits. Nothing is stored when a check fails. It is
     * registered under {@code name} when one is given (two clones both called "docs", a mirror in a directory called
     * "repo"), otherwise the location's last segment; the name is fixed once registered, as every contribution
     * ingested carries it.
     */
    @Transactional
    public GitRepository register(String location, String branch, String name) {
        if (location == null || location.isBlank()) {
            throw ProblemException.invalid("location is required: a local path or a clone URL.");
        }
        String wantedName = dev.merit.audit.RecordedText.name("name", name, null);
        String normalized = GitLocations.normalizeLocation(location.strip());
        String wantedBranch = branch == null || branch.isBlank() ? null : branch.strip();
        if (wantedBranch != null && (wantedBranch.length() > 255 || !Repository.isValidRefName(
                wantedBranch.startsWith("refs/") ? wantedBranch : "refs/heads/" + wantedBranch))) {
            throw ProblemException.invalid("branch '" + GitLocations.shorten(wantedBranch) + "' is not a valid Git branch name "
                    + "(no spaces, '..', '~', '^', ':', '?', '*', '[', '@{', control characters, nor a trailing '.lock' "
                    + "or '/').");
        }
        // The same repository under another spelling (file:///x and /x, a URL with or without ".git" or a trailing
        // "/"): one registration, so one history and one set of contributions.
        Optional<GitRepository> existing = findByLocation(normalized);
        if (existing.isPresent()) {
            throw new ProblemException(ProblemException.Kind.CONFLICT, "already-registered", "Already registered",
                    "Repository " + normalized + " is already registered with id " + existing.get().id
                            + (existing.get().location.equals(normalized) ? "" : " (as " + existing.get().location + ")")
                            + ".",
                    Map.of("repositoryId", existing.get().id));
        }
        boolean remote = GitLocations.isUrl(normalized);
        Path gitDir = remote ? cloneDirFor(normalized) : GitLocations.localGitDir(normalized);
        if (remote) {
            GitLocations.cloneOrFetch(normalized, gitDir);
        }
        try (Repository repo = open(gitDir)) {
            resolveTip(repo, wantedBranch, normalized);
        } catch (IOException e) {
            throw GitLocations.unreadable(normalized, e);
        }
        GitRepository r = new GitRepository();
        r.name = wantedName == null ? GitLocations.nameOf(normalized) : wantedName;
        r.location = normalized;
        r.branch = wantedBranch;
        r.localPath = gitDir.toString();
        r.createdAt = Instant.now();
        r.persist();
        return r;
    }

    /** Finds the repository at {@code location} or registers it, then ingests it. */
    public IngestReport ingestLocation(String location, String branch) {
        return ingestLocation(location, branch, false);
    }

    /** As {@link #ingestLocation(String, String)}; {@code allowMissingBlobs} reads a partial clone (see {@link GitHistoryReader}). */
    public IngestReport ingestLocation(String location, String branch, boolean allowMissingBlobs) {
        return ingestLocation(location, branch, allowMissingBlobs, false, null);
    }

    /**
     * As {@link #ingestLocation(String, String, boolean)}, registering under {@code name} if needed; {@code refresh}
     * as in {@link #ingest(long, boolean, boolean)}.
     */
    public IngestReport ingestLocation(String location, String branch, boolean allowMissingBlobs, boolean refresh,
                                       String name) {
        Optional<GitRepository> known = findByLocation(location);
        String wanted = dev.merit.audit.RecordedText.name("name", name, null);
        GitRepository k = known.orElse(null);
        if (k != null && ((wanted != null && !wanted.equals(k.name)) || (branch != null && !branch.isBlank()
                && (k.branch == null || !Repository.shortenRefName(branch.strip())
                .equals(Repository.shortenRefName(k.branch)))))) { // never silently another: each reads what reached it
            throw new ProblemException(ProblemException.Kind.CONFLICT, "already-registered", "Already registered",
                    "Repository " + k.location + " is registered as '" + k.name + "' on " + (k.branch == null
                            ? "its default branch (HEAD)" : "branch '" + k.branch + "'") + ", id " + k.id + "; a name "
                            + "and a branch are given once, at registration (ingest it without --name and --branch).",
                    Map.of("repositoryId", k.id));
        }
        Long id = known.map(r -> r.id).orElseGet(() -> register(location, branch, wanted).id);
        return ingest(id, allowMissingBlobs, refresh);
    }

    /** Ingests commits not read before; all of them or none (one transaction). A blob absent from the clone fails it. */
    @Transactional
    public IngestReport ingest(long repositoryId) {
        return ingest(repositoryId, false);
    }

    /**
     * As {@link #ingest(long)}; with {@code allowMissingBlobs} a file whose blob is absent (a partial clone) is stored
     * without line counts and counted in the report, instead of failing the ingestion. For training data, where a
     * file's size only buckets a feature; payroll ingestion should read complete clones.
     */
    @Transactional
    public IngestReport ingest(long repositoryId, boolean allowMissingBlobs) {
        return ingest(repositoryId, allowMissingBlobs, false);
    }

    /**
     * As {@link #ingest(long, boolean)}; with {@code refresh} the whole history is read again and commits already
     * stored get the measurements today's rules give (line counts, excluded and generated files, whitespace,
     * formatter, repeated and moved lines, patch identity, changed lines), where they differ. For history ingested before a
     * change to those rules; authors, times and messages are never rewritten, and scoring runs made before keep the
     * factors they stored.
     */
    @Transactional
    public IngestReport ingest(long repositoryId, boolean allowMissingBlobs, boolean refresh) {
        return ingest(repositoryId, allowMissingBlobs, refresh, null);
    }

    /**
     * As {@link #ingest(long, boolean, boolean)}, telling {@code listener} (if any) how far it has come: it is one
     * transaction, so nothing of it shows in the database until the end.
     */
    @Transactional
    public IngestReport ingest(long repositoryId, boolean allowMissingBlobs, boolean refresh,
                               Consumer<Progress.Snapshot> listener) {
        long started = System.nanoTime();
        batches.recover(); // an ingest killed while a server ran is removed before this one reads where it stopped
        GitRepository r = lockForIngest(repositoryId);
        Path gitDir = Path.of(r.localPath);
        if (r.isRemote()) {
            GitLocations.cloneOrFetch(r.location, gitDir);
        }
        try (Repository repo = open(gitDir)) {
            ObjectId tip = resolveTip(repo, r.branch, r.location);
            TipContext context = tipContext(repo, tip);
            ObjectId known = r.lastCommit == null || refresh ? null : ObjectId.fromString(r.lastCommit);
            long batch = batches.open(r);
            // A repository's first ingest is its history; what later ingests bring reached the branch since. A refresh
            // reads the whole history again: what it stores that was missing is history too.
            Ingestor.Session session = ingestor.open(refresh, batch, !refresh && continues(repo, r.lastCommit, tip));
            GitContributionMapper mapper = new GitContributionMapper(r.name, r.id, context.mailmap(), json);
            int threads = config.diffThreads() > 0 ? config.diffThreads() : Runtime.getRuntime().availableProcessors();
            GitHistoryReader history = new GitHistoryReader(repo, context.classifier(), config.maxDiffBytes(), threads,
                    allowMissingBlobs);
            Progress progress = Progress.start(LOG, "Ingesting " + r.name, "commits", history.count(tip, known),
                    listener);
            int read;
            try {
                read = history.read(tip, known, records -> {
                    session.store(mapper.toEvents(records));
                    progress.advance(records.size());
                });
            } finally {
                progress.finish();
            }
            r.lastCommit = tip.name();
            r.commitCount += session.stored();
            r.lastIngestedAt = Instant.now();
            GitRepository.getEntityManager().flush();
            batches.close(batch); // last: the batch closes with everything else or not at all
            long ms = (System.nanoTime() - started) / 1_000_000;
            LOG.infof("Ingested %s: %d commits read, %d stored, %d known%s, in %d ms", r.name, read,
                    session.stored(), session.skipped(), refresh ? " (" + session.refreshed() + " re-measured)" : "", ms);
            if (session.late() > 0) {
                LOG.infof("Ingested %s: %d commits are dated in periods already paid; they count from now", r.name,
                        session.late());
            }
            if (history.missingBlobs() > 0) {
                LOG.warnf("Ingested %s without the content of %d blobs absent from the clone: those files have no "
                        + "line counts", r.name, history.missingBlobs());
            }
            return new IngestReport(r.id, r.name, r.branch == null ? "HEAD" : r.branch, tip.name(), read,
                    session.stored(), session.skipped(), session.contributorsCreated(), ms, history.missingBlobs(),
                    session.refreshed());
        } catch (IOException e) {
            throw GitLocations.unreadable(r.location, e);
        }
    }

    /** A change as it would be ingested: the commits reachable from {@code ref} and not from {@code base}. */
    public record Change(String repository, String ref, String tip, String base, List<ContributionEvent> commits) {
    }

    /**
     * Reads the commits of {@code ref} that are not in {@code base} (default: the registered branch) without storing
     * them, for a score preview. Remote repositories are fetched first.
     */
    public Change change(long repositoryId, String ref, String base, int limit) {
        GitRepository r = get(repositoryId);
        Path gitDir = Path.of(r.localPath);
        if (r.isRemote()) {
            GitLocations.cloneOrFetch(r.location, gitDir);
        }
        // Said by the repository's name: a CI job holds the CI token, not a maintainer's, and a path on Merit's machine
        // is a maintainer's to read.
        try (Repository repo = open(gitDir)) {
            ObjectId tip = resolveRef(repo, ref, r.name);
            ObjectId baseId = base == null || base.isBlank() ? resolveTip(repo, r.branch, r.name)
                    : resolveRef(repo, base, r.name);
            TipContext context = tipContext(repo, tip);
            GitContributionMapper mapper = new GitContributionMapper(r.name, r.id, context.mailmap(), json);
            GitHistoryReader history = new GitHistoryReader(repo, context.classifier(), config.maxDiffBytes(), 1);
            // Counted before any diff is read: a base far back answers at once, instead of after minutes of work.
            if (!baseId.equals(tip) && history.count(tip, baseId, limit + 1) > limit) {
                throw tooLarge(ref, base, "more than " + limit, limit);
            }
            List<ContributionEvent> events = new ArrayList<>();
            history.read(tip, baseId.equals(tip) ? null : baseId, records -> events.addAll(mapper.toEvents(records)));
            if (baseId.equals(tip)) {
                events.clear();
            }
            if (events.size() > limit) {
                throw tooLarge(ref, base, String.valueOf(events.size()), limit);
            }
            return new Change(r.name, ref, tip.name(), baseId.name(), events);
        } catch (IOException e) {
            throw GitLocations.unreadable(r.name, e);
        }
    }

    /** How the tip commit classifies paths (.gitattributes) and maps identities (.mailmap). */
    private record TipContext(PathClassifier classifier, Mailmap mailmap) {
    }

    /**
     * Whether an ingest up to {@code tip} continues the history read up to {@code last}: what it brings then reached
     * the branch since (live work). Not for a first ingest, nor after the branch was rewritten (a force push, a
     * filter-repo): the rewritten commits are the old history again, and keep their dates.
     */
    private static boolean continues(Repository repo, String last, ObjectId tip) throws IOException {
        if (last == null) {
            return false;
        }
        try (RevWalk walk = new RevWalk(repo)) {
            return walk.isMergedInto(walk.parseCommit(ObjectId.fromString(last)), walk.parseCommit(tip));
        } catch (org.eclipse.jgit.errors.MissingObjectException | IllegalArgumentException e) {
            return false; // the old tip is gone from the clone (rewritten and collected) or not a commit id
        }
    }

    private static TipContext tipContext(Repository repo, ObjectId tip) throws IOException {
        try (ObjectReader reader = repo.newObjectReader(); RevWalk walk = new RevWalk(reader)) {
            RevCommit tipCommit = walk.parseCommit(tip);
            return new TipContext(PathClassifier.fromTree(reader, tipCommit.getTree()), readMailmap(reader, tipCommit));
        }
    }

    private static ProblemException tooLarge(String ref, String base, String commits, int limit) {
        return ProblemException.unprocessable("change-too-large", "Change too large",
                ref + " has " + commits + " commits not in " + (base == null || base.isBlank() ? "the registered branch"
                        : base) + "; the limit is " + limit + ". Give a closer base.");
    }

    private static ObjectId resolveRef(Repository repo, String ref, String location) throws IOException {
        ObjectId id;
        if (!java.nio.charset.StandardCharsets.UTF_8.newEncoder().canEncode(ref)) {
            // Half of a character: no ref is named so (and the file system cannot be asked for one).
            throw ProblemException.unprocessable("no-such-ref", "No such ref", location + " has no commit, branch or "
                    + "tag of that name: it holds half of a character.");
        }
        try {
            id = repo.resolve(ref + "^{commit}");
            if (id == null) {
                id = repo.resolve(Constants.R_REMOTES + "origin/" + ref + "^{commit}");
            }
        } catch (org.eclipse.jgit.errors.RevisionSyntaxException | org.eclipse.jgit.errors.AmbiguousObjectException
                 | org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
            // "main^{nope}", "main@{", an abbreviation of several objects, a tag of a tree: named, but not a commit.
            id = null;
        }
        if (id == null) {
            throw ProblemException.unprocessable("no-such-ref", "No such ref",
                    location + " has no commit, branch or tag '" + ref + "'.");
        }
        return id;
    }

    private static Repository open(Path gitDir) throws IOException {
        return new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build();
    }

    private static ObjectId resolveTip(Repository repo, String branch, String location) throws IOException {
        if (branch == null) {
            ObjectId head = repo.resolve(Constants.HEAD + "^{commit}");
            if (head == null) {
                throw ProblemException.unprocessable("empty-repository", "Empty repository",
                        location + " has no commits yet: there is nothing to ingest.");
            }
            return head;
        }
        Ref ref = repo.exactRef(Constants.R_HEADS + branch);
        ObjectId tip = ref != null ? ref.getObjectId() : repo.resolve(branch + "^{commit}");
        if (tip == null) {
            List<String> branches = repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS).stream()
                    .map(b -> b.getName().substring(Constants.R_HEADS.length())).sorted().toList();
            throw ProblemException.unprocessable("no-such-branch", "No such branch",
                    location + " has no branch '" + branch + "'" + (branches.isEmpty()
                            ? " (it has no commits yet)." : "; its branches are " + branches + "."));
        }
        return tip;
    }

    private Path cloneDirFor(String url) {
        return cloneRoot.resolve(CanonicalJson.sha256(url).substring(0, 16) + ".git");
    }

    private static Mailmap readMailmap(ObjectReader reader, RevCommit tip) throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(reader, ".mailmap", tip.getTree())) {
            if (walk == null) {
                return Mailmap.empty();
            }
            return Mailmap.parse(new String(reader.open(walk.getObjectId(0)).getCachedBytes(1 << 20),
                    StandardCharsets.UTF_8));
        }
    }

}
