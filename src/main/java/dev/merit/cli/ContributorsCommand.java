package dev.merit.cli;

import dev.merit.contributor.BotMarks;
import dev.merit.ingest.IdentityMerges;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "contributors", description = "One person known as two contributors (a forge login and a plain "
        + "e-mail): `contributors suggest` lists likely pairs, `contributors merge A B` makes B part of A, "
        + "`contributors unmerge MERGE_ID` undoes it, `contributors merges` lists merges. Bots: `contributors bots` "
        + "lists the accounts counted as bots and those to review, `contributors bot ID yes|no` marks one.")
public class ContributorsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private final IdentityMerges merges;
    private final BotMarks botMarks;

    public ContributorsCommand(IdentityMerges merges, BotMarks botMarks) {
        this.merges = merges;
        this.botMarks = botMarks;
    }

    @Command(name = "bot", mixinStandardHelpOptions = true, description = "Mark a contributor a bot (yes) or a person (no). Merit reads an account as a "
            + "bot when it first meets it and never again by itself; a mark holds for every scoring run after it and "
            + "is recorded. Runs and payout proposals made before keep what they computed.")
    int bot(@Parameters(index = "0", paramLabel = "CONTRIBUTOR", description = "An id (#12 or 12), a login "
                    + "(github:ada), an e-mail or a wallet") String who,
            @Parameters(index = "1", paramLabel = "yes|no", description = "yes: a bot (an automation account or a "
                    + "coding agent); no: a person") String answer,
            @Option(names = "--by", description = "Who decides (recorded; default: maintainer)") String by,
            @Option(names = "--reason", description = "Why (recorded)") String reason) {
        String yesNo = answer.strip().toLowerCase(java.util.Locale.ROOT);
        if (!yesNo.equals("yes") && !yesNo.equals("no")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Say yes (a bot) or no (a person), not '"
                    + Table.shorten(answer, 40) + "'.");
        }
        BotMarks.Marked m = botMarks.mark(who, yesNo.equals("yes"), by, reason);
        PrintWriter out = spec.commandLine().getOut();
        String kind = m.bot() ? "a bot" : "a person";
        out.println(m.mark() == null ? "unchanged" : "mark " + m.mark().id() + ": contributor " + m.contributorId()
                + " (" + m.displayName() + ") is " + (m.changed() ? "now " + kind : kind + ", confirmed"));
        out.println(m.note());
        return 0;
    }

    @Command(name = "bots", mixinStandardHelpOptions = true, description = "The contributors counted as bots (and who decided), the ones today's rule "
            + "reads otherwise than they are counted (check each; nothing changes by this command), and every mark.")
    int bots() {
        // The command line is a maintainer's (it needs the data directory): e-mail addresses whole.
        BotMarks.Accounts accounts = botMarks.accounts(true);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Counted as bots (" + accounts.bots().size() + "):");
        Table bots = new Table("id", "name", "decided by", "why", "to change");
        for (BotMarks.Account a : accounts.bots()) {
            bots.row(a.contributorId(), Table.shorten(a.displayName(), 30), a.decidedBy(), Table.shorten(a.why(), 80),
                    a.change());
        }
        bots.print(out);
        out.println();
        out.println("To review: today's rule reads these otherwise (" + accounts.review().size() + "):");
        Table review = new Table("id", "name", "counted as", "why", "to change");
        for (BotMarks.Account a : accounts.review()) {
            review.row(a.contributorId(), Table.shorten(a.displayName(), 30), a.bot() ? "bot" : "person",
                    Table.shorten(a.why(), 80), a.change());
        }
        review.print(out);
        if (!accounts.marks().isEmpty()) {
            out.println();
            out.println("Marks, newest first:");
            Table marks = new Table("mark", "contributor", "now", "was", "by", "at", "reason");
            for (BotMarks.MarkView m : accounts.marks()) {
                marks.row(m.id(), m.contributorId() + " " + Table.shorten(m.displayName(), 30), m.bot() ? "bot" : "person",
                        m.wasBot() ? "bot" : "person", Table.who(m.markedBy(), m.markedVia()),
                        dev.merit.problem.Moments.of(m.markedAt()),
                        m.reason() == null ? "" : Table.shorten(m.reason(), 60));
            }
            marks.print(out);
        }
        return 0;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    @Command(name = "merge", mixinStandardHelpOptions = true, description = "Merge contributor B into A: B's identities, contributions and credits move to "
            + "A, so scoring runs from now on credit one person. Earlier runs and payout proposals stay as they are.")
    int merge(@Parameters(index = "0", paramLabel = "A", description = "The contributor that stays: an id (#12 or 12), a "
                      + "login (github:ada, gitlab:ada) or an e-mail") String into,
              @Parameters(index = "1", paramLabel = "B", description = "The contributor merged into A (same forms)") String from,
              @Option(names = "--by", description = "Who merges (recorded; default: maintainer)") String by,
              @Option(names = "--reason", description = "How you know they are one person (recorded)") String reason) {
        IdentityMerges.MergeView m = merges.merge(into, from, by, reason);
        PrintWriter out = spec.commandLine().getOut();
        out.println("merge " + m.id() + ": contributor " + m.from().id() + " (" + m.from().name() + ") merged into "
                + m.into().id() + " (" + m.into().name() + ")");
        out.println("moved: " + Table.count(m.identities().size(), "identity", "identities")
                + (m.identities().isEmpty() ? "" : " (" + String.join(", ", m.identities()) + ")") + ", actor of "
                + Table.count(m.actorOf(), "contribution", "contributions") + ", credits of "
                + Table.count(m.credited(), "contribution", "contributions"));
        out.println("score epochs again to credit one person; undo with: merit contributors unmerge " + m.id());
        return 0;
    }

    @Command(name = "unmerge", mixinStandardHelpOptions = true, description = "Undo a merge: what it moved goes back exactly.")
    int unmerge(@Parameters(index = "0", paramLabel = "MERGE_ID") long mergeId,
                @Option(names = "--by", description = "Who undoes it (recorded; default: maintainer)") String by) {
        IdentityMerges.MergeView m = merges.unmerge(mergeId, by);
        PrintWriter out = spec.commandLine().getOut();
        out.println("merge " + m.id() + " undone: contributor " + m.from().id() + " (" + m.from().name() + ") is apart "
                + "from " + m.into().id() + " (" + m.into().name() + ") again, with "
                + Table.count(m.identities().size(), "identity", "identities") + ", actor of "
                + Table.count(m.actorOf(), "contribution", "contributions") + ", credits of "
                + Table.count(m.credited(), "contribution", "contributions"));
        if (m.note() != null) {
            out.println("note: " + m.note());
        }
        return 0;
    }

    @Command(name = "suggest", mixinStandardHelpOptions = true, description = "Pairs that may be one person (the same name; a GitLab account whose events "
            + "carry an e-mail that authored commits as another contributor). Check each before merging: nothing is "
            + "merged by this command.")
    int suggest() {
        PrintWriter out = spec.commandLine().getOut();
        Table table = new Table("into", "from", "why", "blocker", "to merge");
        for (IdentityMerges.Suggestion s : merges.suggestions()) {
            table.row(s.into().id() + " " + Table.shorten(s.into().name(), 30), s.from().id() + " "
                    + Table.shorten(s.from().name(), 30), String.join("; ", s.reasons()),
                    s.blocker() == null ? "" : s.blocker(), s.command());
        }
        table.print(out);
        return 0;
    }

    @Command(name = "merges", mixinStandardHelpOptions = true, description = "Merges, newest first, standing and undone.")
    int list() {
        PrintWriter out = spec.commandLine().getOut();
        Table table = new Table("id", "into", "from", "by", "at", "moved", "state");
        for (IdentityMerges.MergeView m : merges.list(true)) {
            table.row(m.id(), m.into().id() + " " + Table.shorten(m.into().name(), 30), m.from().id() + " "
                            + Table.shorten(m.from().name(), 30), Table.who(m.mergedBy(), m.mergedVia()),
                    dev.merit.problem.Moments.of(m.mergedAt()),
                    Table.count(m.identities().size(), "identity", "identities") + ", "
                            + Table.count(m.credited(), "credited contribution", "credited contributions"),
                    m.standing() ? "standing" : "undone " + dev.merit.problem.Moments.of(m.unmergedAt()) + " by "
                            + Table.who(m.unmergedBy(), m.unmergedVia()));
        }
        table.print(out);
        return 0;
    }
}
