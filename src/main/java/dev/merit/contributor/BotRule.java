package dev.merit.contributor;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Recognises automation accounts by name or e-mail: a "[bot]" suffix, the configured markers (well-known bots and
 * coding agents that sign commits as co-authors), and an account named "... Bot" whose e-mail says bot as well
 * ("OpenFeature Bot &lt;openfeaturebot@users.noreply.github.com&gt;", "Step Security Bot &lt;bot@stepsecurity.io&gt;"), or
 * "... Robot" ("Angular Robot &lt;angular-robot@google.com&gt;"). A person whose name merely ends in Bot or Robot is not
 * one unless their e-mail's local part also contains "bot".
 */
public final class BotRule {

    /** "bot" or "robot" as the name's last word: "OpenFeature Bot", "release-bot", "ci_bot", "Angular Robot". */
    private static final Pattern BOT_WORD = Pattern.compile("(?:^|[^a-z0-9])(?:ro)?bot$");

    private final List<String> markers;

    public BotRule(List<String> markers) {
        this.markers = markers.stream().map(m -> m.toLowerCase(Locale.ROOT).strip()).filter(m -> !m.isEmpty())
                .toList();
    }

    public boolean isBot(String name, String email) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT).strip();
        String e = email == null ? "" : email.toLowerCase(Locale.ROOT).strip();
        if (n.endsWith("[bot]") || e.contains("[bot]")) {
            return true;
        }
        for (String marker : markers) {
            if (n.contains(marker) || e.contains(marker)) {
                return true;
            }
        }
        int at = e.indexOf('@');
        String local = at < 0 ? e : e.substring(0, at);
        return BOT_WORD.matcher(n).find() && local.contains("bot");
    }
}
