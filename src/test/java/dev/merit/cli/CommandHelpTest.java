package dev.merit.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command and subcommand of the real command tree answers {@code --help} with its usage and exit code 0, also
 * where it has required options (train) or is a subcommand's subcommand (chain propose): {@link MeritCommand#commandLine}
 * gives each of them the option. Help is answered before a command runs, so the commands are built without their
 * services here (the packaged application's commands are covered by {@code CommandLineIT}).
 */
class CommandHelpTest {

    /** Builds a command with nulls (and zeros) for the services and settings it would be injected with. */
    private static final CommandLine.IFactory WITHOUT_SERVICES = new CommandLine.IFactory() {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls.isInterface() || cls.getDeclaredConstructors().length == 0) {
                return CommandLine.defaultFactory().create(cls);
            }
            Constructor<?> constructor = cls.getDeclaredConstructors()[0];
            Object[] args = new Object[constructor.getParameterCount()];
            Class<?>[] types = constructor.getParameterTypes();
            for (int i = 0; i < args.length; i++) {
                args[i] = types[i] == int.class ? 0 : types[i] == long.class ? 0L : types[i] == boolean.class ? false : null;
            }
            constructor.setAccessible(true);
            return cls.cast(constructor.newInstance(args));
        }
    };

    @Test
    void everyCommandAndSubcommandAnswersHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(MeritCommand.commandLine(WITHOUT_SERVICES), new ArrayList<>(), paths);
        assertThat(paths).as("the whole tree was walked").hasSizeGreaterThan(20)
                .contains(List.of("train"), List.of("chain", "propose"), List.of("contributors", "merge"));
        for (List<String> path : paths) {
            CommandLine cli = MeritCommand.commandLine(WITHOUT_SERVICES);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            String command = String.join(" ", path);
            assertThat(cli.execute(args.toArray(String[]::new))).as(command + ": " + err).isZero();
            assertThat(out.toString()).as(command).startsWith("Usage: merit " + command).contains("--help");
        }
    }

    /**
     * docs/cli.md is the reference of the commands: every command is there in code by its whole name, and every
     * option of it on such a line (an option added without a word in the reference fails here, not in a treasurer's
     * hands).
     */
    @Test
    void everyCommandAndOptionIsInTheReference() throws java.io.IOException {
        List<String> reference = java.nio.file.Files.readAllLines(java.nio.file.Path.of("docs", "cli.md"));
        List<List<String>> paths = new ArrayList<>();
        collect(MeritCommand.commandLine(WITHOUT_SERVICES), new ArrayList<>(), paths);
        List<String> missing = new ArrayList<>();
        for (List<String> path : paths) {
            // The command's own rows: its whole name in code, "`chain status ...`" (not a word of another row).
            String name = "(?s).*`" + java.util.regex.Pattern.quote(String.join(" ", path)) + "(?![a-z-]).*";
            List<String> lines = reference.stream().filter(l -> l.matches(name)).toList();
            if (lines.isEmpty()) {
                missing.add(String.join(" ", path));
                continue;
            }
            CommandLine cli = MeritCommand.commandLine(WITHOUT_SERVICES);
            for (String step : path) {
                cli = cli.getSubcommands().get(step);
            }
            for (CommandLine.Model.OptionSpec option : cli.getCommandSpec().options()) {
                String longest = option.longestName();
                String named = "(?s).*" + java.util.regex.Pattern.quote(longest) + "(?![A-Za-z0-9_-]).*";
                boolean standard = option.usageHelp() || option.versionHelp();
                if (!standard && lines.stream().noneMatch(l -> l.matches(named))) {
                    missing.add(String.join(" ", path) + " " + longest);
                }
            }
        }
        assertThat(missing).as("commands and options not in docs/cli.md").isEmpty();
    }

    private static void collect(CommandLine cli, List<String> path, List<List<String>> paths) {
        cli.getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandName().equals(name)) {
                return; // an alias
            }
            List<String> deeper = new ArrayList<>(path);
            deeper.add(name);
            paths.add(deeper);
            collect(sub, deeper, paths);
        });
    }
}
