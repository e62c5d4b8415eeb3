package dev.merit.cli;

import dev.merit.problem.ProblemException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "merit", mixinStandardHelpOptions = true, version = "merit 0.1.0",
        description = "DAO contribution scoring and payroll. Without a command: serve.",
        subcommands = {ServeCommand.class, IngestCommand.class, ScoreCommand.class, PayrollCommand.class,
                VerifyCommand.class, AuthorsCommand.class, WalletCommand.class, ContributorsCommand.class,
                DisputesCommand.class, EpochsCommand.class, PayoutsCommand.class, CompareCommand.class,
                EvaluateCommand.class, TrainCommand.class, ExportDatasetCommand.class,
                ChainCommand.class})
public class MeritCommand {

    /**
     * Merit's command line: every command and subcommand answers {@code --help} and {@code --version}, and a refusal
     * (a {@link ProblemException}: unknown contributor, conflict, invalid value) is one line on standard error and exit
     * code 2, not a stack trace.
     */
    public static CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine cli = new CommandLine(MeritCommand.class, factory);
        withHelp(cli);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ProblemException p) {
                cmd.getErr().println("error: " + p.title() + ": " + p.getMessage());
                return 2;
            }
            // A file that is missing, a directory, cut short or not gzip, a full disk, an argument a command refuses:
            // one sentence, not a stack trace. Anything else is a defect, and keeps its trace for the report.
            String words = fileWords(e);
            if (words != null) {
                cmd.getErr().println("error: " + words);
                return e instanceof IllegalArgumentException ? 2 : 1;
            }
            throw e;
        });
        return cli;
    }

    /** What went wrong with a file or an argument, in one sentence; null for any other failure. */
    static String fileWords(Throwable e) {
        Throwable c = e instanceof java.io.UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        if (c instanceof java.nio.file.NoSuchFileException n) {
            return "no such file or directory: " + n.getFile();
        }
        if (c instanceof java.nio.file.AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (c instanceof java.nio.file.FileSystemException f) {
            return (f.getFile() == null ? "" : f.getFile() + ": ") + (f.getReason() == null ? "cannot be used" : f.getReason());
        }
        if (c instanceof java.io.EOFException) {
            return "a file ended early: it is cut short (an interrupted copy or export?)";
        }
        if (c instanceof java.util.zip.ZipException z) {
            return "a .gz file is not gzip or is damaged (" + z.getMessage() + ")";
        }
        if (c instanceof java.io.IOException io) {
            return io.getMessage() == null ? "reading or writing a file failed" : io.getMessage();
        }
        if (c instanceof IllegalArgumentException && c.getMessage() != null && !c.getMessage().isBlank()) {
            return c.getMessage();
        }
        return null;
    }

    /**
     * Adds {@code -h/--help} (and {@code --version}) to every command class. A command written as a method (the
     * subcommands of {@code contributors}) declares {@code mixinStandardHelpOptions} in its annotation instead: an
     * option added to a method's command afterwards is passed to the method as one more argument, and every call
     * fails with "argument type mismatch".
     */
    static void withHelp(CommandLine cli) {
        CommandLine.Model.CommandSpec spec = cli.getCommandSpec();
        cli.getSubcommands().values().forEach(MeritCommand::withHelp);
        if (spec.userObject() instanceof java.lang.reflect.Method) {
            return;
        }
        spec.mixinStandardHelpOptions(true); // left out where a command has its own --version (train)
        if (!spec.optionsMap().containsKey("--help")) {
            spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help message and exit.").build());
        }
    }
}
