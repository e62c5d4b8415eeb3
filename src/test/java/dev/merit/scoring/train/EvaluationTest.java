package dev.merit.scoring.train;

import dev.merit.scoring.ContributionType;
import dev.merit.scoring.FormulaModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    @Test
    void typeWeightCostIsWhatTheErrorsCostInPay(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("d.jsonl");
        Files.writeString(file, String.join("\n",
                "{\"repo\":\"r\",\"sha\":\"1\",\"time\":1,\"author\":\"a\",\"message\":\"fix: a\",\"files\":[]}",
                "{\"repo\":\"r\",\"sha\":\"2\",\"time\":2,\"author\":\"a\",\"message\":\"docs: b\",\"files\":[]}",
                "{\"repo\":\"s\",\"sha\":\"3\",\"time\":3,\"author\":\"a\",\"message\":\"chore: c\",\"files\":[]}",
                "{\"repo\":\"s\",\"sha\":\"4\",\"time\":4,\"author\":\"a\",\"message\":\"no prefix\",\"files\":[]}", ""));
        Map<String, Evaluation.Guess> guesses = Map.of(
                // fix taken for feature: wrong type, same weight (1), expected weight 0.5 x 1 + 0.5 x 1 = 1, no cost
                "a", new Evaluation.Guess(ContributionType.FEATURE, Map.of(ContributionType.FEATURE, 0.5, ContributionType.FIX, 0.5)),
                // docs (0.6) taken for a chore (0.3): underpaid by 0.3
                "b", Evaluation.Guess.certain(ContributionType.CHORE),
                // chore (0.3) right, but half sure of docs: expected 0.5 x 0.3 + 0.5 x 0.6 = 0.45, overpaid by 0.15
                "c", new Evaluation.Guess(ContributionType.CHORE, Map.of(ContributionType.CHORE, 0.5, ContributionType.DOCS, 0.5)));
        Evaluation.TypeWeightCosts costs = Evaluation.typeWeightCost(CommitDataset.read(List.of(file)).commits(),
                ex -> guesses.get(ex.strippedMessage()), FormulaModel.weights(Map.of()));

        assertThat(costs.pooled().evaluated()).isEqualTo(3);
        assertThat(costs.pooled().sameWeight()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(costs.pooled().meanAbsoluteError()).isCloseTo((0 + 0.3 + 0.15) / 3, within(1e-12));
        assertThat(costs.pooled().meanError()).isCloseTo((0 - 0.3 + 0.15) / 3, within(1e-12));
        assertThat(costs.byRepository().get("r").sameWeight()).isCloseTo(0.5, within(1e-12));
        assertThat(costs.byRepository().get("s").meanError()).isCloseTo(0.15, within(1e-12));

        // Under a policy that pays fix above feature, the same confusion costs
        Evaluation.TypeWeightCosts fixFirst = Evaluation.typeWeightCost(CommitDataset.read(List.of(file)).commits(),
                ex -> guesses.get(ex.strippedMessage()), FormulaModel.weights(Map.of("feature", new BigDecimal("0.5"))));
        assertThat(fixFirst.byRepository().get("r").sameWeight()).isZero();
        assertThat(fixFirst.byRepository().get("r").meanAbsoluteError()).isCloseTo((0.25 + 0.3) / 2, within(1e-12));
    }
}
