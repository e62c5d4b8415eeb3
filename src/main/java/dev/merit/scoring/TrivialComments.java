package dev.merit.scoring;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Comments that are reactions, not contributions: "+1", "LGTM", "thanks!", "any update?", a quote of someone else with
 * "same here" under it. Each comment on a different issue earns its points, so such comments were the cheapest way to
 * collect pay (the gaming SourceCred's users saw). A comment is trivial when, once quoted lines, @mentions, links and
 * emoji are left out, it has fewer than the configured number of words, or is one of a few stock phrases. Code counts
 * as words; so does each pair of CJK characters, which are written without spaces.
 */
public final class TrivialComments {

    private static final Pattern LINK = Pattern.compile("(?i)\\bhttps?://\\S+");
    private static final Pattern MENTION = Pattern.compile("(?<![\\w.])@[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Pattern SHORTCODE = Pattern.compile(":[a-z0-9_+-]+:");
    /** Whole comments (lower-cased, punctuation and emoji left out) that say no more than a reaction does. */
    public static final Set<String> STOCK_PHRASES = Set.of("thank you", "thanks a lot", "thank you very much",
            "thank you so much", "thanks so much", "many thanks", "same here", "me too", "same issue", "same problem",
            "same for me", "any update", "any updates", "any news", "any progress", "looks good to me", "looks good",
            "great work", "nice work", "good job", "well done", "great job", "nice one", "works for me");

    private TrivialComments() {
    }

    /** Why the comment is trivial, or empty when it says something. {@code minWords} 0 turns the rule off. */
    public static Optional<String> why(String body, int minWords) {
        if (minWords <= 0) {
            return Optional.empty();
        }
        String text = substance(body == null ? "" : body);
        double words = words(text);
        String excerpt = excerpt(body == null ? "" : body.strip());
        if (words < minWords) {
            return Optional.of("a reaction, not a contribution: \"" + excerpt + "\" has " + (words == 0 ? "no"
                    : "fewer than " + minWords) + " words of its own (quotes, mentions, links and emoji left out)");
        }
        String phrase = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
        if (STOCK_PHRASES.contains(phrase)) {
            return Optional.of("a reaction, not a contribution: \"" + excerpt + "\" is a stock phrase");
        }
        return Optional.empty();
    }

    /** The text without quoted lines, mentions, links and emoji shortcodes; fenced code is kept. */
    static String substance(String body) {
        StringBuilder out = new StringBuilder(body.length());
        boolean inCode = false;
        for (String line : body.split("\n", -1)) {
            if (line.contains("```")) {
                inCode = !inCode;
                out.append(line.replace("```", " ")).append('\n');
                continue;
            }
            if (!inCode && line.stripLeading().startsWith(">")) {
                continue;
            }
            out.append(line).append('\n');
        }
        String text = LINK.matcher(out).replaceAll(" ");
        text = MENTION.matcher(text).replaceAll(" ");
        return SHORTCODE.matcher(text).replaceAll(" ");
    }

    /** Runs of letters and digits; characters of scripts written without spaces count half a word each. */
    static double words(String text) {
        double words = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (isUnspaced(cp)) {
                words += 0.5;
                inWord = false;
            } else if (Character.isLetterOrDigit(cp)) {
                if (!inWord) {
                    words++;
                }
                inWord = true;
            } else {
                inWord = false;
            }
        }
        return words;
    }

    private static boolean isUnspaced(int cp) {
        Character.UnicodeScript script = Character.UnicodeScript.of(cp);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.THAI;
    }

    private static String excerpt(String body) {
        String oneLine = body.replaceAll("\\s+", " ");
        return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...";
    }
}
