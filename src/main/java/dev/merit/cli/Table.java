package dev.merit.cli;

import java.util.Locale;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table with aligned columns; numbers right-aligned. */
final class Table {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... header) {
        this.header = List.of(header);
    }

    Table row(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(cell == null ? "" : printable(cell.toString()));
        }
        rows.add(row);
        return this;
    }

    /**
     * A cell as a terminal shows it: control characters (an author named "Eve\u001b[1A\u001b[2K" would erase the row
     * above hers in the payout the treasurer reviews) and direction overrides (which reorder what follows) read "?".
     */
    static String printable(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad = Character.isISOControl(c) || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                    || c == '\u200e' || c == '\u200f' || c == '\u061c';
            if (bad && b == null) {
                b = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (b != null) {
                b.append(bad ? '?' : c);
            }
        }
        return b == null ? s : b.toString();
    }

    /** A contributor's name, marked as a bot unless the name says so already ({@code dependabot[bot]}). */
    static String contributor(String displayName, boolean bot) {
        return bot && !displayName.toLowerCase(Locale.ROOT).contains("[bot]") ? displayName + " [bot]"
                : displayName;
    }

    void print(PrintWriter out) {
        int[] width = new int[header.size()];
        for (int i = 0; i < header.size(); i++) {
            width[i] = header.get(i).length();
            for (List<String> row : rows) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        line(out, header, width);
        StringBuilder rule = new StringBuilder();
        for (int w : width) {
            rule.append("-".repeat(w)).append("  ");
        }
        out.println(rule.toString().stripTrailing());
        rows.forEach(r -> line(out, r, width));
        out.flush();
    }

    private static void line(PrintWriter out, List<String> cells, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            boolean numeric = c.matches("-?[0-9][0-9.,]*%?");
            sb.append(numeric ? " ".repeat(width[i] - c.length()) + c : c + " ".repeat(width[i] - c.length()));
            sb.append("  ");
        }
        out.println(sb.toString().stripTrailing());
    }

    /** "1 identity", "2 identities": a count with its noun in the right number. */
    static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }

    /** A text's first line, cut to {@code max} characters with an ellipsis; null is empty. */
    static String shorten(String s, int max) {
        if (s == null) {
            return "";
        }
        String one = s.lines().findFirst().orElse("");
        return one.length() <= max ? one : one.substring(0, max - 1) + "\u2026";
    }

    /** Who made a decision and how Merit knew it was a maintainer: "ana (with the maintainer token)". */
    static String who(String by, String via) {
        return shorten(by, 40) + (via == null ? "" : " (" + shorten(via, 70) + ")");
    }
}
