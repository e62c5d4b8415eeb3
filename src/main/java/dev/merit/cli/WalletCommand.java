package dev.merit.cli;

import dev.merit.contributor.WalletClaims;
import dev.merit.contributor.Wallets;
import io.quarkus.narayana.jta.QuarkusTransaction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "wallet", description = "Link a contributor's wallet address (where their payouts go), or list the wallet "
        + "claims contributors made on the dashboard that wait for proof; `wallet import FILE` links many.",
        subcommands = WalletImportCommand.class)
public class WalletCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONTRIBUTOR", description = "Contributor id (see GET /api/contributors)")
    Long contributorId;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ADDRESS", description = "0x-prefixed Ethereum address")
    String address;

    @Option(names = "--claims", description = "List open wallet claims: a maintainer who has checked one out of band "
            + "confirms it with `wallet CONTRIBUTOR ADDRESS`.")
    boolean claims;

    @Spec
    CommandSpec spec;

    private final Wallets wallets;
    private final WalletClaims walletClaims;

    public WalletCommand(Wallets wallets, WalletClaims walletClaims) {
        this.wallets = wallets;
        this.walletClaims = walletClaims;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (claims) {
            Table table = new Table("contributor", "wallet", "expires", "prove from");
            for (WalletClaims.Claim c : walletClaims.open()) {
                table.row(c.contributorId(), c.address(), c.expiresAt(),
                        c.proveFrom().isEmpty() ? "(no forge account: a maintainer)" : String.join(", ", c.proveFrom()));
            }
            table.print(out);
            return 0;
        }
        if (contributorId == null || address == null) {
            spec.commandLine().getErr().println("wallet needs CONTRIBUTOR and ADDRESS (or --claims)");
            return 2;
        }
        String linked = QuarkusTransaction.requiringNew().call(() -> {
            String l = wallets.link(contributorId, address);
            walletClaims.settledByMaintainer(contributorId, l);
            return l;
        });
        out.println("contributor " + contributorId + " -> " + linked);
        return 0;
    }
}
