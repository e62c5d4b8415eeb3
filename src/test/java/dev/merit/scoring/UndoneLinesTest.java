package dev.merit.scoring;

import dev.merit.ingest.ChangedLines;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UndoneLinesTest {

    private static long[] keys(long from, long to) {
        return LongStream.range(from, to).toArray();
    }

    private static UndoneLines.Commit commit(long id, long[] added, long[] deleted) {
        return new UndoneLines.Commit(id, sha(id), new ChangedLines(added, deleted));
    }

    private static String sha(long id) {
        return String.valueOf(id).repeat(40).substring(0, 40);
    }

    private static long undone(Map<Long, Factor> factors, long id) {
        Factor f = factors.get(id);
        return f == null ? 0 : -f.value().longValueExact();
    }

    @Test
    void codeMovedInTwoCommitsIsPaidInNeither() {
        // Out with the old (deletes 100 lines), in with the new (adds them elsewhere, and 5 lines of its own).
        List<UndoneLines.Commit> commits = List.of(commit(1, keys(0, 0), keys(0, 100)), commit(2, keys(0, 105), keys(0, 0)));
        Map<Long, Factor> factors = UndoneLines.pair(commits, Map.of(1L, "7", 2L, "7"), "epoch");
        assertThat(undone(factors, 1)).isEqualTo(100);
        assertThat(undone(factors, 2)).isEqualTo(100);
        assertThat(factors.get(1L).kind()).isEqualTo(Factor.Kind.LINES);
        assertThat(factors.get(2L).detail()).contains("with commit 111111111111 (100)");
        assertThat(factors.get(1L).detail()).contains("with commit 222222222222 (100)");
    }

    @Test
    void codeWrittenAndThrownAwayIsPaidInNeitherAndWhatRemainsIsPaid() {
        List<UndoneLines.Commit> commits = List.of(
                commit(1, keys(0, 50), keys(0, 0)),          // writes 50 lines
                commit(2, keys(100, 120), keys(0, 30)),      // deletes 30 of them, writes 20 others
                commit(3, keys(0, 10), keys(0, 0)));         // writes 10 of the deleted ones again
        Map<Long, Factor> factors = UndoneLines.pair(commits, Map.of(1L, "7", 2L, "7", 3L, "7"), "epoch");
        assertThat(undone(factors, 1)).isEqualTo(30);
        assertThat(undone(factors, 2)).isEqualTo(30);
        assertThat(undone(factors, 3)).isZero();
        // What is paid is what the epoch leaves: the lines present after replaying the commits in order, counted
        // without UndoneLines (20 + 10 of the first 50 lines, and the 20 others).
        java.util.Set<Long> present = new java.util.HashSet<>();
        long changed = 0;
        for (UndoneLines.Commit c : commits) {
            for (long k : c.lines().deleted()) {
                present.remove(k);
            }
            for (long k : c.lines().added()) {
                present.add(k);
            }
            changed += c.lines().added().length + c.lines().deleted().length;
        }
        long paid = changed - undone(factors, 1) - undone(factors, 2) - undone(factors, 3);
        assertThat(paid).isEqualTo(present.size());
    }

    @Test
    void anotherAuthorsDeletionOfTheLinesIsWorkOfTheirOwn() {
        List<UndoneLines.Commit> commits = List.of(commit(1, keys(0, 40), keys(0, 0)), commit(2, keys(0, 0), keys(0, 40)));
        assertThat(UndoneLines.pair(commits, Map.of(1L, "7", 2L, "8"), "epoch")).isEmpty();
        // A co-authored commit nets only with commits of the same authors.
        assertThat(UndoneLines.pair(commits, Map.of(1L, "7", 2L, "7,8"), "epoch")).isEmpty();
        assertThat(UndoneLines.pair(commits, Map.of(1L, "7,8", 2L, "7,8"), "epoch")).containsOnlyKeys(1L, 2L);
    }

    @Test
    void linesAddedTwiceAreNotUndoneAndOneCommitNeverNetsWithItself() {
        List<UndoneLines.Commit> twice = List.of(commit(1, keys(0, 10), keys(0, 0)), commit(2, keys(0, 10), keys(0, 0)));
        assertThat(UndoneLines.pair(twice, Map.of(1L, "7", 2L, "7"), "epoch")).isEmpty();
        List<UndoneLines.Commit> self = List.of(commit(1, keys(0, 10), keys(0, 10)));
        assertThat(UndoneLines.pair(self, Map.of(1L, "7"), "epoch")).isEmpty();
    }

    @Test
    void aDeletionUndoesTheMostRecentAddition() {
        // The same line in the same place added by two commits (each after the other removed it), then deleted.
        List<UndoneLines.Commit> commits = List.of(commit(1, new long[]{42}, new long[0]), commit(2, new long[0], new long[]{42}),
                commit(3, new long[]{42}, new long[0]), commit(4, new long[0], new long[]{42}));
        Map<Long, Factor> factors = UndoneLines.pair(commits, Map.of(1L, "7", 2L, "7", 3L, "7", 4L, "7"), "epoch");
        assertThat(factors.get(1L).detail()).contains("with commit 222222222222 (1)");
        assertThat(factors.get(4L).detail()).contains("with commit 333333333333 (1)");
    }

    @Test
    void theCommitsNotNamedAreCountedWithTheirLinesSoTheDetailAddsUp() {
        // One commit adds 10 lines; five later commits of the same author delete 1, 2, 3, 2 and 1 of them.
        List<UndoneLines.Commit> commits = List.of(commit(1, keys(0, 10), keys(0, 0)),
                commit(2, keys(0, 0), keys(0, 1)), commit(3, keys(0, 0), keys(1, 3)), commit(4, keys(0, 0), keys(3, 6)),
                commit(5, keys(0, 0), keys(6, 8)), commit(6, keys(0, 0), keys(8, 9)));
        Map<Long, Factor> factors = UndoneLines.pair(commits, Map.of(1L, "7", 2L, "7", 3L, "7", 4L, "7", 5L, "7",
                6L, "7"), "epoch");
        assertThat(undone(factors, 1)).isEqualTo(9);
        // The three largest named (3, 2 and 2: ties by order), the other two with their 2 lines: 3 + 2 + 2 + 2 = 9.
        assertThat(factors.get(1L).detail()).endsWith("with commit 444444444444 (3), commit 333333333333 (2), "
                + "commit 555555555555 (2) and 2 more (2)");
    }

    @Test
    void packedLinesRoundTripAndCorruptOnesAreRefused() {
        ChangedLines lines = new ChangedLines(new long[]{1, -2, Long.MAX_VALUE}, new long[]{Long.MIN_VALUE});
        ChangedLines back = ChangedLines.unpack(lines.pack());
        assertThat(back.added()).containsExactly(1, -2, Long.MAX_VALUE);
        assertThat(back.deleted()).containsExactly(Long.MIN_VALUE);
        byte[] truncated = java.util.Arrays.copyOf(lines.pack(), 20);
        assertThatThrownBy(() -> ChangedLines.unpack(truncated)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");
        assertThat(ChangedLines.digest(lines.pack())).hasSize(64).isEqualTo(ChangedLines.digest(back.pack()));
    }
}
