package dev.merit.problem;

import java.util.regex.Pattern;

/**
 * A clone URL may carry a token ({@code https://x-access-token:TOKEN@github.com/acme/widget.git}: JGit is given no
 * other credentials, so that is how a private repository is ingested). It never leaves Merit: every problem's detail,
 * every repository view and every log line that shows a location shows {@code https://***@github.com/...} instead.
 */
public final class Credentials {

    private static final Pattern USERINFO = Pattern.compile("(?<=://)[^/@\\s]+@");

    private Credentials() {
    }

    /** {@code text} with the user information of every URL in it replaced by {@code ***}; null stays null. */
    public static String redact(String text) {
        return text == null || text.indexOf('@') < 0 ? text : USERINFO.matcher(text).replaceAll("***@");
    }
}
