package dev.merit.cli;

import dev.merit.problem.ProblemException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "merit", mixinStandardHelpOptions = true, version = "merit 0.1.0",
        description = "DAO contribution scoring and payroll. Without a command: serve.",
        subcommands = {ServeCommand.class, IngestCommand.class, ScoreCommand.class, PayrollCommand.class,
                VerifyCommand.class, AuthorsCommand.class, WalletCommand.class, ContributorsCommand.class, DisputesCommand.class, CompareCommand.class, EvaluateCommand.class, TrainCommand.class,
                ExportDatasetCommand.class,
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
            throw e;
        });
        return cli;
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
