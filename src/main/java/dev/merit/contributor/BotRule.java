package dev.merit.contributor;

import java.util.List;
import java.util.Locale;

/** Recognises automation accounts by name or e-mail: "[bot]" suffixes and well-known bot names. */
public final class BotRule {

    private final List<String> markers;

    public BotRule(List<String> markers) {
        this.markers = markers.stream().map(m -> m.toLowerCase(Locale.ROOT)).toList();
    }

    public boolean isBot(String name, String email) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        String e = email == null ? "" : email.toLowerCase(Locale.ROOT);
        if (n.endsWith("[bot]") || e.contains("[bot]")) {
            return true;
        }
        for (String marker : markers) {
            if (n.contains(marker) || e.contains(marker)) {
                return true;
            }
        }
        return false;
    }
}
