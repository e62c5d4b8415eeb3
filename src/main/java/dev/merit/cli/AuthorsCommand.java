package dev.merit.cli;

import dev.merit.ingest.git.GitRepository;
import dev.merit.ingest.git.GitRepositoryService;
import dev.merit.problem.ProblemException;
import jakarta.transaction.Transactional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;

@Command(name = "authors", description = "Per commit author e-mail (as recorded, before identity resolution): "
        + "commits, lines added, lines deleted; the figures git log --numstat --no-renames gives.")
public class AuthorsCommand implements Runnable {

    @Option(names = "--repository", description = "Path or URL of a registered repository (default: all)")
    String repository;

    @Option(names = "--tsv", description = "Tab-separated, no header, sorted by e-mail (for scripts)")
    boolean tsv;

    @Spec
    CommandSpec spec;

    private final GitRepositoryService repositories;

    public AuthorsCommand(GitRepositoryService repositories) {
        this.repositories = repositories;
    }

    @Override
    @Transactional
    public void run() {
        Long repositoryId = null;
        if (repository != null) {
            repositoryId = repositories.findByLocation(repository).map(r -> r.id).orElseThrow(() ->
                    ProblemException.invalid("No registered repository at " + repository + ". Registered: "
                            + GitRepository.<GitRepository>listAll().stream().map(r -> r.location).toList()));
        }
        List<GitRepositoryService.AuthorStats> rows = repositories.authorStats(repositoryId);
        PrintWriter out = spec.commandLine().getOut();
        if (tsv) {
            rows.forEach(r -> out.println(r.email() + "\t" + r.commits() + "\t" + r.linesAdded() + "\t" + r.linesDeleted()));
            out.flush();
            return;
        }
        Table table = new Table("author e-mail", "commits", "added", "deleted");
        rows.forEach(r -> table.row(r.email(), r.commits(), r.linesAdded(), r.linesDeleted()));
        table.print(out);
    }
}
