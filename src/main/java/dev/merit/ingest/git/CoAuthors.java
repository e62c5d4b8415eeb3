package dev.merit.ingest.git;

import dev.merit.contributor.ActorRef;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code Co-authored-by: Name <email>} trailers from a commit message. */
public final class CoAuthors {

    private static final Pattern TRAILER =
            Pattern.compile("(?im)^\\s*co-authored-by:\\s*(.*?)\\s*<([^>]+)>\\s*$");

    private CoAuthors() {
    }

    public static List<ActorRef> parse(String message) {
        List<ActorRef> result = new ArrayList<>();
        if (message == null) {
            return result;
        }
        Matcher m = TRAILER.matcher(message);
        while (m.find()) {
            result.add(ActorRef.of(m.group(1), m.group(2).strip()));
        }
        return result;
    }
}
