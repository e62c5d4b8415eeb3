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
            width[i] = columns(header.get(i));
            for (List<String> row : rows) {
                width[i] = Math.max(width[i], columns(row.get(i)));
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
            String pad = " ".repeat(width[i] - columns(c));
            sb.append(numeric ? pad + c : c + pad);
            sb.append("  ");
        }
        out.println(sb.toString().stripTrailing());
    }

    /**
     * How many columns of a terminal {@code s} takes: two for each wide character (Chinese, Japanese and Korean
     * script, full-width forms, most emoji), none for a combining mark or a format character (a joiner, a variation
     * selector), one for the rest. A table of Chinese and Latin names lines up.
     */
    static int columns(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
                    || (cp >= 0xfe00 && cp <= 0xfe0f)) {
                continue;
            }
            n += wide(cp) ? 2 : 1;
        }
        return n;
    }

    /** East Asian Wide and Full-width code points (Unicode's EastAsianWidth W and F), and emoji pictographs. */
    private static boolean wide(int cp) {
        return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) || (cp >= 0x3041 && cp <= 0x33ff)
                || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf)
                || (cp >= 0xa960 && cp <= 0xa97f) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff)
                || (cp >= 0xfe10 && cp <= 0xfe19) || (cp >= 0xfe30 && cp <= 0xfe6f) || (cp >= 0xff00 && cp <= 0xff60)
                || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) || (cp >= 0x1f900 && cp <= 0x1f9ff)
                || (cp >= 0x20000 && cp <= 0x3fffd);
    }

    /** Points as the dashboard writes them: "12.5", not "12.500000" (the stored scale); null is "-". */
    static String decimal(java.math.BigDecimal v) {
        return v == null ? "-" : v.stripTrailingZeros().toPlainString();
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
        if (one.codePointCount(0, one.length()) <= max) {
            return one;
        }
        return one.substring(0, one.offsetByCodePoints(0, max - 1)) + "\u2026"; // never half of an emoji
    }

    /** Who made a decision and how Merit knew it was a maintainer: "ana (with the maintainer token)". */
    static String who(String by, String via) {
        return shorten(by, 40) + (via == null ? "" : " (" + shorten(via, 70) + ")");
    }
}
