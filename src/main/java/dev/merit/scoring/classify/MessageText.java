package dev.merit.scoring.classify;

/**
 * Reading a commit message for {@link CommitFeatures}: trailers (Signed-off-by, Co-authored-by, ...) that say nothing
 * about the change, issue-closing phrases, and ASCII lower-casing that agrees with Unicode's.
 */
final class MessageText {

    private MessageText() {
    }

    static final String[] CLOSING_VERBS = {"close", "closes", "closed", "fix", "fixs", "fixd", "resolve",
            "resolves", "resolved"};

    static final String[] TRAILER_KEYS = {"signed-off-by:", "co-authored-by:", "reviewed-by:", "change-id:", "cc:"};

    /**
     * Whether the text holds a character outside ASCII that lower-cases to ASCII letters (U+0130 I with dot above, to
     * "i" and a combining dot; U+212A Kelvin sign, to "k") or equals an ASCII letter ignoring case (U+0131 dotless i,
     * U+017F long s). These four are all there are (checked over every code point); any other character outside ASCII
     * stays outside it when lower-cased, so it separates words either way.
     */
    static boolean hasCaseFoldingToAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x130 && (c == '\u0130' || c == '\u0131' || c == '\u017f' || c == '\u212a')) {
                return true;
            }
        }
        return false;
    }

    static boolean isBlank(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (!Character.isWhitespace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether any line starts with a trailer key, checked in place (no lower-cased copy of the message). */
    static boolean hasTrailer(String text) {
        if (text.indexOf(':') < 0) {
            return false;
        }
        for (int start = 0; start < text.length(); ) {
            if (isTrailer(text, start)) {
                return true;
            }
            int end = text.indexOf('\n', start);
            if (end < 0) {
                break;
            }
            start = end + 1;
        }
        return false;
    }

    /** A message (its prefix removed; null as empty) as the features read it: trailers emptied, stripped. */
    static String readable(String strippedMessage) {
        String raw = strippedMessage == null ? "" : strippedMessage;
        return (hasTrailer(raw) ? withoutTrailers(raw) : raw).strip();
    }

    /** Lines that are trailers (Signed-off-by:, Co-authored-by:, Reviewed-by:, Change-Id:, Cc:) emptied. */
    static String withoutTrailers(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('\n', start);
            int stop = end < 0 ? text.length() : end;
            if (!isTrailer(text, start)) {
                out.append(text, start, stop);
            }
            if (end < 0) {
                break;
            }
            out.append('\n');
            start = end + 1;
        }
        return out.toString();
    }

    static boolean isTrailer(String text, int lineStart) {
        if (lineStart >= text.length()) {
            return false;
        }
        char first = lowerAscii(text.charAt(lineStart));
        if (first < 0x80 && first != 's' && first != 'c' && first != 'r') {
            return false; // no key can match (non-ASCII letters may equal a key's letter ignoring case)
        }
        for (String key : TRAILER_KEYS) {
            if (text.regionMatches(true, lineStart, key, 0, key.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * "close(s|d) #N", "fix(s|d) #N", "resolve(s|d) #N" anywhere in text that is lower-cased, or as read (then the
     * verb is compared ignoring case, which without {@link #hasCaseFoldingToAscii} characters is exactly lower-casing
     * first).
     */
    static boolean closesAnIssue(String text, boolean asRead) {
        for (int i = text.indexOf(" #"); i >= 0; i = text.indexOf(" #", i + 1)) {
            if (i + 2 < text.length() && text.charAt(i + 2) >= '0' && text.charAt(i + 2) <= '9') {
                for (String verb : CLOSING_VERBS) {
                    if (i >= verb.length() && text.regionMatches(asRead, i - verb.length(), verb, 0, verb.length())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    static boolean hasDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    static char lowerAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
}
