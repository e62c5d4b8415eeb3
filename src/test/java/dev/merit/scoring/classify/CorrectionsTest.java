package dev.merit.scoring.classify;

import ai.djl.Device;
import dev.merit.scoring.ContributionType;
import dev.merit.scoring.train.CommitDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A maintainer's corrections (export-dataset --corrections marks them) are training labels that count more than an
 * author's prefix: retrained with a few corrected commits, the model types similar commits it never saw the new way.
 */
class CorrectionsTest {

    private static final String[] NOUNS = {"parser", "cache", "login", "payout", "ledger", "search", "export", "config",
            "wallet", "queue", "router", "theme"};

    private static TypeTrainer trainer() {
        // A small history: small batches, so that 8 epochs are enough steps.
        TypeTrainer.Options d = TypeTrainer.Options.defaults(Device.cpu());
        return new TypeTrainer(new TypeTrainer.Options(1 << 12, 8, 32, d.optimizer(), 1f, d.classWeightPower(), 1f,
                TypeTrainer.DEFAULT_CORRECTION_WEIGHT, d.seed(), d.device()), line -> { });
    }

    /**
     * A DAO's history: features, fixes, docs and chores (version bumps), and 10 "wire up X settings" commits that
     * their authors labelled chore.
     */
    private static List<CommitDataset.Commit> history() {
        List<CommitDataset.Commit> out = new ArrayList<>();
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 800; i++) {
            String noun = NOUNS[random.nextInt(NOUNS.length)];
            String message = switch (i % 4) {
                case 0 -> "feat: add " + noun + " support";
                case 1 -> "fix: " + noun + " crash on empty input";
                case 2 -> "docs: explain the " + noun + " options";
                default -> i / 4 % 20 == 0 ? "chore: wire up " + noun + " settings" : "chore: bump " + noun + " to 1."
                        + i % 9 + ".0";
            };
            out.add(commit(i, message, false));
        }
        return out;
    }

    private static CommitDataset.Commit commit(int i, String message, boolean corrected) {
        String path = message.startsWith("docs") ? "docs/guide.md" : "src/app/module" + (i % 7) + ".ts";
        return new CommitDataset.Commit("dao/app", "c" + i, 1_700_000_000L + i, "a" + (i % 5), message,
                List.of(new CommitDataset.FileStat(path, 20 + i % 30, i % 9)), corrected);
    }

    private static ContributionType type(Path dir, String message) {
        try (TypeClassifier classifier = TypeClassifier.load(dir, Device.cpu())) {
            CommitFeatures.Vector v = classifier.features().vector(message,
                    List.of(new CommitFeatures.FileChange("src/app/module3.ts", 35, 4)));
            return classifier.predict(List.of(v), 3).get(0).type();
        }
    }

    private static double featureProbability(Path dir, String message) {
        try (TypeClassifier classifier = TypeClassifier.load(dir, Device.cpu())) {
            CommitFeatures.Vector v = classifier.features().vector(message,
                    List.of(new CommitFeatures.FileChange("src/app/module3.ts", 35, 4)));
            return classifier.predict(List.of(v), 3).get(0).probability(ContributionType.FEATURE);
        }
    }

    @Test
    void correctedCommitsMoveThePredictionOnSimilarCommits(@TempDir Path tmp) throws IOException {
        List<CommitDataset.Commit> before = history();
        // A maintainer accepted disputes on 24 "wire up" commits: they were features. Exported with --corrections,
        // they carry the maintainer's type as their prefix and the "correction" field. Their sizes vary as the
        // history's do: were they all one size, a model fitted to the optimum could tell the corrected commits from
        // the chores left as labelled by their size alone, and learn nothing about their words.
        Path export = tmp.resolve("corrections.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String noun = NOUNS[i % 6];
            lines.add("{\"repo\":\"dao/app\",\"sha\":\"d" + i + "\",\"time\":1700100000,\"author\":\"x\","
                    + "\"message\":\"feature: wire up " + noun + " settings\",\"files\":[{\"path\":\"src/app/module"
                    + (i % 7) + ".ts\",\"added\":" + (20 + i * 7 % 30) + ",\"deleted\":" + (i % 9) + "}],"
                    + "\"correction\":{\"dispute\":" + (i + 1)
                    + ",\"type\":\"feature\"}}");
        }
        Files.write(export, lines);
        List<CommitDataset.Commit> corrections = CommitDataset.read(List.of(export)).commits();
        assertThat(corrections).hasSize(24).allMatch(CommitDataset.Commit::corrected);
        List<CommitDataset.Commit> after = new ArrayList<>(before);
        after.addAll(corrections);
        // The same 24 commits as if authors had written them: weight 1.
        List<CommitDataset.Commit> unweighted = new ArrayList<>(before);
        corrections.forEach(c -> unweighted.add(new CommitDataset.Commit(c.repo(), c.sha(), c.time(), c.author(),
                c.message(), c.files(), false)));

        TypeTrainer trainer = trainer();
        trainer.train(trainer.examples(before), tmp.resolve("before"), "before", Map.of(), Map.of());
        trainer.train(trainer.examples(unweighted), tmp.resolve("unweighted"), "unweighted", Map.of(), Map.of());
        ModelManifest m = trainer.train(trainer.examples(after), tmp.resolve("after"), "after", Map.of(), Map.of());
        assertThat(m.training()).containsEntry("correctionWeight", TypeTrainer.DEFAULT_CORRECTION_WEIGHT);

        // Nouns this history never had: similar commits, not the same ones. (Not "router" or "theme": the history may
        // hold "wire up router settings" labelled chore, which the penalised optimum rightly keeps a chore.)
        for (String unseen : List.of("wire up billing settings", "wire up audit settings")) {
            assertThat(type(tmp.resolve("before"), unseen)).as("before: %s", unseen).isEqualTo(ContributionType.CHORE);
            assertThat(type(tmp.resolve("after"), unseen)).as("after: %s", unseen).isEqualTo(ContributionType.FEATURE);
            double was = featureProbability(tmp.resolve("before"), unseen);
            double plain = featureProbability(tmp.resolve("unweighted"), unseen);
            double now = featureProbability(tmp.resolve("after"), unseen);
            assertThat(now).as("feature, after the corrections: %s (before %s, as authors' labels %s)", unseen, was, plain)
                    .isGreaterThan(0.5).isGreaterThan(was + 0.3).isGreaterThan(plain);
        }
    }
}
