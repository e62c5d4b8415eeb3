package dev.merit.ingest.git;

import dev.merit.contributor.ActorRef;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code Co-authored-by: Name <email>} trailers from a commit message, a line at a time. Not a regular
 * expression: the one it replaces backtracked over blanks (a trailer line of 5,000 blanks and no address took over a
 * minute), and a commit message is anyone's text.
 */
public final class CoAuthors {

    private static final String TRAILER = "co-authored-by:";

    private CoAuthors() {
    }

    public static List<ActorRef> parse(String message) {
        List<ActorRef> result = new ArrayList<>();
        if (message == null) {
            return result;
        }
        int start = 0;
        while (start <= message.length()) {
            int end = message.indexOf('\n', start);
            if (end < 0) {
                end = message.length();
            }
            ActorRef co = trailer(message.substring(start, end));
            if (co != null) {
                result.add(co);
            }
            start = end + 1;
        }
        return result;
    }

    /**
     * The co-author a line names: {@code Co-authored-by:} (any case), a name, and an address in angle brackets ending
     * the line; the address is what follows the last {@code <} before the closing {@code >} that has no {@code >} in it.
     */
    private static ActorRef trailer(String line) {
        String s = line.strip();
        if (s.length() <= TRAILER.length() || !s.regionMatches(true, 0, TRAILER, 0, TRAILER.length()) || !s.endsWith(">")) {
            return null;
        }
        String inner = s.substring(TRAILER.length(), s.length() - 1);
        int open = inner.indexOf('<', inner.lastIndexOf('>') + 1);
        if (open < 0 || open == inner.length() - 1) {
            return null;
        }
        String email = inner.substring(open + 1).strip();
        return email.isEmpty() ? null : ActorRef.of(inner.substring(0, open).strip(), email);
    }
}
