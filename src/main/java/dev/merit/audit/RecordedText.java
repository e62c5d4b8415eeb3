package dev.merit.audit;

import dev.merit.problem.ProblemException;

/**
 * Text a person gives that Merit records beside a decision: who decided ({@link #name}) and why ({@link #prose}).
 * One rule for every such field (bot marks, merges, disputes), so that what a maintainer types is refused or kept the
 * same way everywhere: stripped, within its length, a name on one line, prose with its line breaks (Windows' too)
 * and tabs as spaces, and never a control character, which a database may refuse (PostgreSQL refuses NUL) and a
 * screen cannot show, nor a Unicode line separator or bidirectional override, which change how the rest reads.
 */
public final class RecordedText {

    /** The longest name of who decided. */
    public static final int MAX_NAME = 255;

    private RecordedText() {
    }

    /** Who decided: one line of at most {@link #MAX_NAME} characters, or {@code otherwise} when none is given. */
    public static String name(String field, String value, String otherwise) {
        return name(field, value, MAX_NAME, otherwise);
    }

    /** A name of at most {@code max} characters (an epoch's), on the same rule. */
    public static String name(String field, String value, int max, String otherwise) {
        return text(field, value, max, false, otherwise);
    }

    /** Why: text with line breaks, at most {@code max} characters, or {@code otherwise} when none is given. */
    public static String prose(String field, String value, int max, String otherwise) {
        return text(field, value, max, true, otherwise);
    }

    private static String text(String field, String value, int max, boolean lines, String otherwise) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        // Characters of no width and no meaning (a zero-width space, a byte-order mark, a word joiner) come with text
        // pasted from elsewhere: removed, not refused. A name is kept in one Unicode form (NFC), so that two that look
        // alike ("café" composed, and decomposed) are one.
        String t = lines ? NO_WIDTH.matcher(value).replaceAll("").strip().replace("\r\n", "\n").replace('\r', '\n')
                .replace('\t', ' ') : sameName(value);
        if (t.length() > max) {
            throw ProblemException.invalid("'" + field + "' is at most " + max + " characters (" + t.length() + " given).");
        }
        if (t.chars().anyMatch(ch -> (Character.isISOControl(ch) && (!lines || ch != '\n')) || invisible(ch))) {
            throw ProblemException.invalid("'" + field + "' holds a control character" + (lines
                    ? ": only text and line breaks." : " (a name is one line of text)."));
        }
        if (!visible(t)) { // an answer of one no-break space rejected a dispute for good with nothing said
            throw ProblemException.invalid("'" + field + "' has no visible character.");
        }
        int hidden = lines ? -1 : hiddenInName(t);
        if (hidden >= 0) {
            // "x\u200fy" beside "xy": two epochs whose names read the same. (A zero-width joiner stays: emoji need it.)
            throw ProblemException.invalid(String.format("'%s' holds a character that is not seen (U+%04X): two "
                    + "names would read the same. Type the name without it.", field, hidden));
        }
        if (loneSurrogate(t)) {
            // Half of a character (JSON's "\ud800" alone): not text. A database stores it as '?' or refuses it, and a
            // hash over the text then covers other bytes than the ones recorded.
            throw ProblemException.invalid("'" + field + "' holds half of a character (an unpaired UTF-16 surrogate): "
                    + "send text.");
        }
        return t;
    }

    /**
     * Whether {@code t} has a character a person sees: not only spaces of any kind (a no-break space, an ideographic
     * one), marks with nothing to mark, characters made to look blank (the Hangul fillers, the blank Braille pattern)
     * or control, format and tag characters.
     */
    public static boolean visible(String t) {
        return t.codePoints().anyMatch(cp -> !Character.isWhitespace(cp) && !Character.isSpaceChar(cp) && !unseen(cp)
                && Character.getType(cp) != Character.NON_SPACING_MARK
                && Character.getType(cp) != Character.ENCLOSING_MARK
                && cp != 0x115F && cp != 0x1160 && cp != 0x3164 && cp != 0xFFA0 && cp != 0x2800);
    }

    /**
     * The first character a name does not keep, or -1: a format character (a direction mark, a soft hyphen, an
     * invisible operator, a tag outside a flag), the combining grapheme joiner, and the fillers that look blank. Kept:
     * the zero-width non-joiner and joiner, which Persian, Arabic and Indic spelling and emoji sequences need, and the
     * tags that spell a flag after U+1F3F4 (England's, Scotland's, Wales's).
     */
    private static int hiddenInName(String t) {
        boolean flag = false;
        for (int cp : t.codePoints().toArray()) {
            boolean tag = cp >= 0xE0020 && cp <= 0xE007F;
            if (tag && flag) {
                flag = cp != 0xE007F; // the cancel tag ends the flag
                continue;
            }
            flag = cp == 0x1F3F4;
            if ((Character.getType(cp) == Character.FORMAT && cp != 0x200C && cp != 0x200D) || cp == 0x034F
                    || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0 || cp == 0x2800) {
                return cp;
            }
        }
        return -1;
    }

    /** Whether {@code t} has a UTF-16 surrogate that is not half of a pair. */
    public static boolean loneSurrogate(String t) {
        return t.codePoints().anyMatch(RecordedText::halfCharacter);
    }

    /**
     * A code point a person does not see for what it is: a control character (NUL), a format character (a direction
     * override, a zero-width space) or half of a character.
     */
    public static boolean unseen(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE;
    }

    /** A code point that is a lone surrogate: {@link String#codePoints} yields a pair as one code point, a half as itself. */
    static boolean halfCharacter(int codePoint) {
        return codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE;
    }

    /** Characters of no width and no meaning: a zero-width space, a word joiner, a byte-order mark. */
    private static final java.util.regex.Pattern NO_WIDTH = java.util.regex.Pattern.compile("[\u200B\u2060\uFEFF]");

    /**
     * A name as {@link #name} keeps it (no zero-width characters, NFC, stripped), to look one up by: an epoch named
     * with a pasted zero-width space or in decomposed form is found by its name as typed.
     */
    public static String sameName(String name) {
        return java.text.Normalizer.normalize(NO_WIDTH.matcher(name).replaceAll("").strip(),
                java.text.Normalizer.Form.NFC);
    }

    /**
     * Characters that change how the text around them reads without being seen: Unicode's line and paragraph
     * separators (a second line in a name) and the bidirectional embeddings, overrides and isolates (which can show a
     * recorded name or reason in another order than it was written).
     */
    private static boolean invisible(int ch) {
        return ch == '\u2028' || ch == '\u2029' || (ch >= '\u202A' && ch <= '\u202E') || (ch >= '\u2066' && ch <= '\u2069');
    }
}
