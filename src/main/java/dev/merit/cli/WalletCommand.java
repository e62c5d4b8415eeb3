package dev.merit.cli;

import dev.merit.contributor.Wallets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "wallet", description = "Link a contributor's wallet address: where their payouts go.")
public class WalletCommand implements Runnable {

    @Parameters(index = "0", paramLabel = "CONTRIBUTOR", description = "Contributor id (see GET /api/contributors)")
    long contributorId;

    @Parameters(index = "1", paramLabel = "ADDRESS", description = "0x-prefixed Ethereum address")
    String address;

    @Spec
    CommandSpec spec;

    private final Wallets wallets;

    public WalletCommand(Wallets wallets) {
        this.wallets = wallets;
    }

    @Override
    public void run() {
        String linked = wallets.link(contributorId, address);
        spec.commandLine().getOut().println("contributor " + contributorId + " -> " + linked);
    }
}
