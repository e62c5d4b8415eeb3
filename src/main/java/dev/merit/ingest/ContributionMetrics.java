package dev.merit.ingest;

import java.util.Map;
import java.util.TreeMap;

/**
 * Size of a contribution and how much of it is real work. The identity
 * {@code linesAdded + linesDeleted - sum(excluded) - whitespaceLines - movedLines - repeatedLines == effectiveLines}
 * always holds, so every discount can be shown as a factor.
 *
 * @param excluded lines in files that are not hand-written work, by category (generated, vendored, lockfile, minified)
 * @param whitespaceLines blank lines and lines whose only change was whitespace (both sides of the change)
 * @param movedLines lines deleted in one place and added unchanged in another (both sides)
 * @param repeatedLines lines of a replacement made again and again in the commit (search and replace, a rename),
 *                      both sides, all but the first of each kind; 0 in metrics stored before this rule
 */
public record ContributionMetrics(int linesAdded, int linesDeleted, int filesChanged, int binaryFiles,
                                  int renamedFiles, Map<String, Integer> excluded, int whitespaceLines,
                                  int movedLines, int repeatedLines, int effectiveLines) {

    public ContributionMetrics {
        excluded = excluded == null ? Map.of() : new TreeMap<>(excluded);
    }

    public static ContributionMetrics none() {
        return new ContributionMetrics(0, 0, 0, 0, 0, Map.of(), 0, 0, 0, 0);
    }

    /** For sources without diffs (reviews, issues): a fixed effective size the source chose. */
    public static ContributionMetrics ofEffective(int effectiveLines) {
        return new ContributionMetrics(0, 0, 0, 0, 0, Map.of(), 0, 0, 0, effectiveLines);
    }

    public int excludedLines() {
        return excluded.values().stream().mapToInt(Integer::intValue).sum();
    }
}
