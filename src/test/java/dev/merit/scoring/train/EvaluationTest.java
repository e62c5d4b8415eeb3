package dev.merit.scoring.train;

import dev.merit.scoring.ContributionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EvaluationTest {

    @Test
    void malformedLinesAreCountedAndMetricsAreExact(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data.jsonl.gz");
        String lines = String.join("\n",
                "{\"repo\":\"r\",\"sha\":\"1\",\"time\":1,\"author\":\"a\",\"message\":\"fix: crash on start\",\"files\":[{\"path\":\"a.c\",\"added\":1,\"deleted\":1}]}",
                "{\"repo\":\"r\",\"sha\":\"2\",\"time\":2,\"author\":\"a\",\"message\":\"fix: wrong sum\",\"files\":[]}",
                "{\"repo\":\"r\",\"sha\":\"3\",\"time\":3,\"author\":\"a\",\"message\":\"docs: readme\",\"files\":[{\"path\":\"x.png\",\"added\":null,\"deleted\":null}]}",
                "{\"repo\":\"r\",\"sha\":\"4\",\"time\":4,\"author\":\"a\",\"message\":\"no prefix here\",\"files\":[]}",
                "this is not json",
                "{\"repo\":\"r\",\"sha\":\"6\"}",
                "");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(lines.getBytes(StandardCharsets.UTF_8));
        }
        CommitDataset.Loaded loaded = CommitDataset.read(List.of(file));
        assertThat(loaded.commits()).hasSize(4);
        assertThat(loaded.malformed()).isEqualTo(2);
        assertThat(loaded.problems()).anySatisfy(p -> assertThat(p).startsWith("data.jsonl.gz:5"));

        // A classifier that always says "fix": 2 of 3 labelled right; fix P=2/3 R=1, docs P=0 R=0.
        Evaluation.Result r = Evaluation.evaluate(loaded.commits(), e -> ContributionType.FIX, 1);
        assertThat(r.evaluated()).isEqualTo(3);
        assertThat(r.unlabelled()).isEqualTo(1);
        assertThat(r.accuracy()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(r.macroF1()).isCloseTo((0.8 + 0.0) / 2, within(1e-12));
        assertThat(r.confusion().get("docs")).containsEntry("fix", 1);

        // With a support threshold of 2, docs (1 example) is listed but not averaged.
        Evaluation.Result strict = Evaluation.evaluate(loaded.commits(), e -> ContributionType.FIX, 2);
        assertThat(strict.macroF1()).isCloseTo(0.8, within(1e-12));
        assertThat(strict.rare()).extracting(Evaluation.LabelScore::label).containsExactly("docs");
    }

    @Test
    void theClassifierNeverSeesThePrefix(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("d.jsonl");
        Files.writeString(file, "{\"repo\":\"r\",\"sha\":\"1\",\"time\":1,\"author\":\"a\",\"message\":\"perf(core): x\",\"files\":[]}\n");
        List<String> seen = new java.util.ArrayList<>();
        Evaluation.evaluate(CommitDataset.read(List.of(file)).commits(), e -> {
            seen.add(e.strippedMessage());
            return ContributionType.OTHER;
        }, 1);
        assertThat(seen).containsExactly("x");
    }
}
