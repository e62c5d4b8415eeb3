package dev.merit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "merit", mixinStandardHelpOptions = true, version = "merit 0.1.0",
        description = "DAO contribution scoring and payroll. Without a command: serve.",
        subcommands = {ServeCommand.class, IngestCommand.class, ScoreCommand.class, PayrollCommand.class,
                VerifyCommand.class, AuthorsCommand.class, WalletCommand.class, ContributorsCommand.class, DisputesCommand.class, CompareCommand.class, EvaluateCommand.class, TrainCommand.class,
                ExportDatasetCommand.class,
                ChainCommand.class})
public class MeritCommand {

    /** Merit's command line: every command and subcommand answers {@code --help} and {@code --version}. */
    public static CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine cli = new CommandLine(MeritCommand.class, factory);
        withHelp(cli);
        return cli;
    }

    private static void withHelp(CommandLine cli) {
        CommandLine.Model.CommandSpec spec = cli.getCommandSpec();
        spec.mixinStandardHelpOptions(true); // left out where a command has its own --version (train)
        if (!spec.optionsMap().containsKey("--help")) {
            spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help message and exit.").build());
        }
        cli.getSubcommands().values().forEach(MeritCommand::withHelp);
    }
}
