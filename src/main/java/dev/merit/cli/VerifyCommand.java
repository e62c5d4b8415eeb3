package dev.merit.cli;

import dev.merit.payroll.PayrollService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "verify", description = "Recompute a payout proposal from its stored inputs; exit 1 on any difference.")
public class VerifyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PROPOSAL", description = "Payout proposal id")
    long proposalId;

    @Spec
    CommandSpec spec;

    private final PayrollService payroll;

    public VerifyCommand(PayrollService payroll) {
        this.payroll = payroll;
    }

    @Override
    public Integer call() {
        PayrollService.Verification v = payroll.verify(proposalId);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("stored hash     %s%nrecomputed hash %s%n", v.storedHash(), v.recomputedHash());
        out.printf("hash %s, amounts %s%n", v.hashMatches() ? "matches" : "DIFFERS", v.amountsMatch() ? "match" : "DIFFER");
        v.mismatches().forEach(m -> out.println("  " + m));
        out.println(v.ok() ? "verify ok" : "verify FAILED: " + v.mismatches().size() + " differences");
        return v.ok() ? 0 : 1;
    }
}
