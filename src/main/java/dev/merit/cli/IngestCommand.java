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
        java.time.Instant now = java.time.Instant.now();
        java.time.Instant thisMonth = java.time.YearMonth.from(now.atZone(java.time.ZoneOffset.UTC)).atDay(1)
                .atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        // Its first and last work, and its last work before this month (the month to pay is one that is over).
        Object[] span = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> (Object[])
                dev.merit.ingest.Contribution.getEntityManager().createQuery("select min(c.occurredAt), "
                        + "max(c.occurredAt), max(case when c.occurredAt < ?2 then c.occurredAt end) from "
                        + "Contribution c where c.repositoryId = ?1")
                .setParameter(1, r.repositoryId()).setParameter(2, thisMonth).getSingleResult());
        if (span[0] != null) {
            spec.commandLine().getOut().println(dated((java.time.Instant) span[0], (java.time.Instant) span[1],
                    (java.time.Instant) span[2]));
        }
    }

    /**
     * When its work is dated, and the command that pays a month of it: the month of its last work before this month
     * ({@code lastOver}, null when all of it is this month's: then this month's, drafted as a preview).
     */
    static String dated(java.time.Instant first, java.time.Instant last, java.time.Instant lastOver) {
        java.time.YearMonth pay = java.time.YearMonth.from((lastOver != null ? lastOver : last)
                .atZone(java.time.ZoneOffset.UTC));
        return "Its work is dated " + first.toString().substring(0, 10) + " to " + last.toString().substring(0, 10)
                + " (UTC). `merit payroll --epoch " + pay + " --budget TOKENS` scores and drafts the payout of a "
                + "month of it; `merit epochs` lists the epochs made.";
    }
}
