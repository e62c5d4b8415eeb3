package dev.merit.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Text from outside (a forge's webhook, a commit's author line, a Kafka event) made to fit the column it is stored
 * in: no NUL character (PostgreSQL text cannot hold one: the insert failed, and with it the whole delivery or ingest),
 * and no more characters than the column holds. A label is cut with an ellipsis; an identifier (an external id, an
 * e-mail handle) is never cut into another one's: a long one keeps its start and a SHA-256 of the whole, so two
 * different ones stay different and the same one always maps to the same key.
 */
public final class StoredText {

    private StoredText() {
    }

    /**
     * {@code text} without NUL characters, and with U+FFFD for half a character (an unpaired UTF-16 surrogate, which
     * a database stores as '?' or refuses); null stays null.
     */
    public static String clean(String text) {
        String t = text == null || text.indexOf('\0') < 0 ? text : text.replace("\0", "");
        if (t == null || !RecordedText.loneSurrogate(t)) {
            return t;
        }
        return t.codePoints().map(cp -> RecordedText.halfCharacter(cp) ? '\uFFFD' : cp)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    /**
     * A label of at most {@code max} characters, cut with an ellipsis (never inside a character); cleaned, and without
     * bidirectional embeddings, overrides and isolates: a pull request titled with a right-to-left override showed
     * reversed on every page that lists it (an identifier keeps them: {@link #key} maps the same text to the same key).
     */
    public static String fit(String text, int max) {
        String clean = clean(text);
        if (clean != null && clean.codePoints().anyMatch(StoredText::directional)) {
            clean = clean.codePoints().filter(cp -> !directional(cp))
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        }
        if (clean == null || clean.length() <= max) {
            return clean;
        }
        return upTo(clean, max - 1) + "…";
    }

    private static boolean directional(int cp) {
        return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
    }

    /** The first {@code end} characters of {@code text}, one fewer when the cut would split a surrogate pair. */
    private static String upTo(String text, int end) {
        return text.substring(0, Character.isLowSurrogate(text.charAt(end)) ? end - 1 : end);
    }

    /** An identifier of at most {@code max} characters (max > 65) that stays unique; NULs removed. */
    public static String key(String text, int max) {
        String clean = clean(text);
        if (clean == null || clean.length() <= max) {
            return clean;
        }
        try {
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(clean.getBytes(StandardCharsets.UTF_8)));
            return upTo(clean, max - 65) + "#" + digest;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
