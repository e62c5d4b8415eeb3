package dev.merit.cli;

import picocli.CommandLine.Command;

@Command(name = "merit", mixinStandardHelpOptions = true, version = "merit 0.1.0",
        description = "DAO contribution scoring and payroll. Without a command: serve.",
        subcommands = {ServeCommand.class, IngestCommand.class, ScoreCommand.class, PayrollCommand.class,
                VerifyCommand.class, AuthorsCommand.class, WalletCommand.class, ContributorsCommand.class, DisputesCommand.class, CompareCommand.class, EvaluateCommand.class, TrainCommand.class,
                ExportDatasetCommand.class,
                ChainCommand.class})
public class MeritCommand {
}
