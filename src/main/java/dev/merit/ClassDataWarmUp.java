package dev.merit;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import dev.merit.cli.MeritCommand;
import picocli.CommandLine;

/**
 * The run that writes the launcher's class-data archive (see {@code ./merit}): it runs the commands that need neither
 * chain nor model on a throw-away empty database, then links every class the run loaded. JDK 17 archives a class at
 * exit only if it was linked, and a third of a command's classes are loaded but never linked (the bytecode verifier
 * loads them to check other classes): without this step each command would still read and verify them from the jars.
 * Reflection links a class without initialising it, so nothing of the application runs twice.
 */
final class ClassDataWarmUp {

    /** The hidden command the launcher runs (with {@code -Xlog:class+load} to {@link #LOG_PROPERTY}'s file). */
    static final String COMMAND = "class-data-warm-up";
    static final String LOG_PROPERTY = "merit.class-data.log";
    static final List<List<String>> COMMANDS = List.of(List.of("authors"), List.of("disputes"),
            List.of("wallet", "--claims"), List.of("contributors", "merges"), List.of("contributors", "suggest"),
            List.of("verify", "1"));

    private ClassDataWarmUp() {
    }

    static int run(CommandLine.IFactory factory) {
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        for (List<String> command : COMMANDS) {
            CommandLine cli = MeritCommand.commandLine(factory);
            cli.setOut(nowhere);
            cli.setErr(nowhere);
            cli.execute(command.toArray(String[]::new)); // verify 1 refuses on the empty database: its classes count too
        }
        String log = System.getProperty(LOG_PROPERTY);
        if (log != null) {
            link(Path.of(log), ClassDataWarmUp.class.getClassLoader());
        }
        return 0;
    }

    /**
     * Links every class named in a {@code -Xlog:class+load} file written without decorations ("name source: ..."),
     * re-reading it until a round finds no class it has not tried (linking loads classes too). Returns how many it
     * linked; a class that cannot be found by name (lambdas, proxies) or linked is left as it is.
     */
    static int link(Path log, ClassLoader loader) {
        Set<String> tried = new HashSet<>();
        int linked = 0;
        for (int round = 0; round < 10; round++) {
            List<String> lines;
            try {
                lines = Files.readAllLines(log);
            } catch (IOException unreadable) {
                return linked;
            }
            boolean fresh = false;
            for (String line : lines) {
                int space = line.indexOf(' ');
                String name = space < 0 ? line.strip() : line.substring(0, space);
                if (name.isEmpty() || !tried.add(name)) {
                    continue;
                }
                fresh = true;
                try {
                    Class<?> c = Class.forName(name, false, loader);
                    // Links without initialising. Class.getDeclaredConstructors answers an interface without asking
                    // the JVM, so interfaces go through their fields.
                    if (c.isInterface()) {
                        c.getDeclaredFields();
                    } else {
                        c.getDeclaredConstructors();
                    }
                    linked++;
                } catch (Throwable notByName) {
                    // a hidden class, a proxy, or one whose dependencies are absent: the archive goes without it
                }
            }
            if (!fresh) {
                break;
            }
        }
        return linked;
    }
}
