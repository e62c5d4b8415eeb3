package dev.merit.ingest.git;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** git's .mailmap: maps the name and e-mail a commit recorded to the person's canonical ones. */
public final class Mailmap {

    public record Entry(String name, String email) {
    }

    private static final Pattern EMAIL = Pattern.compile("<([^>]*)>");

    private final Map<String, Entry> byEmail = new HashMap<>();
    private final Map<String, Entry> byNameAndEmail = new HashMap<>();

    public static Mailmap empty() {
        return new Mailmap();
    }

    public static Mailmap parse(String text) {
        Mailmap map = new Mailmap();
        for (String rawLine : text.split("\\R")) {
            String line = rawLine.contains("#") ? rawLine.substring(0, rawLine.indexOf('#')) : rawLine;
            Matcher m = EMAIL.matcher(line);
            if (!m.find()) {
                continue;
            }
            String properName = blankToNull(line.substring(0, m.start()).strip());
            String firstEmail = m.group(1).strip();
            int afterFirst = m.end();
            if (m.find()) {
                String commitName = blankToNull(line.substring(afterFirst, m.start()).strip());
                String commitEmail = m.group(1).strip().toLowerCase(Locale.ROOT);
                Entry entry = new Entry(properName, firstEmail.isEmpty() ? null : firstEmail);
                if (commitName != null) {
                    map.byNameAndEmail.put(commitName.toLowerCase(Locale.ROOT) + "\u0000" + commitEmail, entry);
                } else {
                    map.byEmail.put(commitEmail, entry);
                }
            } else if (properName != null) {
                map.byEmail.put(firstEmail.toLowerCase(Locale.ROOT), new Entry(properName, null));
            }
        }
        return map;
    }

    /** The canonical (name, e-mail) for a commit's (name, e-mail); parts the map does not change stay. */
    public Entry map(String name, String email) {
        String e = email == null ? "" : email.toLowerCase(Locale.ROOT);
        Entry hit = byNameAndEmail.get((name == null ? "" : name.toLowerCase(Locale.ROOT)) + "\u0000" + e);
        if (hit == null) {
            hit = byEmail.get(e);
        }
        if (hit == null) {
            return new Entry(name, email);
        }
        return new Entry(hit.name() != null ? hit.name() : name, hit.email() != null ? hit.email() : email);
    }

    public boolean isEmpty() {
        return byEmail.isEmpty() && byNameAndEmail.isEmpty();
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
