package dev.merit.cli;

import java.util.Objects;
import dev.merit.scoring.RunComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "compare", description = "What changed between two scoring runs of one epoch: model, policy and "
        + "inputs; contributors whose total or rank moved; the contributions that moved most and the factors that changed.")
public class CompareCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FROM", description = "The earlier run")
    long from;

    @Parameters(index = "1", paramLabel = "TO", description = "The later run")
    long to;

    @Option(names = "--top", defaultValue = "20", description = "Contributions to list (default 20)")
    int top;

    @Spec
    CommandSpec spec;

    private final RunComparison comparison;

    public CompareCommand(RunComparison comparison) {
        this.comparison = comparison;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RunComparison.Comparison c = comparison.compare(from, to, Math.max(1, top));
        dev.merit.epoch.Epoch epoch = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() ->
                dev.merit.epoch.Epoch.findById(c.epochId()));
        out.printf("Runs %d -> %d of epoch %s: model %s, policy %s, inputs %s; total %s -> %s; "
                        + "%d contribution scores moved%n%n",
                c.fromRun(), c.toRun(), epoch == null ? "#" + c.epochId() : "'" + epoch.name + "'",
                c.modelChanged() ? "changed" : "same",
                !c.policyChanged() ? "same" : c.policyRulesChanged() ? "changed" : "format changed (rules the same)",
                c.inputsChanged() ? "changed" : "same",
                plain(c.totalBefore()), plain(c.totalAfter()), c.changedContributions());
        Table people = new Table("contributor", "id", "before", "after", "change", "rank");
        for (RunComparison.ContributorChange p : c.contributors()) {
            people.row(p.displayName(), p.contributorId(), plain(p.before()), plain(p.after()), signed(p.delta()),
                    (p.rankBefore() == null ? "-" : p.rankBefore()) + " -> " + (p.rankAfter() == null ? "-" : p.rankAfter()));
        }
        people.print(out);
        out.println();
        Table moved = new Table("contribution", "contributor", "before", "after", "type", "factors changed");
        // Contributors by name, as in the table above (a bare "52" told a treasurer nothing).
        java.util.Map<Long, String> names = new java.util.HashMap<>();
        c.contributors().forEach(p -> names.put(p.contributorId(), p.displayName()));
        for (RunComparison.ContributionChange m : c.contributions()) {
            String type = Objects.equals(m.typeBefore(), m.typeAfter()) ? String.valueOf(m.typeAfter())
                    : m.typeBefore() + " -> " + m.typeAfter();
            String who = names.containsKey(m.contributorId()) ? names.get(m.contributorId()) + " (#" + m.contributorId()
                    + ")" : "#" + m.contributorId();
            moved.row(Table.shorten(m.title() == null ? m.contribution() : m.title(), 40), who, plain(m.before()),
                    plain(m.after()), type, m.factors().stream().map(f -> f.name() + " " + plain(f.before()) + " -> "
                            + plain(f.after()) + (f.detail() == null ? "" : " (" + Table.shorten(f.detail(), 60) + ")"))
                            .collect(Collectors.joining("; ")));
        }
        moved.print(out);
        return 0;
    }

    private static String plain(BigDecimal v) {
        return Table.decimal(v);
    }

    private static String signed(BigDecimal v) {
        return (v.signum() > 0 ? "+" : "") + plain(v);
    }
}
