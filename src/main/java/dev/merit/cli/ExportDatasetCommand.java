package dev.merit.cli;

import dev.merit.ingest.git.GitRepositoryService;
import dev.merit.scoring.train.DatasetExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;

@Command(name = "export-dataset", description = "Read a Git repository and write its commits as training data "
        + "(JSONL, the format evaluate reads; gzip when the file name ends in .gz). The repository is read into a "
        + "scratch database deleted at exit, never into the DAO's data; with --corrections, into the DAO's data, "
        + "whose disputes it reads.")
public class ExportDatasetCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PATH|URL")
    String location;

    @Option(names = "--out", required = true, paramLabel = "FILE")
    Path out;

    @Option(names = "--salt", defaultValue = "", description = "Salt for the author e-mail hashes (no e-mail is written)")
    String salt;

    @Option(names = "--name", paramLabel = "NAME", description = "The repository's name in the data, e.g. owner/name "
            + "(default: the last part of its path or URL); train's leave-one-repository-out groups commits by it")
    String name;

    @Option(names = "--allow-missing-blobs", description = "Read a partial clone: files whose content is absent are "
            + "written without line counts (null, as for binary files) and counted, instead of failing")
    boolean allowMissingBlobs;

    @Option(names = "--corrections", description = "Label commits whose type a maintainer corrected on a dispute "
            + "(merit disputes) with that type instead of their own prefix, and mark them (\"correction\": {dispute, type}), "
            + "so training learns the DAO's judgement and weights it (train --correction-weight)")
    boolean corrections;

    @Option(names = "--people-only", description = "Leave out commits whose author is a bot (dependabot, renovate, "
            + "[bot] accounts, merit.ingest.bot-markers): Merit pays no bots, and a model should learn people's work")
    boolean peopleOnly;

    @Spec
    CommandSpec spec;

    private final GitRepositoryService repositories;
    private final DatasetExporter exporter;

    public ExportDatasetCommand(GitRepositoryService repositories, DatasetExporter exporter) {
        this.repositories = repositories;
        this.exporter = exporter;
    }

    @Override
    public Integer call() throws IOException {
        if (name != null && name.codePoints().anyMatch(c -> Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT)) {
            // The name groups a repository's commits in training; a newline in it would read as two repositories.
            throw dev.merit.problem.ProblemException.invalid("--name holds a control or invisible character.");
        }
        // Where the file goes is checked before the repository is read (which may take minutes), and the file is
        // written beside it under another name, then moved in whole: an interrupted export leaves the previous file
        // as it was, not a cut one train would read as a smaller repository.
        Path target = out.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new java.nio.file.NoSuchFileException(String.valueOf(dir), null, "no writable directory for --out");
        }
        if (Files.isDirectory(target)) {
            throw new java.nio.file.FileSystemException(target.toString(), null, "--out is a directory, not a file");
        }
        GitRepositoryService.IngestReport report = repositories.ingestLocation(location, null, allowMissingBlobs);
        Path partial = Files.createTempFile(dir, "." + target.getFileName(), ".partial");
        try {
            write(report, partial);
            Files.move(partial, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        return 0;
    }

    private void write(GitRepositoryService.IngestReport report, Path file) throws IOException {
        try (Writer writer = new OutputStreamWriter(out.toString().endsWith(".gz")
                ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file), StandardCharsets.UTF_8)) {
            String repositoryName = name == null || name.isBlank() ? report.repository() : name.strip();
            DatasetExporter.Result result = exporter.export(report.repositoryId(), repositoryName, salt, writer, corrections,
                    peopleOnly);
            int n = result.written();
            if (corrections) {
                spec.commandLine().getOut().printf("%d commits labelled with a maintainer's corrected type%n",
                        result.corrected());
            }
            if (peopleOnly) {
                spec.commandLine().getOut().printf("%d commits by bots left out%n", result.botCommitsLeftOut());
            }
            if (report.missingBlobs() > 0) {
                spec.commandLine().getOut().printf("%d file versions had no content in the clone and were written "
                        + "without line counts%n", report.missingBlobs());
            }
            spec.commandLine().getOut().printf("wrote %d commits of %s to %s%n", n, repositoryName, out);
        }
    }
}
