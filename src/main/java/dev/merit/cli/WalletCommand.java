package dev.merit.cli;

import dev.merit.contributor.Contributor;
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

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONTRIBUTOR", description = "Contributor: id (#12 or 12), "
            + "e-mail or forge login (github:ann), as `wallet import` reads them")
    String contributor;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ADDRESS", description = "0x-prefixed Ethereum address")
    String address;

    @Option(names = "--claims", description = "List open wallet claims: a maintainer who has checked one out of band "
            + "confirms it with `wallet CONTRIBUTOR ADDRESS`.")
    boolean claims;

    @Option(names = "--replace", description = "Replace the wallet the contributor has linked: their future pay goes "
            + "to ADDRESS instead (asked for, so that a typo or a request in someone's name does not redirect it)")
    boolean replace;

    @Option(names = "--unlink", description = "Remove the contributor's wallet (no ADDRESS): their shares are then "
            + "held, in payouts made from now on, until a wallet is linked")
    boolean unlink;

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
            java.util.List<WalletClaims.Claim> open = walletClaims.open();
            if (open.isEmpty()) {
                out.println("No wallet claim waits for proof.");
                return 0;
            }
            java.util.Map<Long, Contributor> who = new java.util.HashMap<>();
            java.util.List<Long> ids = open.stream().map(WalletClaims.Claim::contributorId).distinct().toList();
            dev.merit.audit.IdSlices.list(ids, slice -> Contributor.<Contributor>list("id in ?1", slice))
                    .forEach(c -> who.put(c.id, c));
            Table table = new Table("contributor", "wallet", "expires", "prove from");
            for (WalletClaims.Claim c : open) {
                dev.merit.contributor.Contributor person = who.get(c.contributorId());
                table.row((person == null ? "" : person.displayName + " ") + "(#" + c.contributorId() + ")",
                        c.address(), dev.merit.problem.Moments.of(c.expiresAt()),
                        c.proveFrom().isEmpty() ? "(no forge account: a maintainer)" : String.join(", ", c.proveFrom()));
            }
            table.print(out);
            return 0;
        }
        if (contributor == null || address == null && !unlink || address != null && unlink) {
            spec.commandLine().getErr().println("wallet needs CONTRIBUTOR and ADDRESS, CONTRIBUTOR --unlink, or "
                    + "--claims");
            return 2;
        }
        dev.merit.contributor.IdentityLookup.Match match = QuarkusTransaction.requiringNew().call(() ->
                dev.merit.contributor.IdentityLookup.resolve(contributor));
        if (!match.found()) {
            throw dev.merit.problem.ProblemException.invalid("'" + dev.merit.problem.Clip.of(contributor) + "': "
                    + match.detail() + ".");
        }
        long contributorId = match.contributorId();
        if (match.detail() != null && match.detail().contains("merged into")) {
            out.println(match.detail()); // the wallet goes to the contributor it is part of now
        }
        if (unlink) {
            java.util.Optional<String> removed = QuarkusTransaction.requiringNew().call(() -> wallets.unlink(
                    contributorId));
            out.println(removed.map(w -> "contributor " + contributorId + ": wallet " + w + " unlinked; their shares "
                    + "are held in payouts made from now on until a wallet is linked")
                    .orElse("contributor " + contributorId + " had no wallet"));
            return 0;
        }
        String[] before = new String[1];
        String[] name = new String[1]; // read in the same transaction, said with what was done
        // Read and linked in one transaction: a wallet linked meanwhile (a dashboard claim proved) is not replaced
        // unasked.
        String linked = QuarkusTransaction.requiringNew().call(() -> {
            wallets.lock(java.util.List.of(contributorId));
            wallets.requireLinkable(contributorId, address); // before offering --replace for an address refused anyway
            before[0] = wallets.of(contributorId).orElse(null);
            if (before[0] != null && !before[0].equalsIgnoreCase(address.strip()) && !replace) {
                throw dev.merit.problem.ProblemException.conflict("Contributor " + contributorId + " has wallet "
                        + before[0] + " linked, where their pay goes. To send it to " + address.strip()
                        + " instead, run this again with --replace.");
            }
            String l = wallets.link(contributorId, address);
            walletClaims.settledByMaintainer(contributorId, l);
            name[0] = dev.merit.contributor.Contributor.<dev.merit.contributor.Contributor>findByIdOptional(
                    contributorId).map(c -> c.displayName).orElse("");
            return l;
        });
        // Whose it is by name, and what it does for shares already held for them (a command prints what it did).
        out.println("contributor " + contributorId + (name[0].isBlank() ? "" : " (" + name[0] + ")") + " -> " + linked
                + (before[0] != null && !before[0].equalsIgnoreCase(linked) ? " (replaces " + before[0] + ")" : "")
                + ". Payouts made from now on pay this wallet; a share an earlier payout still holds for them is "
                + "released to it by the next payout put on chain, once its vote passes.");
        return 0;
    }
}
