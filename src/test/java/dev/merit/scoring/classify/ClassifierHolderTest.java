package dev.merit.scoring.classify;

import dev.merit.problem.ProblemException;
import dev.merit.scoring.ScoringConfig;
import dev.merit.support.FixedScoringConfig;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The service never scores with a model that fails verification, and says why (503 problem, readiness down). */
class ClassifierHolderTest {

    private static ScoringConfig config(Path dir, String pin) {
        return new FixedScoringConfig(dir.toString(), Optional.ofNullable(pin), "cpu");
    }

    private static Path copyOfShippedModel(Path tmp) throws IOException {
        Path dir = tmp.resolve("model");
        Files.createDirectories(dir);
        try (var files = Files.list(Path.of("models/commit-type"))) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    @Test
    void aTamperedModelIsRefusedWithA503AndReadinessSaysWhy(@TempDir Path tmp) throws IOException {
        Path dir = copyOfShippedModel(tmp);
        ModelManifest manifest = TypeClassifier.json().readValue(dir.resolve("manifest.json").toFile(), ModelManifest.class);
        Path params = dir.resolve(manifest.paramsFile());
        byte[] bytes = Files.readAllBytes(params);
        bytes[bytes.length / 2] ^= 1;
        Files.write(params, bytes);

        ClassifierHolder holder = new ClassifierHolder(config(dir, null));
        assertThat(holder.load()).contains("SHA-256").contains("corrupt or was replaced");
        ProblemException refused = catchThrowableOfType(ProblemException.class, holder::require);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.getMessage()).startsWith("Merit refuses to score:").contains(manifest.version());

        HealthCheckResponse health = new ModelHealthCheck(holder, config(dir, null)).call();
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(health.getData().orElseThrow().get("reason").toString()).contains("SHA-256");
    }

    /** The model before v2, kept beside the current one so a DAO that pinned its hash keeps scoring with it. */
    static final Path PREVIOUS = Path.of("models/commit-type-5a2b8f0c9e5a");

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    @Test
    void aPinnedHashPicksThePreviousModelBesideTheConfiguredOne(@TempDir Path tmp) throws IOException {
        Path current = copy(Path.of("models/commit-type"), tmp.resolve("models/commit-type"));
        copy(PREVIOUS, tmp.resolve("models/commit-type-5a2b8f0c9e5a"));
        String previousHash = TypeClassifier.sha256(Files.readAllBytes(PREVIOUS.resolve("manifest.json")));
        String currentHash = TypeClassifier.sha256(Files.readAllBytes(current.resolve("manifest.json")));
        assertThat(previousHash).isNotEqualTo(currentHash);

        ClassifierHolder unpinned = new ClassifierHolder(config(current, null));
        assertThat(unpinned.load()).isNull();
        assertThat(unpinned.require().hash()).isEqualTo(currentHash);
        assertThat(unpinned.require().features().version()).isEqualTo(CommitFeatures.VERSION);
        unpinned.close();

        ClassifierHolder old = new ClassifierHolder(config(current, previousHash.toUpperCase(java.util.Locale.ROOT)));
        assertThat(old.load()).isNull();
        assertThat(old.require().hash()).isEqualTo(previousHash);
        assertThat(old.require().version()).isEqualTo("commit-type-5a2b8f0c9e5a");
        // It computes the features it was trained on, and its probabilities are uncalibrated, as they always were.
        assertThat(old.require().features().version()).isEqualTo(CommitFeatures.V4);
        assertThat(old.require().calibration()).isEqualTo(Calibration.NONE);
        old.close();

        ClassifierHolder neither = new ClassifierHolder(config(current, "ab".repeat(32)));
        assertThat(neither.load()).contains("merit.scoring.model-sha256 pins").contains(previousHash)
                .contains(currentHash);
    }

    @Test
    void aPinnedHashAcceptsOnlyThatModel(@TempDir Path tmp) throws IOException {
        Path dir = copyOfShippedModel(tmp);
        String actual = TypeClassifier.sha256(Files.readAllBytes(dir.resolve("manifest.json")));

        ClassifierHolder pinned = new ClassifierHolder(config(dir, actual));
        assertThat(pinned.load()).isNull();
        assertThat(pinned.require().hash()).isEqualTo(actual);
        assertThat(new ModelHealthCheck(pinned, config(dir, actual)).call().getStatus())
                .isEqualTo(HealthCheckResponse.Status.UP);
        pinned.close();

        ClassifierHolder other = new ClassifierHolder(config(dir, "0".repeat(64)));
        assertThat(other.load()).contains("merit.scoring.model-sha256 pins").contains("needs its own approval");
        assertThat(catchThrowableOfType(ProblemException.class, other::require).status()).isEqualTo(503);
    }
}
