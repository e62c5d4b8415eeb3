package dev.merit.ingest.git;

import dev.merit.support.GitCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Line counts must be git's own: checked against {@code git diff --numstat} on many random edits. */
class GitLineDiffTest {

    private static final String[] COMMON = {"}", "", "    }", "        return 0;", "{", "#endif", "\t}", "end"};

    @Test
    void countsEqualGitOnRandomEdits(@TempDir Path dir) throws IOException {
        Random random = new Random(42);
        List<String> mismatches = new ArrayList<>();
        for (int round = 0; round < 250; round++) {
            int size = round < 200 ? random.nextInt(200) : 1500 + random.nextInt(2500);
            List<String> before = randomLines(random, size);
            List<String> after = edit(random, before, round >= 200);
            String a = join(before, random.nextInt(10) > 0);
            String b = join(after, random.nextInt(10) > 0);
            Files.writeString(dir.resolve("a"), a);
            Files.writeString(dir.resolve("b"), b);
            String numstat = GitCli.run(dir, "diff", "--no-index", "--numstat", "a", "b").strip();
            int gitAdded = 0;
            int gitDeleted = 0;
            if (!numstat.isEmpty()) {
                String[] parts = numstat.split("\t");
                gitAdded = Integer.parseInt(parts[0]);
                gitDeleted = Integer.parseInt(parts[1]);
            }
            GitLineDiff.Result ours = GitLineDiff.diff(new HashedText(a.getBytes(StandardCharsets.UTF_8)),
                    new HashedText(b.getBytes(StandardCharsets.UTF_8)));
            if (ours.addedCount() != gitAdded || ours.deletedCount() != gitDeleted) {
                mismatches.add("round " + round + ": git +" + gitAdded + "/-" + gitDeleted + ", merit +"
                        + ours.addedCount() + "/-" + ours.deletedCount());
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void lastLineWithoutNewlineDiffersFromOneWithIt() {
        GitLineDiff.Result r = GitLineDiff.diff(new HashedText("a\nb".getBytes(StandardCharsets.UTF_8)),
                new HashedText("a\nb\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(r.addedCount()).isEqualTo(1);
        assertThat(r.deletedCount()).isEqualTo(1);
    }

    @Test
    void emptyFilesHaveNoLines() {
        GitLineDiff.Result r = GitLineDiff.diff(new HashedText(new byte[0]),
                new HashedText("x\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(r.addedCount()).isEqualTo(1);
        assertThat(r.deletedCount()).isZero();
    }

    private static List<String> randomLines(Random random, int n) {
        List<String> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            lines.add(random.nextInt(3) == 0 ? COMMON[random.nextInt(COMMON.length)]
                    : "line " + random.nextInt(Math.max(1, n / 2)) + " " + "x".repeat(random.nextInt(4)));
        }
        return lines;
    }

    private static List<String> edit(Random random, List<String> lines, boolean heavy) {
        List<String> out = new ArrayList<>(lines);
        int edits = heavy ? 300 + random.nextInt(900) : random.nextInt(12);
        for (int e = 0; e < edits; e++) {
            int op = random.nextInt(4);
            int at = out.isEmpty() ? 0 : random.nextInt(out.size());
            switch (op) {
                case 0 -> out.add(at, random.nextInt(2) == 0 ? COMMON[random.nextInt(COMMON.length)] : "new " + random.nextInt(1000));
                case 1 -> {
                    if (!out.isEmpty()) {
                        out.remove(at);
                    }
                }
                case 2 -> {
                    if (!out.isEmpty()) {
                        out.set(at, "changed " + random.nextInt(50));
                    }
                }
                default -> {
                    int len = Math.min(out.size() - at, random.nextInt(8));
                    List<String> block = new ArrayList<>(out.subList(at, at + len));
                    out.subList(at, at + len).clear();
                    out.addAll(out.isEmpty() ? 0 : random.nextInt(out.size()), block);
                }
            }
        }
        return out;
    }

    private static String join(List<String> lines, boolean finalNewline) {
        String s = String.join("\n", lines);
        return lines.isEmpty() ? "" : finalNewline ? s + "\n" : s;
    }
}
