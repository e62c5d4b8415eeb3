package dev.merit.ingest.git;

import dev.merit.problem.Redaction;
import java.nio.file.InvalidPathException;
import dev.merit.problem.ProblemException;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.util.FS;
import org.jboss.logging.Logger;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a repository is and how it is reached: a local path (checked: it exists, it is Git) or a clone URL (cloned
 * into the data directory, fetched again before each ingest), and what to tell a person when either fails.
 */
final class GitLocations {

    private static final Logger LOG = Logger.getLogger(GitLocations.class);
    private static final Pattern URL = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://.+|^[^/@\\s]+@[^/:\\s]+:.+");

    private GitLocations() {
    }

    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://");
    /** The URL schemes a repository is cloned from. */
    private static final java.util.Set<String> CLONES_FROM = java.util.Set.of("https", "http", "ssh", "git", "file",
            "git+ssh", "ssh+git");

    public static boolean isUrl(String location) {
        return URL.matcher(location).matches();
    }

    static String normalizeLocation(String location) {
        if (location.length() > 2048 || location.chars().anyMatch(Character::isISOControl)) {
            throw ProblemException.invalid("location must be a path or a clone URL of at most 2048 characters, "
                    + "without control characters (such as NUL), got '" + shorten(location) + "'.");
        }
        if (isUrl(location)) {
            java.util.regex.Matcher scheme = SCHEME.matcher(location);
            if (scheme.find() && !CLONES_FROM.contains(scheme.group(1).toLowerCase(java.util.Locale.ROOT))) {
                // JGit would try some of these (ftp, sftp, amazon-s3) and fail in ways that say nothing to a person.
                throw ProblemException.invalid("location '" + shorten(location) + "' uses " + shorten(scheme.group(1))
                        + ", which Merit does not clone from: give an https, http, ssh, git or file URL (or "
                        + "user@host:path).");
            }
            return location;
        }
        try {
            return Path.of(location).toAbsolutePath().normalize().toString();
        } catch (InvalidPathException e) {
            throw ProblemException.invalid("location '" + shorten(location) + "' is not a path here: " + e.getReason() + ".");
        }
    }

    /**
     * A work tree's Git directory ({@code /x/.git}) as its work tree ({@code /x}): one repository either way; a path
     * through a symbolic link as the path it leads to (a link to a repository registered it a second time).
     */
    private static Path workTree(Path given) {
        Path path = given;
        try {
            path = given.toRealPath();
        } catch (java.io.IOException | SecurityException e) {
            // not there (any more): compared as written
        }
        return path.getFileName() != null && path.getFileName().toString().equals(".git") && path.getParent() != null
                ? path.getParent() : path;
    }

    /**
     * What two locations of one repository have in common, to find it registered under another spelling: a URL without
     * a trailing "/" or ".git", its scheme and host in lower case, user info dropped; a file: URL as its path.
     */
    static String sameRepositoryKey(String location) {
        String l = location.strip();
        if (l.regionMatches(true, 0, "file:", 0, 5)) {
            try {
                return workTree(Path.of(java.net.URI.create(l)).toAbsolutePath().normalize()).toString();
            } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                return l;
            }
        }
        if (!isUrl(l)) {
            try {
                return workTree(Path.of(l)).toString();
            } catch (InvalidPathException e) {
                return l;
            }
        }
        String key = l.replaceAll("/+$", "");
        if (key.regionMatches(true, 0, "http", 0, 4)) {
            key = key.replaceAll("(?i)\\.git$", ""); // forges serve https://host/o/r and .../r.git alike; a bare server may not
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)(?:[^@/]*@)?([^/:]+)(.*)$")
                .matcher(key);
        return m.matches() ? m.group(1).toLowerCase(java.util.Locale.ROOT) + m.group(2).toLowerCase(java.util.Locale.ROOT)
                + m.group(3) : key;
    }

    static String shorten(String text) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 200 ? printable : printable.substring(0, 200) + "...";
    }

    static Path localGitDir(String path) {
        File dir = new File(path);
        if (!dir.exists()) {
            throw ProblemException.unprocessable("no-such-path", "No such path",
                    "Nothing exists at " + path + ". Give the path of a Git working tree or bare repository.");
        }
        if (!dir.isDirectory()) {
            throw ProblemException.unprocessable("not-a-repository", "Not a Git repository",
                    path + " is a file, not a Git repository.");
        }
        File gitDir = new File(dir, Constants.DOT_GIT);
        if (RepositoryCache.FileKey.isGitRepository(gitDir, FS.DETECTED)) {
            return gitDir.toPath();
        }
        if (RepositoryCache.FileKey.isGitRepository(dir, FS.DETECTED)) {
            return dir.toPath();
        }
        throw ProblemException.unprocessable("not-a-repository", "Not a Git repository",
                path + " is a folder but not a Git repository (no .git inside). Run 'git init' there or give another path.");
    }

    static void cloneOrFetch(String url, Path gitDir) {
        try {
            if (Files.isDirectory(gitDir.resolve("objects"))) {
                try (Git git = Git.open(gitDir.toFile())) {
                    git.fetch().setRemote(Constants.DEFAULT_REMOTE_NAME)
                            .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*")).setRemoveDeletedRefs(true).call();
                }
                return;
            }
            Files.createDirectories(gitDir.getParent());
            try (Git ignored = Git.cloneRepository().setURI(url).setBare(true).setCloneAllBranches(true)
                    .setGitDir(gitDir.toFile()).setDirectory(gitDir.toFile()).call()) {
                LOG.infof("Cloned %s into %s", Redaction.redact(url), gitDir);
            }
        } catch (GitAPIException | IOException | RuntimeException e) {
            if (!Files.isDirectory(gitDir.resolve("refs"))) {
                deleteQuietly(gitDir);
            }
            throw ProblemException.unprocessable("unreachable-repository", "Repository unreachable",
                    "Cannot fetch " + url + ": " + rootMessage(e) + ". Check the URL and that this machine can reach it.");
        }
    }

    static ProblemException unreadable(String location, IOException e) {
        String advice = rootCause(e) instanceof MissingObjectException
                ? ". The clone lacks this object (a partial or shallow clone): ingest a complete clone (git fetch "
                + "--refetch, or git fetch --unshallow), or, for training data only, export-dataset --allow-missing-blobs"
                : "";
        return ProblemException.unprocessable("unreadable-repository", "Repository unreadable",
                "Cannot read " + location + ": " + rootMessage(e) + advice);
    }

    static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** What went wrong, for a person: a failure of the Git library itself is not passed on as its own words. */
    static String rootMessage(Throwable e) {
        // A transport's own words first ("remote hung up unexpectedly"): the library's failure under it says less.
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if ((c instanceof org.eclipse.jgit.errors.TransportException
                    || c instanceof org.eclipse.jgit.api.errors.TransportException) && c.getMessage() != null) {
                return c.getMessage().strip().replaceFirst("\\.+$", "");
            }
        }
        Throwable t = rootCause(e);
        if (t instanceof NullPointerException || t instanceof ClassCastException || t instanceof IndexOutOfBoundsException
                || t instanceof IllegalStateException || t instanceof UnsupportedOperationException) {
            // One line: anyone may register a location, and 60 lines of stack each time would flood the log.
            LOG.warnf("The Git library failed (%s); the stack trace is logged at DEBUG", t.getClass().getSimpleName());
            LOG.debug("The Git library failed", e);
            return "the Git library could not make sense of it";
        }
        // Without its closing full stop: callers go on with their own sentence ("...: X. Check the URL").
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip().replaceFirst("\\.+$", "");
    }

    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("Could not remove partial clone %s: %s", dir, e.getMessage());
        }
    }

    /**
     * A repository's name from its location: the last path segment without ".git" ({@code /src/merit/.git} and
     * {@code /src/merit.git} are both "merit"), at most 255 characters (the column), never empty.
     */
    static String nameOf(String location) {
        String trimmed = location.replaceAll("[/\\\\]+$", "").replaceAll("[/\\\\]\\.git$", "")
                .replaceAll("\\.git$", "").replaceAll("[/\\\\]+$", "");
        String name = trimmed.substring(Math.max(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')),
                trimmed.lastIndexOf(':')) + 1);
        return dev.merit.audit.StoredText.fit(name.isEmpty() ? location : name, 255);
    }
}
