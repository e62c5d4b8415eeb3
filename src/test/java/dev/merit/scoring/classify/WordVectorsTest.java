package dev.merit.scoring.classify;

import ai.djl.Device;
import dev.merit.scoring.train.CommitDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shipped pretrained word vectors (models/word-vectors), their tokenizer, and features-v7 built on them. */
class WordVectorsTest {

    static final Path SHIPPED = Path.of("models/word-vectors");
    static WordVectors vectors;
    static WordPieces pieces;

    @BeforeAll
    static void read() throws IOException {
        vectors = WordVectors.read(SHIPPED);
        pieces = new WordPieces(Files.readAllLines(SHIPPED.resolve(WordVectors.VOCABULARY)));
    }

    private static List<String> tokens(String text) {
        return Arrays.stream(pieces.ids(text, 100)).mapToObj(pieces::piece).toList();
    }

    /** Expected pieces are what the Hugging Face tokenizer of all-MiniLM-L6-v2 gives (tokenizers 0.22). */
    @Test
    void piecesAreTheOnesTheLanguageModelWasTrainedOn() {
        assertThat(tokens("Speed up the parser by caching regexes")).containsExactly(
                "speed", "up", "the", "par", "##ser", "by", "ca", "##ching", "reg", "##ex", "##es");
        assertThat(tokens("fix(core): don't crash on Café naïve input!")).containsExactly(
                "fix", "(", "core", ")", ":", "don", "'", "t", "crash", "on", "cafe", "naive", "input", "!");
        assertThat(tokens("perf: 2x faster 日本語 loading")).containsExactly(
                "per", "##f", ":", "2", "##x", "faster", "日", "本", "語", "loading");
        assertThat(tokens("a\u0000b\tc")).containsExactly("ab", "c");
        assertThat(tokens("a\u000Bb c\u001Fd")).containsExactly("ab", "cd"); // control characters, not spaces
        // Accents dropped before each character is lower-cased on its own: no final sigma.
        assertThat(tokens("ΟΔΟΣ ΣΟΦΟΣ")).containsExactly("ο", "##δ", "##ο", "##σ", "σ", "##ο", "##φ", "##ο", "##σ");
        assertThat(tokens("ÉCOLE Ångström")).containsExactly("ecole", "ang", "##strom");
        assertThat(tokens("x".repeat(101))).containsExactly("[UNK]");
        assertThat(tokens("")).isEmpty();
        assertThat(pieces.ids("word ".repeat(200), WordVectors.MAX_PIECES)).hasSize(WordVectors.MAX_PIECES);
    }

    @Test
    void wordsOfOneMeaningSitCloserThanUnrelatedOnes() {
        assertThat(cosine("faster", "speed")).isGreaterThan(cosine("faster", "documentation"));
        assertThat(cosine("docs", "documentation")).isGreaterThan(cosine("docs", "crash"));
    }

    private static double cosine(String a, String b) {
        float[] x = new float[vectors.dims()];
        float[] y = new float[vectors.dims()];
        for (int id : vectors.pieceIds(a)) {
            vectors.addTo(id, x);
        }
        for (int id : vectors.pieceIds(b)) {
            vectors.addTo(id, y);
        }
        double dot = 0;
        double nx = 0;
        double ny = 0;
        for (int d = 0; d < x.length; d++) {
            dot += x[d] * y[d];
            nx += x[d] * x[d];
            ny += y[d] * y[d];
        }
        return dot / Math.sqrt(nx * ny);
    }

    @Test
    void featuresV7AddTheSubjectsMeaningOfLengthOneInTheLastRows() {
        int buckets = 4096 + vectors.dims();
        CommitFeatures v7 = CommitFeatures.of(CommitFeatures.V7, buckets, vectors);
        List<CommitFeatures.FileChange> files = List.of(new CommitFeatures.FileChange("src/a.ts", 3, 1));
        CommitFeatures.Vector v = v7.vector("speed up the parser\n\nbody words here", files);
        CommitFeatures.Vector named = CommitFeatures.of(CommitFeatures.VERSION, 4096, null)
                .vector("speed up the parser\n\nbody words here", files);
        int n = named.size();
        assertThat(v.size()).isEqualTo(n + vectors.dims());
        assertThat(Arrays.copyOf(v.buckets(), n)).containsExactly(named.buckets());
        double norm = 0;
        for (int i = n; i < v.size(); i++) {
            assertThat(v.buckets()[i]).isEqualTo(4096 + i - n);
            assertThat(v.names().get(i)).isEqualTo(FeaturesV7.MEANING);
            norm += v.weights()[i] * v.weights()[i];
        }
        assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        // No subject, no meaning; and v7 is not made without its word vectors.
        assertThat(v7.vector("", files).size()).isEqualTo(CommitFeatures.of(CommitFeatures.VERSION, 4096, null)
                .vector("", files).size());
        assertThatThrownBy(() -> CommitFeatures.of(CommitFeatures.V7, buckets, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs word vectors");
    }

    @Test
    void aModelTrainedWithWordVectorsCarriesThemAndRefusesThemReplaced(@TempDir Path dir) throws IOException {
        TypeTrainer.Options d = TypeTrainer.Options.defaults(Device.cpu());
        TypeTrainer trainer = new TypeTrainer(new TypeTrainer.Options(1 << 12, d.epochs(), d.batchSize(),
                "lbfgs", d.learningRate(), d.classWeightPower(), d.repositoryPower(), d.correctionWeight(), d.seed(),
                d.device(), d.l2(), 60), SHIPPED, line -> { });
        List<CommitDataset.Commit> slice = TypeClassifierTest.synthetic(600);
        List<TypeTrainer.Example> examples = trainer.examples(slice);
        ModelManifest m = trainer.train(examples, dir, "v7-test", Map.of(), Map.of());
        assertThat(m.features()).isEqualTo(CommitFeatures.V7);
        assertThat(m.buckets()).isEqualTo((1 << 12) + vectors.dims());
        assertThat(m.wordVectors()).containsOnlyKeys(WordVectors.TABLE, WordVectors.VOCABULARY);
        try (TypeClassifier classifier = TypeClassifier.load(dir, Device.cpu())) {
            List<TypeClassifier.Prediction> p = classifier.predict(
                    examples.stream().map(TypeTrainer.Example::vector).toList(), 40);
            long correct = 0;
            List<String> named = new ArrayList<>();
            for (int i = 0; i < p.size(); i++) {
                correct += p.get(i).type() == examples.get(i).label() ? 1 : 0;
                p.get(i).influences().forEach(f -> named.add(f.feature()));
            }
            assertThat((double) correct / p.size()).as("training accuracy").isGreaterThan(0.6);
            // The meaning is one push among the named features, never one per dimension.
            assertThat(named).contains(FeaturesV7.MEANING);
            for (TypeClassifier.Prediction one : p) {
                assertThat(one.influences().stream().filter(f -> f.feature().equals(FeaturesV7.MEANING)))
                        .hasSizeLessThan(2);
            }
        }
        byte[] table = Files.readAllBytes(dir.resolve(WordVectors.TABLE));
        table[table.length - 1] ^= 1;
        Files.write(dir.resolve(WordVectors.TABLE), table);
        assertThatThrownBy(() -> WordVectors.readOrFail(dir.resolve("nowhere")))
                .hasMessageContaining("cannot read the word vectors").hasMessageContaining("does not exist");
        // A table of the right size whose scale is not a number is refused, not read as NaN weights.
        Path bad = Files.createDirectories(dir.resolve("bad"));
        Files.copy(dir.resolve(WordVectors.VOCABULARY), bad.resolve(WordVectors.VOCABULARY));
        java.nio.ByteBuffer nan = java.nio.ByteBuffer.allocate(16 + 30_522).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .put("MWV1".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(30_522).putInt(1)
                .putFloat(Float.NaN);
        Files.write(bad.resolve(WordVectors.TABLE), nan.array());
        assertThatThrownBy(() -> WordVectors.read(bad)).hasMessageContaining("at scale NaN");
        assertThatThrownBy(() -> TypeClassifier.load(dir, Device.cpu()))
                .isInstanceOf(InvalidModelException.class).hasMessageContaining("v7-test")
                .hasMessageContaining(WordVectors.TABLE).hasMessageContaining("SHA-256");
    }
}
