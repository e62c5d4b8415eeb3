package dev.merit.scoring.classify;

import ai.djl.Device;
import dev.merit.scoring.ContributionType;
import dev.merit.scoring.train.CommitDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Training, persistence, batching and verification of the type classifier, on labelled commits generated from
 * templates: synthetic data, not the real training data (which lives outside the repository).
 */
class TypeClassifierTest {

    static List<CommitDataset.Commit> slice;

    /** Labelled commits generated from templates (the real training data lives outside the repository). */
    @BeforeAll
    static void readSlice() {
        slice = synthetic(2400);
    }

    private static TypeTrainer trainer(List<String> log) {
        TypeTrainer.Options d = TypeTrainer.Options.defaults(Device.cpu());
        // SGD: these tests read its per-epoch losses (LbfgsFitTest covers the default optimizer).
        return new TypeTrainer(new TypeTrainer.Options(1 << 12, 4, 32, "sgd", 1f, d.classWeightPower(), d.seed(),
                d.device()), log::add);
    }

    @Test
    void trainingOnASliceConvergesAndLearnsItsData(@TempDir Path dir) throws IOException {
        List<String> log = new ArrayList<>();
        TypeTrainer trainer = trainer(log);
        List<TypeTrainer.Example> examples = trainer.examples(slice);
        ModelManifest manifest = trainer.train(examples, dir, null, Map.of(), Map.of());

        @SuppressWarnings("unchecked")
        List<Double> losses = (List<Double>) manifest.training().get("epochLoss");
        assertThat(losses).hasSize(4);
        assertThat(losses.get(3)).isLessThan(losses.get(0) * 0.8);
        assertThat(manifest.version()).isEqualTo("commit-type-" + manifest.paramsSha256().substring(0, 12));
        // Only a model with word vectors (features-v7) names them: earlier manifests read as they were written.
        assertThat(Files.readString(dir.resolve(TypeClassifier.MANIFEST))).doesNotContain("wordVectors");

        try (TypeClassifier classifier = TypeClassifier.load(dir, Device.cpu())) {
            List<TypeClassifier.Prediction> p = classifier.predict(examples.stream().map(TypeTrainer.Example::vector).toList(), 3);
            long correct = 0;
            for (int i = 0; i < p.size(); i++) {
                correct += p.get(i).type() == examples.get(i).label() ? 1 : 0;
            }
            assertThat((double) correct / p.size()).as("training accuracy").isGreaterThan(0.6);
            double sum = p.get(0).probabilities().values().stream().mapToDouble(Double::doubleValue).sum();
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
            assertThat(p.get(0).influences()).isNotEmpty().hasSizeLessThanOrEqualTo(3);
        }
    }

    @Test
    void sameDataAndSeedGiveTheSameModelBitForBit(@TempDir Path dir) throws IOException {
        TypeTrainer trainer = trainer(new ArrayList<>());
        List<TypeTrainer.Example> examples = trainer.examples(slice.subList(0, 800));
        ModelManifest a = trainer.train(examples, dir.resolve("a"), "x", Map.of(), Map.of());
        ModelManifest b = trainer(new ArrayList<>()).train(examples, dir.resolve("b"), "x", Map.of(), Map.of());
        assertThat(b.paramsSha256()).isEqualTo(a.paramsSha256());
    }

    @Test
    void saveLoadRoundTripAndBatchedVersusSinglePredictionsAreIdentical(@TempDir Path dir) throws IOException {
        TypeTrainer trainer = trainer(new ArrayList<>());
        List<TypeTrainer.Example> examples = trainer.examples(slice);
        trainer.train(examples, dir, "round-trip", Map.of(), Map.of());
        List<CommitFeatures.Vector> vectors = examples.stream().limit(300).map(TypeTrainer.Example::vector).toList();
        float[][] batched;
        try (TypeClassifier first = TypeClassifier.load(dir, Device.cpu())) {
            batched = first.probabilities(vectors);
            for (int i = 0; i < 40; i++) {
                float[] single = first.probabilities(List.of(vectors.get(i)))[0];
                assertThat(single).as("row %d alone vs in a batch of %d", i, vectors.size()).containsExactly(batched[i]);
            }
            float[][] odd = first.probabilities(vectors.subList(7, 20));
            for (int i = 0; i < odd.length; i++) {
                assertThat(odd[i]).containsExactly(batched[i + 7]);
            }
            // Rows are padded to a width set by their own size (32, 64, 128 or 256 features): a batch that mixes every
            // width gives each row the bits it gets alone.
            List<CommitFeatures.Vector> mixed = new ArrayList<>();
            for (int words : new int[]{0, 20, 31, 45, 90, 120, 200}) {
                // Words of the subject (a word and its pair with the next each), as the body's count at most 40.
                StringBuilder body = new StringBuilder("fix the parser");
                for (int w = 0; w < words; w++) {
                    body.append(" word").append(w);
                }
                mixed.add(first.features().vector(body.toString(), List.of(new CommitFeatures.FileChange("src/a.ts", 3, 1))));
                mixed.add(vectors.get(words));
            }
            assertThat(mixed.stream().map(v -> TypeClassifier.width(v.size())).distinct())
                    .containsExactlyInAnyOrder(32, 64, 128, 256);
            float[][] together = first.probabilities(mixed);
            for (int i = 0; i < mixed.size(); i++) {
                assertThat(first.probabilities(List.of(mixed.get(i)))[0])
                        .as("row of %d features alone vs in a batch of mixed widths", mixed.get(i).size())
                        .containsExactly(together[i]);
            }
        }
        try (TypeClassifier second = TypeClassifier.load(dir, Device.cpu())) {
            float[][] again = second.probabilities(vectors);
            for (int i = 0; i < again.length; i++) {
                assertThat(again[i]).as("row %d after reload", i).containsExactly(batched[i]);
            }
        }
    }

    @Test
    void aCorruptOrMissingModelIsRefusedWithTheReason(@TempDir Path dir) throws IOException {
        TypeTrainer trainer = trainer(new ArrayList<>());
        ModelManifest m = trainer.train(trainer.examples(slice.subList(0, 200)), dir, "v-test", Map.of(), Map.of());
        Path params = dir.resolve(m.paramsFile());
        byte[] bytes = Files.readAllBytes(params);
        bytes[bytes.length - 3] ^= 0x5a;
        Files.write(params, bytes);
        assertThatThrownBy(() -> TypeClassifier.load(dir, Device.cpu()))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("v-test").hasMessageContaining("SHA-256").hasMessageContaining("manifest says");

        Files.delete(params);
        assertThatThrownBy(() -> TypeClassifier.load(dir, Device.cpu()))
                .isInstanceOf(InvalidModelException.class).hasMessageContaining("cannot read its parameters");

        assertThatThrownBy(() -> TypeClassifier.load(dir.resolve("nowhere"), Device.cpu()))
                .isInstanceOf(InvalidModelException.class).hasMessageContaining("manifest.json is missing");

        Files.writeString(dir.resolve("manifest.json"), "{not json");
        assertThatThrownBy(() -> TypeClassifier.load(dir, Device.cpu()))
                .isInstanceOf(InvalidModelException.class).hasMessageContaining("is not a model manifest");
    }

    @Test
    void theShippedModelVerifiesAndHandlesOddInputs() {
        try (TypeClassifier shipped = TypeClassifier.load(Path.of("models/commit-type"), Device.cpu())) {
            CommitFeatures f = shipped.features();
            List<CommitFeatures.FileChange> huge = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                huge.add(new CommitFeatures.FileChange("src/gen/file" + i + ".go", 100_000, 90_000));
            }
            List<CommitFeatures.Vector> odd = List.of(
                    f.vector("", List.of()),
                    f.vector("   \n\n", List.of(new CommitFeatures.FileChange("logo.png", null, null))),
                    f.vector("x".repeat(100_000) + " " + "word ".repeat(50_000), huge),
                    f.vector("add dark mode to the settings page", List.of(
                            new CommitFeatures.FileChange("src/settings/theme.ts", 120, 4))),
                    f.vector("bump lodash from 4.17.20 to 4.17.21", List.of(
                            new CommitFeatures.FileChange("package.json", 1, 1),
                            new CommitFeatures.FileChange("yarn.lock", 12, 12))));
            assertThat(odd.get(2).size()).isLessThanOrEqualTo(CommitFeatures.MAX_FEATURES);
            List<TypeClassifier.Prediction> p = shipped.predict(odd, 5);
            assertThat(p).hasSize(5).allSatisfy(x -> assertThat(x.probabilities()).hasSize(10));
            assertThat(p.get(3).type()).isEqualTo(ContributionType.FEATURE);
            assertThat(p.get(4).type()).isEqualTo(ContributionType.CHORE);
            assertThat(p.get(4).influences()).extracting(TypeClassifier.Influence::feature)
                    .anyMatch(name -> name.startsWith("s=bump") || name.startsWith("first=bump") || name.contains("lock"));
            // Calibrated: every prediction says how sure it is, and whether that is below the model's threshold.
            assertThat(shipped.calibration().method()).contains("temperature");
            assertThat(shipped.calibration().unsureBelow()).isBetween(0.2, 0.9);
            assertThat(p).allSatisfy(x -> {
                assertThat(x.confidence()).isEqualTo(x.probability(x.type()));
                assertThat(x.unsure()).isEqualTo(x.confidence() < shipped.calibration().unsureBelow());
            });
            assertThat(p.get(4).unsure()).isFalse();
        }
    }

    @Test
    void fromFeaturesV6OnlyTheFirstFortyWordsOfTheBodyCount() {
        // A pull-request template or release notes make most of a long body; v2.2 and before read 200 words of it.
        StringBuilder body = new StringBuilder("fix the parser\n\n");
        for (int i = 0; i < 250; i++) {
            body.append("w").append(i).append(i % 12 == 11 ? "\n" : " ");
        }
        List<CommitFeatures.FileChange> files = List.of(new CommitFeatures.FileChange("src/parser.ts", 3, 1));
        List<String> v6 = CommitFeatures.names(body.toString(), files).stream().filter(n -> n.startsWith("b="))
                .toList();
        assertThat(v6).hasSize(40).startsWith("b=w0").endsWith("b=w39");
        assertThat(CommitFeatures.names(CommitFeatures.V5, body.toString(), files).stream()
                .filter(n -> n.startsWith("b=")).toList()).hasSize(200).endsWith("b=w199");
        // The rest of the features are v5's (one kind of file: no share of lines by kind).
        assertThat(CommitFeatures.names(body.toString(), files).stream().filter(n -> !n.startsWith("b=")).toList())
                .isEqualTo(CommitFeatures.names(CommitFeatures.V5, body.toString(), files).stream()
                        .filter(n -> !n.startsWith("b=")).toList());
    }

    @Test
    void fromFeaturesV6AChangeOfSeveralKindsOfFileSaysHowMuchOfItEachKindIs() {
        // Twelve lines of tests beside four of code: the test is most of the work (three quarters), the code a quarter.
        List<CommitFeatures.FileChange> files = List.of(new CommitFeatures.FileChange("src/parser.ts", 3, 1),
                new CommitFeatures.FileChange("tests/parser.test.ts", 12, 0));
        assertThat(CommitFeatures.names("cover the parser", files)).contains("lshare=code1", "lshare=test3")
                .contains("kind=code", "kind=test");
        assertThat(CommitFeatures.names(CommitFeatures.V5, "cover the parser", files))
                .noneMatch(n -> n.startsWith("lshare="));
        // One kind is all of the change (allkind= says it), and a change of no lines has no shares.
        assertThat(CommitFeatures.names("fix", List.of(new CommitFeatures.FileChange("src/a.ts", 3, 1))))
                .noneMatch(n -> n.startsWith("lshare=")).contains("allkind=code");
        assertThat(CommitFeatures.names("move", List.of(new CommitFeatures.FileChange("src/a.ts", 0, 0),
                new CommitFeatures.FileChange("docs/a.md", 0, 0)))).noneMatch(n -> n.startsWith("lshare="));
    }

    @Test
    void thePreviousModelStillComputesItsOwnFeaturesAndItsOwnProbabilities() {
        try (TypeClassifier previous = TypeClassifier.load(ClassifierHolderTest.PREVIOUS, Device.cpu())) {
            assertThat(previous.version()).isEqualTo("commit-type-5a2b8f0c9e5a");
            assertThat(previous.features().version()).isEqualTo(CommitFeatures.V4);
            assertThat(previous.calibration()).isEqualTo(Calibration.NONE);
            List<CommitFeatures.FileChange> files = List.of(new CommitFeatures.FileChange("package.json", 1, 1),
                    new CommitFeatures.FileChange("yarn.lock", 12, 12));
            String message = "\"feat: bump lodash\"\n\nThis reverts commit 1234567.";
            // features-v4 has none of v5's additions
            assertThat(CommitFeatures.names(CommitFeatures.V4, message, files))
                    .doesNotContain("quoted", "nested=feature", "reverts", "balanced");
            assertThat(CommitFeatures.names(message, files)).contains("quoted", "nested=feature", "reverts", "balanced");
            TypeClassifier.Prediction p = previous.predict(List.of(previous.features().vector(
                    "bump lodash from 4.17.20 to 4.17.21", files)), 5).get(0);
            assertThat(p.type()).isEqualTo(ContributionType.CHORE);
            assertThat(p.unsure()).isEqualTo(p.confidence() < 0.5);
        }
    }

    @Test
    void commitsThatSayTheyRevertAnotherAreRevertsWithoutAskingTheModel() {
        try (TypeClassifier shipped = TypeClassifier.load(Path.of("models/commit-type"), Device.cpu())) {
            List<CommitDataset.FileStat> files = List.of(new CommitDataset.FileStat("src/a.ts", 3, 9));
            CommitDataset.Commit git = new CommitDataset.Commit("o/r", "1", 1, "a",
                    "revert: \"feat: add dark mode\"\n\nThis reverts commit 0123456789abcdef.", files);
            CommitDataset.Commit button = new CommitDataset.Commit("o/r", "2", 2, "a",
                    "Revert \"fix: crash\"\n\nReverts owner/repo#12", files);
            // The declared prefix is removed before anything is read: "revert: drop the cache" says nothing more.
            CommitDataset.Commit declared = new CommitDataset.Commit("o/r", "3", 3, "a", "revert: drop the cache", files);
            var guesses = RepositoryFolds.predict(shipped, List.of(git, button, declared), false);
            assertThat(guesses.get(git).type()).isEqualTo(ContributionType.REVERT);
            assertThat(guesses.get(git).rule()).isTrue();
            assertThat(guesses.get(button).type()).isEqualTo(ContributionType.REVERT);
            assertThat(guesses.get(declared).rule()).isFalse();
        }
    }

    @Test
    void ownHistoryScoresEachRepositorysNewestCommitsWithAndWithoutItsPast(@TempDir Path dir) throws IOException {
        List<String> log = new ArrayList<>();
        TypeTrainer trainer = trainer(log);
        List<TypeTrainer.Example> examples = trainer.examples(slice.subList(0, 900));
        Map<String, RepositoryFolds.OwnHistory> own = trainer.ownHistory(examples, 0.25, dir);
        assertThat(own).containsOnlyKeys("org/repo0", "org/repo1", "org/repo2");
        own.forEach((repo, r) -> {
            long labelled = examples.stream().filter(e -> e.repo().equals(repo)).count();
            assertThat(r.withOwnHistory().evaluated()).isEqualTo(r.othersOnly().evaluated())
                    .isEqualTo(labelled - r.olderCommits());
            assertThat(r.olderCommits()).isEqualTo(Math.round(labelled * 0.75));
            assertThat(r.withOwnHistory().accuracy()).isBetween(0.0, 1.0);
        });
        assertThat(log).anyMatch(l -> l.startsWith("own history org/repo1: accuracy"));
        assertThatThrownBy(() -> trainer.ownHistory(examples, 1.0, dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 0 and 1");
    }

    @Test
    void featuresReadMessagesCaseInsensitivelyAndDropTrailersWhateverTheAlphabet() {
        List<CommitFeatures.FileChange> files = List.of(new CommitFeatures.FileChange("SRC/Parser.TS", 3, 1));
        List<String> ascii = CommitFeatures.names("Fix Parser CRASH\n\nThe Body Closes #12.\nSigned-off-by: A <a@b>\n"
                + "co-authored-by: B <b@c>", files);
        assertThat(ascii).startsWith("first=fix", "s=fix", "sb=fix_parser", "s=parser", "sb=parser_crash", "s=crash")
                .contains("b=the", "b=body", "b=closes", "closes", "ext=code", "fn=other", "kind=code",
                        "allkind=code")
                .doesNotContain("b=signed", "b=off", "b=co", "b=authored", "nobody");
        // The same message with non-ASCII text lower-cases the same way (Unicode rules, whole text at once).
        List<String> unicode = CommitFeatures.names("Fix Parser CRASH \u00c9T\u00c9\n\nThe Body Closes #12 \ud83d\ude00.\n"
                + "Signed-off-by: A <a@b>\nco-authored-by: B <b@c>", files);
        assertThat(unicode).contains("first=fix", "s=crash", "b=the", "b=body", "b=closes", "closes")
                .doesNotContain("b=signed", "b=co", "nobody");
        // Only trailers after the subject: no body. A verb and an issue number on different lines do not close it.
        assertThat(CommitFeatures.names("Update docs\n\nSigned-off-by: A", files)).contains("nobody");
        assertThat(CommitFeatures.names("Update docs\n\ncloses\n#12", files)).doesNotContain("closes");
        // At most 40 body words are read (200 before features-v6), however long the body.
        String longBody = "chore\n\n" + "Word ".repeat(5_000);
        assertThat(CommitFeatures.names(longBody, files).stream().filter(n -> n.startsWith("b="))).hasSize(40)
                .allMatch("b=word"::equals);
        assertThat(CommitFeatures.names(CommitFeatures.V5, longBody, files).stream().filter(n -> n.startsWith("b=")))
                .hasSize(200);
    }

    @Test
    void theFourCharactersThatCaseFoldToAsciiAreReadAsUnicodeSays() {
        List<CommitFeatures.FileChange> files = List.of(new CommitFeatures.FileChange("a.md", 1, 0));
        // U+0130 lower-cases to "i" and a combining dot, which splits the word; U+212A (Kelvin) to "k"; dotless i and
        // long s equal "i" and "s" only ignoring case, so "clo\u017fes #1" does not close an issue.
        assertThat(CommitFeatures.names("\u0130stanbul \u212Aelvin\n\nclo\u017fes #1 \u0130X", files))
                .contains("first=i", "s=stanbul", "s=kelvin", "b=clo", "b=es", "b=i", "b=x").doesNotContain("closes");
        assertThat(CommitFeatures.names("Fix it\n\nCLOSES #1 \u00e9t\u00e9", files)).contains("closes", "b=closes", "b=t");
    }

    @Test
    void aVectorHoldsTheFirstDistinctHashedNamesWhateverTheirNumberOrLength() {
        CommitFeatures f = new CommitFeatures(1 << 16);
        StringBuilder body = new StringBuilder("Add parser"); // past 256 names with the body's 40 words
        for (int i = 0; i < 110; i++) {
            body.append(" s").append(i);
        }
        body.append("\n\n").append("z".repeat(300)).append(' ');
        for (int i = 0; i < 400; i++) {
            body.append("w").append(i).append(i % 3 == 0 ? " again " : " ");
        }
        List<CommitFeatures.FileChange> files = List.of(new CommitFeatures.FileChange("src/Parser.ts", 3, 1),
                new CommitFeatures.FileChange("docs/x.md", 2, 0));
        for (String message : List.of("", "Fix crash", "Fix crash\n\nThe body, the BODY.", body.toString())) {
            List<String> distinct = new ArrayList<>();
            List<Integer> buckets = new ArrayList<>();
            for (String name : CommitFeatures.names(message, files)) {
                int bucket = f.bucket(name);
                if (!buckets.contains(bucket) && buckets.size() < CommitFeatures.MAX_FEATURES) {
                    buckets.add(bucket);
                    distinct.add(name);
                }
            }
            CommitFeatures.Vector v = f.vector(message, files);
            assertThat(v.names()).as(message).isEqualTo(distinct);
            assertThat(v.buckets()).as(message).containsExactly(buckets.stream().mapToInt(Integer::intValue).toArray());
        }
        assertThat(f.vector(body.toString(), files).names()).hasSize(CommitFeatures.MAX_FEATURES)
                .contains("b=" + "z".repeat(300));
    }

    @Test
    void testCodeIsRecognisedByWholePathWordsNotBySubstrings() {
        for (String test : List.of("tests/parser.rs", "src/__tests__/a.ts", "src/parser.test.ts", "pkg/parser_test.go",
                "test_parser.py", "internal/testlib/x.go", "testdata/in.json", "spec/models/user_spec.rb",
                "e2e/login.cy.ts", "src/__snapshots__/a.snap", "fixtures/a.json", "src/test/java/a/ParserTest.java",
                "Tests/AppTests.swift", "packages/rule-tester/src/index.ts")) {
            assertThat(CommitFeatures.names("change", List.of(new CommitFeatures.FileChange(test, 1, 1))))
                    .as(test).contains("kind=test");
        }
        // A project named vitest or attest, a "latest" folder, an inspector: source code, not tests.
        for (String code : List.of("packages/vitest/src/node/core.ts", "src/latest/index.ts", "crates/attest/lib.rs",
                "src/inspector/panel.ts", "src/respects.go", "src/Contest.java")) {
            assertThat(CommitFeatures.names("change", List.of(new CommitFeatures.FileChange(code, 1, 1))))
                    .as(code).contains("kind=code").doesNotContain("kind=test");
        }
    }

    @Test
    void releaseHistoriesDependencyManifestsAndCiConfigurationAreRecognisedAcrossEcosystems() {
        java.util.function.Function<String, List<String>> kinds = path -> CommitFeatures.names("change",
                List.of(new CommitFeatures.FileChange(path, 1, 1))).stream().filter(n -> n.startsWith("kind=")).toList();
        for (String changelog : List.of("CHANGELOG.md", "packages/a/CHANGELOG.md", "HISTORY.rst", "CHANGES", "NEWS",
                "docs/7.changelog.md", "RELEASE-NOTES.md")) {
            assertThat(kinds.apply(changelog)).as(changelog).containsExactly("kind=changelog");
        }
        // Code about changelogs and releases is code (or a test); a release workflow is CI; a page about releases is a doc.
        assertThat(kinds.apply("commitizen/commands/changelog.py")).containsExactly("kind=code");
        assertThat(kinds.apply("internal/pipe/release/release.go")).containsExactly("kind=code");
        assertThat(kinds.apply("internal/pipe/release/release_test.go")).containsExactly("kind=test");
        assertThat(kinds.apply(".github/workflows/release.yml")).containsExactly("kind=ci");
        assertThat(kinds.apply("www/docs/customization/release.md")).containsExactly("kind=doc");
        for (String deps : List.of("requirements.txt", "Gemfile.lock", "composer.json", "pom.xml", "docs/package.json",
                "go.work.sum", "pubspec.lock")) {
            assertThat(kinds.apply(deps)).as(deps).containsExactly("kind=deps");
        }
        for (String ci : List.of(".circleci/config.yml", ".travis.yml", "Jenkinsfile", ".gitlab-ci.yml",
                ".buildkite/pipeline.yml", "azure-pipelines.yml")) {
            assertThat(kinds.apply(ci)).as(ci).containsExactly("kind=ci");
        }
    }

    static List<CommitDataset.Commit> synthetic(int n) {
        java.util.Random random = new java.util.Random(5);
        String[] nouns = {"parser", "cache", "login", "payout", "ledger", "search", "export", "config", "wallet", "queue"};
        String[] pkgs = {"lodash", "jackson", "serde", "tokio", "jest", "react"};
        List<CommitDataset.Commit> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String noun = nouns[random.nextInt(nouns.length)];
            String repo = "org/repo" + (i % 3);
            int kind = random.nextInt(8);
            String message;
            List<CommitDataset.FileStat> files = new ArrayList<>();
            switch (kind) {
                case 0 -> {
                    message = "feat: add " + noun + " " + (random.nextBoolean() ? "support" : "endpoint");
                    files.add(new CommitDataset.FileStat("src/" + noun + ".ts", 40 + random.nextInt(200), random.nextInt(5)));
                }
                case 1 -> {
                    message = "fix: " + noun + " crash when " + (random.nextBoolean() ? "empty" : "null") + " input";
                    files.add(new CommitDataset.FileStat("src/" + noun + ".ts", 1 + random.nextInt(6), 1 + random.nextInt(6)));
                }
                case 2 -> {
                    message = "docs: document the " + noun + " options";
                    files.add(new CommitDataset.FileStat("docs/" + noun + ".md", 5 + random.nextInt(40), random.nextInt(10)));
                }
                case 3 -> {
                    message = "test: cover " + noun + " edge cases";
                    files.add(new CommitDataset.FileStat("tests/test_" + noun + ".py", 20 + random.nextInt(80), random.nextInt(5)));
                }
                case 4 -> {
                    String pkg = pkgs[random.nextInt(pkgs.length)];
                    message = "chore(deps): bump " + pkg + " from 1." + i % 9 + ".0 to 1." + (i % 9 + 1) + ".0";
                    files.add(new CommitDataset.FileStat("package.json", 1, 1));
                    files.add(new CommitDataset.FileStat("yarn.lock", 10 + random.nextInt(30), 10 + random.nextInt(30)));
                }
                case 5 -> {
                    message = "ci: run the " + noun + " job on every push";
                    files.add(new CommitDataset.FileStat(".github/workflows/" + noun + ".yml", 3 + random.nextInt(10), random.nextInt(5)));
                }
                case 6 -> {
                    message = "refactor: move " + noun + " helpers into their own module";
                    int moved = 30 + random.nextInt(100);
                    files.add(new CommitDataset.FileStat("src/" + noun + ".ts", 5, moved));
                    files.add(new CommitDataset.FileStat("src/" + noun + "_helpers.ts", moved, 0));
                }
                default -> {
                    message = "style: format " + noun + " with prettier";
                    for (int f = 0; f < 3 + random.nextInt(5); f++) {
                        int k = 2 + random.nextInt(20);
                        files.add(new CommitDataset.FileStat("src/" + nouns[f] + ".ts", k, k));
                    }
                }
            }
            out.add(new CommitDataset.Commit(repo, Integer.toHexString(i), 1_700_000_000L + i, "a" + (i % 17), message, files));
        }
        return out;
    }
}
