package dev.merit.cli;

import dev.merit.scoring.Dispute;
import dev.merit.scoring.DisputeResource;
import dev.merit.scoring.DisputeService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "disputes", description = "List the disputes contributors opened on the dashboard (the type the model "
        + "gave their work), or answer one: `disputes accept ID [--type T]` corrects the type for every later scoring run, "
        + "`disputes reject ID --answer TEXT` keeps it and says why.")
public class DisputesCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "ACTION", description = "accept or reject")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ID", description = "Dispute id")
    Long id;

    @Option(names = "--status", description = "List disputes in this state: open (default), accepted, rejected, all")
    String status = "open";

    @Option(names = "--type", description = "accept: the correct type (default: the one the contributor claims)")
    String type;

    @Option(names = "--answer", description = "The answer the contributor reads (required to reject)")
    String answer;

    @Option(names = "--by", description = "Who answers (default: maintainer)")
    String by;

    @Spec
    CommandSpec spec;

    private final DisputeService disputes;
    private final dev.merit.epoch.EpochPayments payments;

    public DisputesCommand(DisputeService disputes, dev.merit.epoch.EpochPayments payments) {
        this.disputes = disputes;
        this.payments = payments;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (action == null) {
            Dispute.Status filter = status.equalsIgnoreCase("all") ? null : DisputeResource.status(status);
            Table table = new Table("id", "epoch (run)", "contribution", "contributor", "scored", "claimed", "status",
                    "reason", "answer");
            for (DisputeService.View d : disputes.list(filter, null)) {
                table.row(d.id(), d.epochName() + " (#" + d.runId() + ")", d.contribution() + " "
                                + Table.shorten(d.title(), 40), d.contributorName() + " (#" + d.contributorId() + ")",
                        d.scoredType(), d.claimedType() == null ? "-" : d.claimedType(),
                        d.status() + (d.correctedType() == null ? "" : " -> " + d.correctedType()), Table.shorten(d.reason(), 60),
                        d.answer() == null ? "" : Table.shorten(d.answer(), 40));
            }
            table.print(out);
            return 0;
        }
        if (id == null || !(action.equals("accept") || action.equals("reject"))) {
            spec.commandLine().getErr().println("disputes takes no arguments (list), or accept ID / reject ID");
            return 2;
        }
        DisputeService.View d = action.equals("accept") ? disputes.accept(id, type, answer, by)
                : disputes.reject(id, answer, by);
        // A paid epoch's pay does not change: the correction is the record's and the model's, said as such.
        dev.merit.epoch.EpochPayments.Payment paid = payments.paidBy(java.util.List.of(d.epochId())).get(d.epochId());
        out.println("dispute " + d.id() + " " + d.status() + (d.correctedType() == null ? ""
                : ": " + d.contribution() + " is " + d.correctedType() + " in scoring runs from now on" + (paid == null
                ? " (score the epoch again)" : "; epoch " + d.epochName() + " was paid by payout #"
                + paid.payoutProposalId() + ", so its pay does not change: this corrects the record, later scorings "
                + "and the model's training data")));
        return 0;
    }
}
