package dev.merit.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands written as methods (the subcommands of {@code contributors}) get their arguments and answer --help.
 * An option added to a method's command after picocli built it is passed to the method as one more argument, and
 * every call with an argument failed with "argument type mismatch" (it did, for `contributors merge A B`).
 */
class MethodCommandsTest {

    @Test
    void everyMethodCommandRunsWithItsArgumentsAndAnswersHelp() {
        CommandLine cli = new CommandLine(new ContributorsCommand(null, null));
        MeritCommand.withHelp(cli);
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        AtomicReference<Exception> thrown = new AtomicReference<>();
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            thrown.set(e);
            return 1;
        });
        List<List<String>> calls = List.of(List.of("merge", "#1", "#2", "--by", "ana", "--reason", "one person"),
                List.of("unmerge", "3", "--by", "ana"), List.of("bot", "#1", "yes", "--reason", "automation"),
                List.of("bots"), List.of("suggest"), List.of("merges"));
        assertThat(cli.getSubcommands().keySet()).containsExactlyInAnyOrderElementsOf(
                calls.stream().map(c -> c.get(0)).toList());
        for (List<String> call : calls) {
            thrown.set(null);
            cli.execute(call.toArray(String[]::new));
            assertThat(thrown.get()).as(String.join(" ", call) + ": the method ran (and met the service this test "
                    + "leaves out)").isInstanceOf(NullPointerException.class);
            out.getBuffer().setLength(0);
            assertThat(cli.execute(call.get(0), "--help")).as(call.get(0) + " --help").isZero();
            assertThat(out.toString()).startsWith("Usage: ");
        }
    }
}
