package dev.merit.contributor;

import dev.merit.audit.IdSlices;
import dev.merit.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.hibernate.FlushMode;
import org.hibernate.Session;
import org.web3j.crypto.Keys;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Wallets linked in bulk by a maintainer: rows of (identity, address), each resolved to a contributor
 * ({@link IdentityLookup}) and checked ({@link Wallets#addressProblem}). A row links a wallet only where nothing is
 * overwritten: a contributor who has another wallet, or a wallet that is someone else's, is a conflict, reported and
 * left as it is (a maintainer changes one wallet at a time with {@code merit wallet}). The rows that are fine are
 * linked together in one transaction, settling the contributors' open wallet claims as any maintainer link does; a
 * dry run reports the same and changes nothing.
 */
@ApplicationScoped
public class WalletImport {

    public static final int MAX_ROWS = 10_000;
    public static final int MAX_BYTES = 2 * 1024 * 1024;

    public enum Outcome { LINKED, UNCHANGED, CONFLICT, ERROR }

    /** One row as given: its line in the file (or its position in a list, from 1). */
    public record Row(int line, String identity, String address) {
    }

    /** What a row did (or, in a dry run, would do), with the contributor it names and why. */
    public record RowReport(int line, String identity, Long contributorId, String name, String address, String outcome,
                            String reason) {

        public boolean failed() {
            return outcome.equals("conflict") || outcome.equals("error");
        }
    }

    public record Report(boolean dryRun, boolean applied, int rows, int linked, int unchanged, int conflicts, int errors,
                         List<RowReport> lines) {

        public boolean failed() {
            return conflicts + errors > 0;
        }
    }

    private final Wallets wallets;
    private final WalletClaims claims;

    public WalletImport(Wallets wallets, WalletClaims claims) {
        this.wallets = wallets;
        this.claims = claims;
    }

    /**
     * The rows of a CSV file with a header naming the columns {@code identity} and {@code address} (others are
     * ignored; quoted fields as RFC 4180). Refused as a whole: more than {@link #MAX_BYTES} bytes or {@link #MAX_ROWS}
     * rows (413), not UTF-8, no such header, or an unclosed quote (400).
     */
    public static List<Row> parseCsv(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw tooLarge("The file has " + bytes.length + " bytes; a wallet import takes at most " + MAX_BYTES
                    + " (2 MB). Split it.");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ProblemException.invalid("The file is not UTF-8 text: save the CSV as UTF-8.");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<Record> records = records(text);
        int header = 0;
        if (records.isEmpty()) {
            throw ProblemException.invalid("The file is empty: it needs a header line identity,address and a line per "
                    + "wallet.");
        }
        List<String> names = records.get(header).fields().stream().map(f -> f.strip().toLowerCase(Locale.ROOT)).toList();
        int identity = names.indexOf("identity");
        int address = names.indexOf("address");
        if (identity < 0 || address < 0) {
            String first = String.join(",", records.get(header).fields());
            throw ProblemException.invalid("Line " + records.get(header).line() + " must be the header identity,address "
                    + "(comma-separated), got '" + (first.length() > 80 ? first.substring(0, 80) + "..." : first) + "'.");
        }
        List<Row> rows = new ArrayList<>();
        for (Record r : records.subList(header + 1, records.size())) {
            List<String> f = r.fields();
            rows.add(new Row(r.line(), identity < f.size() ? f.get(identity) : null,
                    address < f.size() ? f.get(address) : null));
        }
        return rows;
    }

    /** Rows given as a list (the JSON form): numbered from 1. */
    public static List<Row> numbered(List<? extends Map.Entry<String, String>> pairs) {
        if (pairs.size() > MAX_ROWS) {
            throw tooLarge(pairs.size() + " rows; a wallet import takes at most " + MAX_ROWS + ". Split it.");
        }
        List<Row> rows = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            Map.Entry<String, String> p = pairs.get(i);
            rows.add(p == null ? new Row(i + 1, null, null) : new Row(i + 1, p.getKey(), p.getValue()));
        }
        return rows;
    }

    /** Checks every row; unless {@code dryRun}, links the wallets of the rows that are fine, all in one transaction. */
    @Transactional
    public Report run(List<Row> rows, boolean dryRun) {
        if (rows.size() > MAX_ROWS) {
            throw tooLarge(rows.size() + " rows; a wallet import takes at most " + MAX_ROWS + ". Split it.");
        }
        // Nothing is written until every row is checked, so no query of the checks flushes the session (which holds
        // a contributor per row: flushing it before each query made an import of 10,000 rows take minutes).
        Session session = Contributor.getEntityManager().unwrap(Session.class);
        FlushMode flush = session.getHibernateFlushMode();
        session.setHibernateFlushMode(FlushMode.MANUAL);
        List<Planned> planned = new ArrayList<>(rows.size());
        Map<Long, String> names = new HashMap<>();
        try {
            plan(rows, dryRun, planned, names);
        } finally {
            session.setHibernateFlushMode(flush);
        }
        if (!dryRun) {
            Map<Long, String> linking = new HashMap<>();
            planned.stream().filter(p -> p.outcome == Outcome.LINKED)
                    .forEach(p -> linking.put(p.contributorId, p.handle));
            wallets.linkChecked(linking);
            claims.settledByMaintainer(linking);
        }
        return report(rows.size(), dryRun, planned, names);
    }

    /** Settles each row's outcome (a row left unsettled by none of the checks is linked), reading in bulk. */
    private void plan(List<Row> rows, boolean dryRun, List<Planned> planned, Map<Long, String> names) {
        // Contributors named by number, read 1,000 a query (a row's lookup then finds them in the session).
        IdSlices.list(rows.stream().map(r -> IdentityLookup.number(r.identity())).filter(java.util.Objects::nonNull)
                .toList(), slice -> Contributor.<Contributor>list("id in ?1", slice));
        for (Row row : rows) {
            planned.add(resolve(row, names));
        }
        List<Long> named = planned.stream().filter(p -> p.outcome == null).map(p -> p.contributorId).distinct()
                .toList();
        if (!dryRun) { // what is checked below stays so until the links are made (another import, a claim proved)
            wallets.lock(named);
            // Merged into another since its row was read (the merge took the lock first): not this contributor's
            // wallet to link any more, as Wallets.link refuses it one at a time.
            Map<Long, Long> mergedSince = ContributorMerge.currentOf(named);
            for (Planned p : planned) {
                Long into = p.outcome == null ? mergedSince.get(p.contributorId) : null;
                if (into != null) {
                    p.settle(Outcome.CONFLICT, who(p.contributorId, names) + " was merged into #" + into
                            + " while the file was read: import the row again, for #" + into);
                }
            }
        }
        Map<String, Long> owners = new HashMap<>();
        IdSlices.list(planned.stream().filter(p -> p.outcome == null).map(p -> p.handle).distinct().toList(),
                        slice -> Identity.<Identity>list("kind = ?1 and handle in ?2", Identity.Kind.WALLET, slice))
                .forEach(i -> owners.putIfAbsent(i.handle, i.contributorId));
        Map<Long, String> current = new HashMap<>();
        IdSlices.list(named, slice -> Identity.<Identity>list("kind = ?1 and contributorId in ?2", Identity.Kind.WALLET,
                slice)).forEach(i -> current.putIfAbsent(i.contributorId, Keys.toChecksumAddress(i.handle)));
        // Within the file: one contributor, one wallet; one wallet, one contributor. Conflicting rows are all reported.
        Map<Long, Set<String>> walletsOf = new HashMap<>();
        Map<String, Set<Long>> ownersOf = new HashMap<>();
        Map<Long, List<Integer>> linesOf = new HashMap<>();
        Map<String, List<Integer>> linesWith = new HashMap<>();
        for (Planned p : planned) {
            if (p.outcome == null) {
                walletsOf.computeIfAbsent(p.contributorId, k -> new LinkedHashSet<>()).add(p.handle);
                ownersOf.computeIfAbsent(p.handle, k -> new LinkedHashSet<>()).add(p.contributorId);
                linesOf.computeIfAbsent(p.contributorId, k -> new ArrayList<>()).add(p.row.line());
                linesWith.computeIfAbsent(p.handle, k -> new ArrayList<>()).add(p.row.line());
            }
        }
        Map<String, Integer> firstLine = new HashMap<>();
        for (Planned p : planned) {
            if (p.outcome != null) {
                continue;
            }
            if (walletsOf.get(p.contributorId).size() > 1) {
                p.settle(Outcome.CONFLICT, "the file gives " + who(p.contributorId, names) + " different wallets (lines "
                        + lines(linesOf.get(p.contributorId)) + "); none of them is linked");
                continue;
            }
            if (ownersOf.get(p.handle).size() > 1) {
                p.settle(Outcome.CONFLICT, "the file gives wallet " + Keys.toChecksumAddress(p.handle) + " to "
                        + ownersOf.get(p.handle).size() + " contributors (lines " + lines(linesWith.get(p.handle))
                        + "); one wallet belongs to one person, so none is linked");
                continue;
            }
            String key = p.contributorId + " " + p.handle;
            Integer earlier = firstLine.putIfAbsent(key, p.row.line());
            if (earlier != null) {
                p.settle(Outcome.UNCHANGED, "the same as line " + earlier);
                continue;
            }
            Long owner = owners.get(p.handle);
            if (owner != null && !owner.equals(p.contributorId)) {
                p.settle(Outcome.CONFLICT, "wallet " + Keys.toChecksumAddress(p.handle) + " is already linked to "
                        + who(owner, names) + "; one wallet belongs to one person (not overwritten)");
                continue;
            }
            String has = current.get(p.contributorId);
            if (has != null && has.equalsIgnoreCase(p.handle)) {
                p.settle(Outcome.UNCHANGED, "already linked");
            } else if (has != null) {
                p.settle(Outcome.CONFLICT, who(p.contributorId, names) + " already has wallet " + has
                        + " (not overwritten: change it with merit wallet " + p.contributorId + " ADDRESS --replace)");
            } else {
                String linked = dryRun ? "would be linked" : "linked";
                // Linked all the same (an epoch's policy may pay bots), but the treasurer should know before paying.
                p.settle(Outcome.LINKED, p.bot ? linked + "; " + who(p.contributorId, names) + " is a bot account, which "
                        + "epochs pay only when their policy includes bots" : linked);
            }
        }
    }

    private static Report report(int rows, boolean dryRun, List<Planned> planned, Map<Long, String> names) {
        List<RowReport> lines = planned.stream().map(p -> new RowReport(p.row.line(), shorten(p.row.identity()),
                p.contributorId, p.contributorId == null ? null : names.get(p.contributorId),
                p.handle != null ? Keys.toChecksumAddress(p.handle) : shorten(p.row.address()),
                p.outcome.name().toLowerCase(Locale.ROOT), p.reason)).toList();
        Map<Outcome, Long> counts = planned.stream().collect(Collectors.groupingBy(p -> p.outcome, Collectors.counting()));
        return new Report(dryRun, !dryRun, rows, count(counts, Outcome.LINKED), count(counts, Outcome.UNCHANGED),
                count(counts, Outcome.CONFLICT), count(counts, Outcome.ERROR), lines);
    }

    private static final class Planned {
        final Row row;
        Long contributorId;
        String handle;
        boolean bot;
        Outcome outcome;
        String reason;

        Planned(Row row) {
            this.row = row;
        }

        Planned settle(Outcome outcome, String reason) {
            this.outcome = outcome;
            this.reason = reason;
            return this;
        }
    }

    private static Planned resolve(Row row, Map<Long, String> names) {
        Planned p = new Planned(row);
        IdentityLookup.Match match = IdentityLookup.resolve(row.identity());
        if (match.found()) {
            p.contributorId = match.contributorId();
            names.computeIfAbsent(p.contributorId, id -> Contributor.<Contributor>findByIdOptional(id)
                    .map(c -> c.displayName).orElse(null));
        }
        Optional<String> addressProblem = Wallets.addressProblem(row.address());
        if (addressProblem.isEmpty()) {
            p.handle = row.address().strip().toLowerCase(Locale.ROOT);
        }
        if (!match.found()) {
            String what = switch (match.outcome()) {
                case UNKNOWN -> "unknown identity: ";
                case AMBIGUOUS -> "ambiguous identity: ";
                default -> "invalid identity: ";
            };
            return p.settle(Outcome.ERROR, what + match.detail()
                    + addressProblem.map(a -> "; invalid address: " + a).orElse(""));
        }
        if (addressProblem.isPresent()) {
            return p.settle(Outcome.ERROR, "invalid address: " + addressProblem.get());
        }
        Optional<Contributor> c = Contributor.findByIdOptional(p.contributorId);
        if (c.isEmpty()) {
            return p.settle(Outcome.ERROR, "unknown identity: no contributor #" + p.contributorId);
        }
        p.bot = c.get().bot;
        if (match.detail().contains(" was merged into ")) {
            p.reason = match.detail();
        }
        return p;
    }

    private static String who(long contributorId, Map<Long, String> names) {
        String name = names.computeIfAbsent(contributorId, id -> Contributor.<Contributor>findByIdOptional(id)
                .map(c -> c.displayName).orElse(null));
        return "#" + contributorId + (name == null ? "" : " " + name);
    }

    private static String lines(List<Integer> lines) {
        return lines.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static int count(Map<Outcome, Long> counts, Outcome outcome) {
        return counts.getOrDefault(outcome, 0L).intValue();
    }

    private static String shorten(String s) {
        if (s == null) {
            return null;
        }
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }

    private static ProblemException tooLarge(String detail) {
        return new ProblemException(ProblemException.Kind.TOO_LARGE, "import-too-large", "Import too large", detail,
                Map.of("maxRows", MAX_ROWS, "maxBytes", MAX_BYTES));
    }

    /** One CSV record: the line it starts on, its fields. */
    private record Record(int line, List<String> fields) {
    }

    /**
     * RFC 4180 records: comma-separated, fields in double quotes may hold commas, quotes ("") and line breaks. Blank
     * lines are left out; more records than a header and {@link #MAX_ROWS} rows, or a record of more than
     * {@link #MAX_COLUMNS} fields, refuse the file as soon as they show.
     */
    private static List<Record> records(String text) {
        List<Record> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean started = false; // a character other than blanks in this field
        int line = 1;
        int start = 1;
        boolean quoted = false;
        int quoteLine = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (ch == '\n') {
                        line++;
                    }
                    field.append(ch);
                }
                continue;
            }
            if (ch == '"' && !started) {
                field.setLength(0);
                quoted = true;
                started = true;
                quoteLine = line;
            } else if (ch == ',') {
                addField(fields, field, line);
                started = false;
            } else if (ch == '\r' || ch == '\n') {
                if (ch == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                addField(fields, field, line);
                started = false;
                addRecord(records, start, fields);
                line++;
                start = line;
            } else {
                field.append(ch);
                started |= !Character.isWhitespace(ch);
            }
        }
        if (quoted) {
            throw ProblemException.invalid("Line " + quoteLine + ": a quoted field is not closed (a \" is missing).");
        }
        if (field.length() > 0 || !fields.isEmpty()) {
            addField(fields, field, line);
            addRecord(records, start, fields);
        }
        return records;
    }

    private static final int MAX_COLUMNS = 64;

    private static void addField(List<String> fields, StringBuilder field, int line) {
        if (fields.size() == MAX_COLUMNS) {
            throw ProblemException.invalid("Line " + line + " has more than " + MAX_COLUMNS + " fields: this is not a "
                    + "wallet list (identity,address).");
        }
        fields.add(field.length() == 0 ? "" : field.toString());
        field.setLength(0);
    }

    private static void addRecord(List<Record> records, int line, List<String> fields) {
        boolean blank = fields.stream().allMatch(String::isBlank);
        if (!blank) {
            if (records.size() > MAX_ROWS) {
                throw tooLarge("The file has more than " + MAX_ROWS + " rows; a wallet import takes at most "
                        + MAX_ROWS + ". Split it.");
            }
            records.add(new Record(line, List.copyOf(fields)));
        }
        fields.clear();
    }
}
