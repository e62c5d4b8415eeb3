package dev.merit.cli;

import dev.merit.contributor.WalletImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "import", description = "Link wallets in bulk from a CSV file with the header identity,address (identity: "
        + "a contributor id #12, a login github:ada or gitlab:ada (a bare login is GitHub's), or an e-mail). Conflicts "
        + "(a contributor with another wallet, a wallet of someone else) are reported, never overwritten. Exit 1 when "
        + "any row is not linked.")
public class WalletImportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "CSV file, UTF-8, at most 10,000 rows and 2 MB")
    Path file;

    @Option(names = "--dry-run", description = "Print what would change; change nothing")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    private final WalletImport walletImport;

    public WalletImportCommand(WalletImport walletImport) {
        this.walletImport = walletImport;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        byte[] bytes;
        try {
            if (Files.size(file) > WalletImport.MAX_BYTES) {
                err.println("error: " + file + " has " + Files.size(file) + " bytes; a wallet import takes at most "
                        + WalletImport.MAX_BYTES + " (2 MB). Split it.");
                return 2;
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            // As every command says a file it cannot read: why ("no such file or directory: ..."), exit 1.
            throw new java.io.UncheckedIOException(e);
        }
        WalletImport.Report report = walletImport.run(WalletImport.parseCsv(bytes), dryRun);
        PrintWriter out = spec.commandLine().getOut();
        Table table = new Table("line", "identity", "contributor", "name", "address", "outcome", "reason");
        for (WalletImport.RowReport r : report.lines()) {
            String outcome = dryRun && r.outcome().equals("linked") ? "would link" : r.outcome();
            table.row(r.line(), Table.shorten(r.identity(), 40), r.contributorId() == null ? "-" : r.contributorId(),
                    r.name() == null ? "-" : Table.shorten(r.name(), 30), r.address() == null ? "-" : r.address(), outcome,
                    r.reason() == null ? "" : r.reason());
        }
        table.print(out);
        out.println(Table.count(report.rows(), "row", "rows") + ": "
                + report.linked() + (dryRun ? " would be linked, " : " linked, ")
                + report.unchanged() + " unchanged, " + report.conflicts() + " conflicts, " + report.errors() + " errors"
                + (dryRun ? " (dry run: nothing changed)" : ""));
        return report.failed() ? 1 : 0;
    }
}
