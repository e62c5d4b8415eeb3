package dev.merit.support;

import dev.merit.cli.MeritCommand;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableContext;
import io.quarkus.arc.ManagedContext;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * A command as {@code merit ...} runs it, in the test's own Quarkus application: what it printed to standard output and
 * standard error apart, and its exit code. A launch of its own costs a JVM start (three to five seconds of the suite);
 * the packaged application's own start, data directory and embedded database are covered by the {@code *IT} tests.
 */
public final class InProcess {

    private InProcess() {
    }

    public record Run(int exitCode, String out, String err) {
    }

    public static Run merit(CommandLine.IFactory factory, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = MeritCommand.commandLine(factory);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        // A request context of its own, as MeritMain gives each command: the test method's (Quarkus activates one
        // around it) is set aside, so the command does not share the test's persistence context, and put back after.
        ManagedContext request = Arc.container().requestContext();
        InjectableContext.ContextState outer = request.isActive() ? request.getState() : null;
        if (outer != null) {
            request.deactivate();
        }
        request.activate();
        try {
            return new Run(cli.execute(args), out.toString(), err.toString());
        } finally {
            request.terminate();
            if (outer != null) {
                request.activate(outer);
            }
        }
    }
}
