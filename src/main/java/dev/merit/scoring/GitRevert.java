package dev.merit.scoring;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises a commit that undoes another by the message git and the forges write for it, not by a project's
 * conventions: {@code git revert} writes the subject {@code Revert "<subject>"} and, as the body's first line,
 * {@code This reverts commit <sha>.}; GitHub's revert button writes {@code Revert "<title>"} and {@code Reverts
 * owner/repo#N}; a Conventional Commits author declares {@code revert:} (declaring a revert can only lower the pay, so
 * it is taken at its word). Only the subject and the body's first line count: a squash-merged pull request lists its
 * commits in its body, reverts of work-in-progress among them, and is not itself a revert.
 * A revert's lines are the reverted work's lines run backwards: paid at the revert weight, not as new work, so that
 * reverting and re-applying a change ({@code Revert "Revert "...""}) cannot earn it again.
 */
public final class GitRevert {

    private static final Pattern REVERTS_COMMIT = Pattern.compile("^This reverts commit ([0-9a-fA-F]{7,64})\\b");
    private static final Pattern REVERTS_PULL = Pattern.compile("^Reverts ([\\w.-]+/[\\w.-]+#\\d+)\\s*$");
    private static final Pattern REVERT_SUBJECT = Pattern.compile("^Revert \"");
    private static final Pattern DECLARED = Pattern.compile("^revert(\\([^)\\n]*\\))?!?:", Pattern.CASE_INSENSITIVE);

    private GitRevert() {
    }

    /**
     * Why this message is a revert ("reverts commit 1a2b3c4d", "reverts pallets/flask#12", "subject Revert \"...\"",
     * "declared revert:"), or empty when it is not one.
     */
    public static Optional<String> of(String message) {
        if (message == null || message.isEmpty()) {
            return Optional.empty();
        }
        String bodyLine = firstBodyLine(message);
        Matcher commit = REVERTS_COMMIT.matcher(bodyLine);
        if (commit.find()) {
            String sha = commit.group(1).toLowerCase(Locale.ROOT);
            return Optional.of("reverts commit " + sha.substring(0, Math.min(12, sha.length())));
        }
        Matcher pull = REVERTS_PULL.matcher(bodyLine);
        if (pull.find()) {
            return Optional.of("reverts " + pull.group(1));
        }
        if (REVERT_SUBJECT.matcher(message).find()) {
            return Optional.of("subject Revert \"...\"");
        }
        if (DECLARED.matcher(message).find()) {
            return Optional.of("declared revert:");
        }
        return Optional.empty();
    }

    /**
     * As {@link #of(String)} for a contribution: its whole message when the source keeps one (git: subject and body),
     * else its title; and the title on its own (a pull request titled {@code Revert "..."} whose description says
     * something else).
     */
    public static Optional<String> of(String title, String body) {
        return of(body != null && !body.isBlank() ? body : title).or(() -> of(title));
    }

    /**
     * The commit a revert names as git writes it ({@code This reverts commit <sha>.} as the body's first line), in
     * lower case; empty for any other message, a revert by a forge's words ({@code Reverts owner/repo#N}) included.
     */
    public static Optional<String> revertedCommit(String title, String body) {
        String message = body != null && !body.isBlank() ? body : title;
        if (message == null) {
            return Optional.empty();
        }
        Matcher commit = REVERTS_COMMIT.matcher(firstBodyLine(message));
        return commit.find() ? Optional.of(commit.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    /** The first non-blank line after the subject (the subject is the first line), or "". */
    private static String firstBodyLine(String message) {
        int end = message.indexOf('\n');
        while (end >= 0 && end < message.length()) {
            int start = end + 1;
            end = message.indexOf('\n', start);
            String line = message.substring(start, end < 0 ? message.length() : end).strip();
            if (!line.isEmpty()) {
                return line;
            }
            if (end < 0) {
                break;
            }
        }
        return "";
    }
}
