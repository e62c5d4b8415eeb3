package dev.merit;

import java.util.Locale;
import java.util.function.UnaryOperator;
import dev.merit.audit.Progress;
import dev.merit.cli.MeritCommand;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import picocli.CommandLine;

/**
 * The jar's entry point: {@code serve} (the default) runs the service; every other command runs once and exits,
 * without opening the HTTP port, so it can run beside a serving instance.
 */
@QuarkusMain
public class MeritMain implements QuarkusApplication {

    private final CommandLine.IFactory factory;

    public MeritMain(CommandLine.IFactory factory) {
        this.factory = factory;
    }

    public static void main(String... args) {
        // Nothing downloads at run time: DJL uses the PyTorch natives on the classpath.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        UnaryOperator<String> lookup = key -> System.getProperty(key) != null ? System.getProperty(key)
                : System.getenv(key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT));
        InstallHome.apply(lookup);
        boolean scratch = args.length > 0 && args[0].equals("export-dataset")
                && !java.util.Arrays.asList(args).contains("--corrections") && lookup.apply("quarkus.datasource.jdbc.url") == null;
        if (scratch) {
            // Training data of any repository is not the DAO's payroll: its commits go into a scratch database thrown
            // away at exit, never into the data a payout is scored from. (--corrections reads the DAO's disputes, so
            // it exports from the DAO's own data, as the DAO's repository already is there.)
            System.setProperty("merit.data-dir", ScratchData.directory().toString());
        }
        // H2 refuses a relative file path (MERIT_DATA_DIR=dao/data): everything gets the data directory absolute.
        System.setProperty("merit.data-dir", EmbeddedDatabase.dataDir(lookup).toString());
        // "serve" takes no option: "serve --help" or a typo is answered as a command is, without starting the service
        // (it listened, ran its schedule and began writing before printing the usage).
        boolean serve = args.length == 0 || args.length == 1 && args[0].equals("serve");
        // A command run from another folder than the server's starts a database of its own there: said, not silent.
        boolean fresh = !java.nio.file.Files.exists(EmbeddedDatabase.dataDir(lookup).resolve("merit.mv.db"));
        EmbeddedDatabase.prepare(lookup, !serve);
        System.setProperty("merit.command", serve ? "serve" : args[0].equals("serve") ? "serve-usage" : args[0]);
        if (!serve) {
            Progress.toConsole();
            if (!args[0].startsWith("-") && lookup.apply("quarkus.datasource.jdbc.url") == null) {
                System.err.println(scratch ? "Merit data: none (export-dataset reads the repository into a scratch "
                        + "database deleted at exit; with --corrections it reads the DAO's data)"
                        : "Merit data: " + EmbeddedDatabase.dataDir(lookup).normalize() + (fresh ? " (new: no "
                        + "database was here, so this command starts an empty one; a server started in another folder "
                        + "keeps its own there: run commands from that folder, or set MERIT_DATA_DIR to its data)"
                        : ""));
            }
            System.setProperty("quarkus.http.host-enabled", "false");
            CommandClassLoader.install(); // no HTTP, so no OpenAPI document to prepare
            // A command is not a server: it follows no chain and relays no events in the background (the server, or
            // the command itself when it must, does that), and it does not wait for a schedule to stop.
            System.setProperty("quarkus.scheduler.enabled", "false");
            if (lookup.apply("quarkus.flyway.migrate-at-start") == null) {
                System.setProperty("quarkus.flyway.migrate-at-start", "false");
                System.setProperty(CommandSchema.CHECK, "true"); // Flyway runs if the schema is behind
            }
            if (System.getProperty("quarkus.log.console.level") == null) {
                System.setProperty("quarkus.log.console.level", "WARN");
            }
            // A command says in its own words that the chain does not answer: not also the server's log line for it.
            System.setProperty("quarkus.log.category.\"dev.merit.governance.chain.WatchedHttpService\".level", "ERROR");
        }
        Quarkus.run(MeritMain.class, args);
    }

    @Override
    public int run(String... args) {
        CommandLine cli = MeritCommand.commandLine(factory);
        // Commands run outside HTTP requests; give them the request context services expect.
        ManagedContext requestContext = Arc.container().requestContext();
        requestContext.activate();
        try {
            if (args.length > 0 && args[0].equals(ClassDataWarmUp.COMMAND)) {
                return ClassDataWarmUp.run(factory);
            }
            int exit = cli.execute(args.length == 0 ? new String[]{"serve"} : args);
            if (exit == 0 && args.length > 0 && !args[0].equals("serve") && !helpAsked(cli.getParseResult())) {
                // A command beside a running server wrote through it (H2's AUTO_SERVER): on its file before "done".
                Arc.container().instance(dev.merit.cluster.DurableCommits.class).get().flush();
            }
            return exit;
        } finally {
            requestContext.terminate();
        }
    }

    /** Whether the command line asked for help or the version (of a command or of Merit): nothing was written. */
    private static boolean helpAsked(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult r = parsed; r != null; r = r.subcommand()) {
            if (r.isUsageHelpRequested() || r.isVersionHelpRequested()) {
                return true;
            }
        }
        return false;
    }
}
