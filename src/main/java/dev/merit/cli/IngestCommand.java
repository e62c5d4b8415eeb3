package dev.merit.cli;

import dev.merit.ingest.git.GitRepositoryService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "ingest", description = "Register a Git repository (path or URL) if needed and ingest its new commits.")
public class IngestCommand implements Runnable {

    @Parameters(paramLabel = "PATH|URL", description = "A local repository or a clone URL (file://, https://)")
    String location;

    @Option(names = "--branch", description = "Branch to ingest (default: the repository's HEAD); given once, at "
            + "registration")
    String branch;

    @Option(names = "--name", description = "Name to register the repository under (default: the last segment of its "
            + "path or URL, without .git); given once, at registration")
    String name;

    @Option(names = "--refresh", description = "Read the whole history again and give commits already stored the "
            + "measurements this version's rules give (line counts, excluded files, whitespace, repeated edits, moved lines, patch "
            + "identity, changed lines) where they differ. Authors, times and messages are not rewritten; earlier "
            + "scoring runs keep their stored factors.")
    boolean refresh;

    @Spec
    CommandSpec spec;

    private final GitRepositoryService repositories;

    public IngestCommand(GitRepositoryService repositories) {
        this.repositories = repositories;
    }

    @Override
    public void run() {
        GitRepositoryService.IngestReport r = repositories.ingestLocation(location, branch, false, refresh, name);
        String seconds = String.format("%.2f", r.durationMs() / 1000.0);
        String repository = r.repository() + " (#" + r.repositoryId() + ")";
        (refresh
                ? new Table("repository", "branch", "tip", "commits read", "stored", "already known", "re-measured",
                "new contributors", "seconds").row(repository, r.branch(), r.tip().substring(0, 12), r.commitsRead(),
                r.contributionsStored(), r.alreadyKnown(), r.remeasured(), r.contributorsCreated(), seconds)
                : new Table("repository", "branch", "tip", "commits read", "stored", "already known", "new contributors",
                "seconds").row(repository, r.branch(), r.tip().substring(0, 12), r.commitsRead(),
                r.contributionsStored(), r.alreadyKnown(), r.contributorsCreated(), seconds))
                .print(spec.commandLine().getOut());
    }
}
