package dev.merit.problem;

import java.util.regex.Pattern;

/**
 * A clone URL may carry a token ({@code https://x-access-token:TOKEN@github.com/acme/widget.git}: JGit is given no
 * other credentials, so that is how a private repository is ingested). It never leaves Merit: every problem's detail,
 * every repository view and every log line that shows a location shows {@code https://***@github.com/...} instead.
 */
public final class Redaction {

    private static final Pattern USERINFO = Pattern.compile("(?<=://)[^/@\\s]+@");

    private Redaction() {
    }

    /**
     * A node's URL as it may be shown: scheme, host and port only. An RPC provider's key is often the path
     * ({@code https://mainnet.infura.io/v3/KEY}) or the user information; neither is shown ({@code /…} says a path was
     * there). Null stays null.
     */
    public static String endpoint(String url) {
        if (url == null) {
            return null;
        }
        try {
            java.net.URI uri = java.net.URI.create(url.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return redact(url);
            }
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/") ? "" : "/…";
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + path
                    + (uri.getRawQuery() == null ? "" : "?…");
        } catch (IllegalArgumentException e) {
            return redact(url);
        }
    }

    /** {@code text} with the user information of every URL in it replaced by {@code ***}; null stays null. */
    public static String redact(String text) {
        return text == null || text.indexOf('@') < 0 ? text : USERINFO.matcher(text).replaceAll("***@");
    }
}
