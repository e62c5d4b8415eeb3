package dev.merit.support;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.TimeZone;

/** Builds real Git repositories for tests with JGit: commits at chosen times by chosen people. */
public final class TestRepo implements AutoCloseable {

    private final Path dir;
    private final Git git;
    private Instant clock;

    private TestRepo(Path dir, Git git, Instant start) {
        this.dir = dir;
        this.git = git;
        this.clock = start;
    }

    public static TestRepo create(String prefix, Instant start) {
        try {
            Path dir = TempPaths.directory(prefix);
            Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
            return new TestRepo(dir, git, start);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public String path() {
        return dir.toString();
    }

    public Git git() {
        return git;
    }

    public TestRepo write(String path, String content) {
        return writeBytes(path, content.getBytes(StandardCharsets.UTF_8));
    }

    public TestRepo writeBytes(String path, byte[] content) {
        try {
            Path file = dir.resolve(path);
            Files.createDirectories(file.getParent());
            Files.write(file, content);
            git.add().addFilepattern(path).call();
            return this;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public TestRepo delete(String path) {
        try {
            git.rm().addFilepattern(path).call();
            return this;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public TestRepo rename(String from, String to) {
        try {
            byte[] content = Files.readAllBytes(dir.resolve(from));
            delete(from);
            return writeBytes(to, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Commits staged changes as {@code name <email>}, one hour after the previous commit. */
    public RevCommit commit(String message, String name, String email) {
        clock = clock.plusSeconds(3600);
        PersonIdent who = new PersonIdent(name, email, clock, ZoneOffset.UTC);
        try {
            return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setAllowEmpty(true).call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Commits staged changes at exactly {@code when}, whatever the clock says (git stores any second). */
    public RevCommit commitAt(Instant when, String message, String name, String email) {
        PersonIdent who = new PersonIdent(name, email, when, ZoneOffset.UTC);
        try {
            return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setAllowEmpty(true).call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public TestRepo branch(String name) {
        try {
            git.checkout().setCreateBranch(true).setName(name).call();
            return this;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public TestRepo checkout(String name) {
        try {
            git.checkout().setName(name).call();
            return this;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A true merge commit (no fast-forward) of {@code branch} into the current branch. */
    public RevCommit merge(String branch, String name, String email) {
        try {
            git.merge().include(git.getRepository().resolve(branch)).setFastForward(MergeCommand.FastForwardMode.NO_FF)
                    .setCommit(false).call();
            return commit("Merge branch '" + branch + "'", name, email);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** As {@link #merge}, the merge committed at exactly {@code when} (a pull request merged weeks after its commits). */
    public RevCommit mergeAt(Instant when, String branch, String name, String email) {
        try {
            git.merge().include(git.getRepository().resolve(branch)).setFastForward(MergeCommand.FastForwardMode.NO_FF)
                    .setCommit(false).call();
            return commitAt(when, "Merge branch '" + branch + "'", name, email);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Deletes the stored object of the blob with this content, as a partial clone ({@code --filter=blob:limit}) lacks
     * it; returns the blob's id. The blob must be a loose object (as every blob a TestRepo commits is).
     */
    public String dropBlob(String content) {
        try (ObjectInserter.Formatter f = new ObjectInserter.Formatter()) {
            String id = f.idFor(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8)).name();
            Files.delete(dir.resolve(".git/objects").resolve(id.substring(0, 2)).resolve(id.substring(2)));
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Instant clock() {
        return clock;
    }

    @Override
    public void close() {
        git.close();
    }

    static {
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    }
}
