package dev.merit.ingest.git;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RepeatedEditsTest {

    private static RepeatedEdits.FileEdits file(String before, String after) {
        HashedText old = new HashedText(before.getBytes(StandardCharsets.UTF_8));
        HashedText now = new HashedText(after.getBytes(StandardCharsets.UTF_8));
        return new RepeatedEdits.FileEdits(old, now, GitLineDiff.diff(old, now), null);
    }

    private static int count(DiffLines[] found) {
        int n = 0;
        for (DiffLines lines : found) {
            if (lines != null) {
                assertThat(lines.deleted().cardinality()).isEqualTo(lines.added().cardinality());
                n += lines.added().cardinality();
            }
        }
        return n;
    }

    @Test
    void aRenameAppliedEverywhereIsWorkOnceAndMechanicalAfter() {
        // The same import moved in three files; one function renamed at three call sites with different arguments.
        List<RepeatedEdits.FileEdits> files = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            files.add(file("import \"github.com/golang/protobuf/proto\"\n\nfunc f" + i + "() {}\n",
                    "import \"google.golang.org/protobuf/proto\"\n\nfunc f" + i + "() {}\n"));
        }
        files.add(file("a := jsonpb.UnmarshalString(string(buf), &msg)\nkeep()\nb := jsonpb.UnmarshalString(string(buf), &other)\n"
                        + "keep()\nc := jsonpb.UnmarshalString(string(buf), &third)\n",
                "a := marshaler.Unmarshal(buf, &msg)\nkeep()\nb := marshaler.Unmarshal(buf, &other)\n"
                        + "keep()\nc := marshaler.Unmarshal(buf, &third)\n"));
        DiffLines[] found = RepeatedEdits.find(files);
        // Two repeated replacements of each kind (the first of each is work).
        assertThat(count(found)).isEqualTo(2 + 2);
        assertThat(found[0]).isNull();
        assertThat(found[1].added().get(0)).isTrue();
        assertThat(found[3].added().stream().toArray()).containsExactly(2, 4);
        assertThat(found[3].deleted().stream().toArray()).containsExactly(2, 4);
    }

    @Test
    void twoOfTheSameAreNotEnoughAndDifferentEditsAreAllWork() {
        DiffLines[] twice = RepeatedEdits.find(List.of(file("x = old(1)\ny\nz = old(2)\n", "x = new(1)\ny\nz = new(2)\n")));
        assertThat(count(twice)).isZero();
        DiffLines[] different = RepeatedEdits.find(List.of(file("a = 1\nb = 2\nc = 3\n", "a = 10\nb = x\nc = f(3)\n")));
        assertThat(count(different)).isZero();
    }

    @Test
    void whitespaceChangesAndUnevenHunksAreLeftToTheOtherRules() {
        DiffLines[] indent = RepeatedEdits.find(List.of(file("  a(1)\nb\n  a(2)\nc\n  a(3)\nd\n  a(4)\n",
                "    a(1)\nb\n    a(2)\nc\n    a(3)\nd\n    a(4)\n")));
        assertThat(count(indent)).isZero();
        // Each hunk deletes two lines and adds one: no line is paired with another.
        DiffLines[] uneven = RepeatedEdits.find(List.of(file(
                "old(1)\nold(1)\nk\nold(2)\nold(2)\nk\nold(3)\nold(3)\nk\nold(4)\nold(4)\n",
                "new(1)\nk\nnew(2)\nk\nnew(3)\nk\nnew(4)\n")));
        assertThat(count(uneven)).isZero();
    }
}
