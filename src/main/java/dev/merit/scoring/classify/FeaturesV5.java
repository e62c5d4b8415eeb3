package dev.merit.scoring.classify;

import dev.merit.scoring.train.CommitLabels;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What features-v5 adds to features-v4, after the subject's words: signs that a commit undoes or restates another
 * commit, which a Conventional Commits prefix hides behind: the message left once the prefix is gone is itself a
 * quoted commit subject ({@code "feat: add x"}) or starts with another type ({@code revert: feat: add x} leaves
 * {@code feat: add x}: {@code nested=feature}), or says {@code This reverts commit} somewhere; and after the size
 * features, whether as many lines were added as deleted ({@code balanced}: reformatting, renaming and linting change
 * lines in place) or nearly so ({@code nearbalanced}, within a tenth).
 */
final class FeaturesV5 {

    private static final Pattern NESTED = Pattern.compile("^[\"'`]?([A-Za-z]+)(\\([^)\\n]*\\))?!?:");
    private static final Pattern REVERTS = Pattern.compile("this reverts commit", Pattern.CASE_INSENSITIVE);

    private FeaturesV5() {
    }

    /**
     * @param text    the message without its prefix and trailers, as written
     * @param subject its first line, lower-cased
     * @param words   the subject's words
     */
    static void afterSubject(String text, String subject, List<String> words, Consumer<String> add) {
        if (!text.isEmpty()) {
            char first = text.charAt(0);
            if (first == '"' || first == '\'' || first == '`' || first == '\u201c') {
                add.accept("quoted");
            }
            Matcher nested = NESTED.matcher(text);
            if (nested.find()) {
                CommitLabels.typeOf(nested.group(1))
                        .ifPresent(t -> add.accept("nested=" + t.label().toLowerCase(Locale.ROOT)));
            }
            if (text.length() > subject.length() && REVERTS.matcher(text).find()) {
                add.accept("reverts");
            }
        }
    }

    /** Lines added and deleted over all files: changed in place, or nearly. */
    static void afterSizes(long added, long deleted, Consumer<String> add) {
        if (added > 0 && added == deleted) {
            add.accept("balanced");
        } else if (added + deleted >= 10 && 10 * Math.abs(added - deleted) <= added + deleted) {
            add.accept("nearbalanced");
        }
    }
}
