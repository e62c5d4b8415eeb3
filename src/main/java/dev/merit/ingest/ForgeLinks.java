package dev.merit.ingest;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Links to a commit on the forge a repository was cloned from, so a contributor can open the change a score is
 * about. Known forges only (GitHub, GitLab, Bitbucket, Codeberg): a local path or an unknown host has no link.
 */
public final class ForgeLinks {

    private static final Pattern HTTPS = Pattern.compile("^(?:https?|ssh|git)://(?:[^@/]+@)?([^/:]+)(?::\\d+)?/(.+?)(?:\\.git)?/?$");
    private static final Pattern SCP = Pattern.compile("^[^@/\\s]+@([^/:\\s]+):(.+?)(?:\\.git)?/?$");
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{7,64}");
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9._~-]+(?:/[A-Za-z0-9._~-]+)+");

    private ForgeLinks() {
    }

    /** The commit's page on its forge; null when the location is not a known forge's or the id is not a SHA. */
    public static String commit(String location, String sha) {
        if (location == null || sha == null || !SHA.matcher(sha).matches()) {
            return null;
        }
        Matcher m = HTTPS.matcher(location.strip());
        if (!m.matches()) {
            m = SCP.matcher(location.strip());
            if (!m.matches()) {
                return null;
            }
        }
        String host = m.group(1).toLowerCase(Locale.ROOT);
        String path = m.group(2);
        if (!PATH.matcher(path).matches()) {
            return null;
        }
        return switch (host) {
            case "github.com", "codeberg.org" -> "https://" + host + "/" + path + "/commit/" + sha;
            case "gitlab.com" -> "https://gitlab.com/" + path + "/-/commit/" + sha;
            case "bitbucket.org" -> "https://bitbucket.org/" + path + "/commits/" + sha;
            default -> null;
        };
    }
}
