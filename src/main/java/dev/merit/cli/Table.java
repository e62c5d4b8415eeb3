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
     * script, full-width forms, emoji), none for a combining mark, a format character or a skin tone, one for the
     * rest; emoji joined by a zero-width joiner show as one. A table of Chinese and Latin names lines up.
     */
    static int columns(String s) {
        int n = 0;
        boolean joined = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (cp == 0x200d) {
                joined = true; // the next emoji is drawn into the one before
                continue;
            }
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
                    || (cp >= 0x1f3fb && cp <= 0x1f3ff) || (cp >= 0x1160 && cp <= 0x11ff) || joined) {
                joined = false;
                continue;
            }
            n += wide(cp) ? 2 : 1;
        }
        return n;
    }

    /**
     * East Asian Wide and Full-width code points (Unicode's EastAsianWidth W and F) and emoji shown wide: the blocks
     * of CJK script and full-width forms, the pictograph blocks, and the emoji among the older symbols.
     */
    private static boolean wide(int cp) {
        if (cp < 0x1100) {
            return false;
        }
        return (cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) || (cp >= 0x3041 && cp <= 0x33ff)
                || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf)
                || (cp >= 0xa960 && cp <= 0xa97f) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff)
                || (cp >= 0xfe10 && cp <= 0xfe19) || (cp >= 0xfe30 && cp <= 0xfe6f) || (cp >= 0xff00 && cp <= 0xff60)
                || (cp >= 0xffe0 && cp <= 0xffe6) || cp == 0x1f004 || cp == 0x1f0cf
                || (cp >= 0x1f18e && cp <= 0x1f19a) || (cp >= 0x1f200 && cp <= 0x1f2ff)
                || (cp >= 0x1f300 && cp <= 0x1f64f) || (cp >= 0x1f680 && cp <= 0x1f6ff)
                || (cp >= 0x1f7e0 && cp <= 0x1f7eb) || (cp >= 0x1f900 && cp <= 0x1f9ff)
                || (cp >= 0x1fa70 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd)
                || WIDE_SYMBOLS.indexOf(cp) >= 0;
    }

    /** Emoji among the older symbols that terminals draw two columns wide (EastAsianWidth W below U+3000). */
    private static final String WIDE_SYMBOLS = "\u231a\u231b\u2329\u232a\u23e9\u23ea\u23eb\u23ec\u23f0\u23f3"
            + "\u25fd\u25fe\u2614\u2615\u2648\u2649\u264a\u264b\u264c\u264d\u264e\u264f\u2650\u2651\u2652"
            + "\u2653\u267f\u2693\u26a1\u26aa\u26ab\u26bd\u26be\u26c4\u26c5\u26ce\u26d4\u26ea\u26f2\u26f3"
            + "\u26f5\u26fa\u26fd\u2705\u270a\u270b\u2728\u274c\u274e\u2753\u2754\u2755\u2757\u2795\u2796"
            + "\u2797\u27b0\u27bf\u2b1b\u2b1c\u2b50\u2b55";

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
        if (columns(one) <= max) {
            return one;
        }
        // By the columns a terminal shows (a Chinese name is cut at half the characters), between whole characters
        // as a person sees them (never half of an emoji, nor a letter without its accent).
        java.text.BreakIterator characters = java.text.BreakIterator.getCharacterInstance();
        characters.setText(one);
        int end = 0;
        for (int next = characters.next(); next != java.text.BreakIterator.DONE; next = characters.next()) {
            if (columns(one.substring(0, next)) > max - 1) {
                break;
            }
            end = next;
        }
        return one.substring(0, end) + "\u2026";
    }

    /** Who made a decision and how Merit knew it was a maintainer: "ana (with the maintainer token)". */
    static String who(String by, String via) {
        return shorten(by, 40) + (via == null ? "" : " (" + shorten(via, 70) + ")");
    }
}
