package dev.merit.scoring.classify;

import java.util.Map;
import java.util.function.Consumer;

/**
 * What features-v6 adds to features-v5 besides reading only the body's first 40 words: in a change that touches more
 * than one kind of file, how much of it each kind is, by lines added and deleted, in quarters ({@code lshare=test3}:
 * three quarters or more of the lines are tests; {@code lshare=code0}: under a quarter is code). Which kinds a commit
 * touches said that a fix came with its test; how much of it the test is says whether the test is the work. Measured
 * in the model card (session 35): +0.22 points by repository group on 53 repositories, on top of the 40 words' +0.22.
 */
final class FeaturesV6 {

    private FeaturesV6() {
    }

    /** {@code linesByKind}: lines added and deleted per file kind, in the order the kinds were first seen. */
    static void lineShares(Map<String, Long> linesByKind, Consumer<String> add) {
        if (linesByKind.size() < 2) {
            return; // one kind is all of it: allkind= says so
        }
        long all = 0;
        for (long lines : linesByKind.values()) {
            all += lines;
        }
        if (all == 0) {
            return;
        }
        for (Map.Entry<String, Long> kind : linesByKind.entrySet()) {
            add.accept("lshare=" + kind.getKey() + (int) (4 * kind.getValue() / all));
        }
    }
}
