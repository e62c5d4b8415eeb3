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

    /** {@code text} without NUL characters; null stays null. */
    public static String clean(String text) {
        return text == null || text.indexOf('\0') < 0 ? text : text.replace("\0", "");
    }

    /** A label of at most {@code max} characters, cut with an ellipsis; NULs removed. */
    public static String fit(String text, int max) {
        String clean = clean(text);
        return clean == null || clean.length() <= max ? clean : clean.substring(0, max - 1) + "…";
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
            return clean.substring(0, max - 65) + "#" + digest;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
