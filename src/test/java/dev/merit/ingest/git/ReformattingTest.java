package dev.merit.ingest.git;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ReformattingTest {

    private static DiffLines find(String before, String after) {
        HashedText a = new HashedText(before.getBytes(StandardCharsets.UTF_8));
        HashedText b = new HashedText(after.getBytes(StandardCharsets.UTF_8));
        return Reformatting.find(a, b, GitLineDiff.diff(a, b));
    }

    @Test
    void blackStyleRewrapsRequotesAndTrailingCommasAreReformatting() {
        // As black rewrote flask in 2019: quotes, a call joined onto one line, a magic trailing comma.
        DiffLines r = find("""
                import os
                x = foo('a',
                        'b')
                y = bar(1, 2)
                z = dict(
                    key='v'
                )
                """, """
                import os
                x = foo("a", "b")
                y = bar(1, 2)
                z = dict(
                    key="v",
                )
                """);
        assertThat(r.deleted().stream().toArray()).containsExactly(1, 2, 5);
        assertThat(r.added().stream().toArray()).containsExactly(1, 4);
    }

    @Test
    void aHunkThatChangesCodeIsNotReformattingEvenIfItAlsoRewraps() {
        DiffLines r = find("""
                x = foo('a',
                        'b')
                """, """
                x = foo("a", "c")
                """);
        assertThat(r.isEmpty()).isTrue();
        assertThat(find("a = 1\n", "a = 2\n").isEmpty()).isTrue();
        assertThat(find("f(a, b)\n", "f(a)\n").isEmpty()).as("dropping an argument is not a trailing comma").isTrue();
        assertThat(find("a\n", "a\nb\n").isEmpty()).as("pure additions").isTrue();
        assertThat(find("a\nb\n", "a\n").isEmpty()).as("pure deletions").isTrue();
        assertThat(find("x\n\n", "x\n  \n").isEmpty()).as("nothing but whitespace on both sides").isTrue();
    }

    @Test
    void separateHunksAreJudgedSeparately() {
        DiffLines r = find("""
                a = f('x')
                keep
                b = 1
                keep too
                c = [1,
                     2]
                """, """
                a = f("x")
                keep
                b = 2
                keep too
                c = [1, 2]
                """);
        assertThat(r.deleted().stream().toArray()).containsExactly(0, 4, 5);
        assertThat(r.added().stream().toArray()).containsExactly(0, 4);
    }
}
