package dev.merit.scoring.classify;

import dev.merit.problem.ProblemException;
import dev.merit.scoring.ScoringConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.file.Path;

/**
 * The service's type classifier, loaded once (at {@code serve} start-up, or on first use) and verified against its
 * manifest and the optional pinned hash. A model that fails verification is never used: scoring answers 503 with
 * the reason until the model is fixed and Merit restarted. Nothing falls back silently.
 * <p>
 * With {@code merit.scoring.model-sha256} set, the model is the one whose hash that is: {@code merit.scoring.model-dir}
 * when it holds that model, else the model directory beside it that does ({@code models/commit-type-5a2b8f0c9e5a}
 * for a DAO that has not adopted the model in {@code models/commit-type}). No model with that hash: refused, naming
 * the hashes there are.
 */
@ApplicationScoped
public class ClassifierHolder {

    private static final Logger LOG = Logger.getLogger(ClassifierHolder.class);

    private final ScoringConfig config;
    private TypeClassifier classifier;
    private String failure;

    public ClassifierHolder(ScoringConfig config) {
        this.config = config;
    }

    /** The classifier; a 503 problem naming the reason when it could not be loaded. */
    public synchronized TypeClassifier require() {
        if (classifier == null && failure == null) {
            load();
        }
        if (failure != null) {
            throw new ProblemException(ProblemException.Kind.UNAVAILABLE, "model-unavailable", "Scoring model unavailable",
                    "Merit refuses to score: " + failure, null);
        }
        return classifier;
    }

    /** Loads now (serve calls this at start); returns the failure, if any. */
    public synchronized String load() {
        if (classifier != null || failure != null) {
            return failure;
        }
        Path configured = Path.of(config.modelDir());
        Path dir = configured;
        try {
            if (config.modelSha256().isPresent()) {
                dir = ModelDirectories.withHash(configured, config.modelSha256().get()).orElse(configured);
                if (!dir.equals(configured)) {
                    LOG.infof("merit.scoring.model-sha256 pins %s: not the model in %s, the one in %s",
                            config.modelSha256().get(), configured, dir);
                }
            }
            TypeClassifier loaded = TypeClassifier.load(dir, Devices.resolve(config.device()));
            if (config.modelSha256().isPresent() && !config.modelSha256().get().equalsIgnoreCase(loaded.hash())) {
                loaded.close();
                throw new InvalidModelException("model " + loaded.version() + " at " + dir.toAbsolutePath()
                        + " has hash " + loaded.hash() + " but merit.scoring.model-sha256 pins "
                        + config.modelSha256().get() + "; a different model needs its own approval (models here: "
                        + ModelDirectories.describe(configured) + ")");
            }
            classifier = loaded;
            LOG.infof("Type classifier %s loaded from %s (hash %s, device %s)", loaded.version(), dir, loaded.hash(),
                    loaded.device());
        } catch (InvalidModelException | IllegalArgumentException e) {
            failure = e.getMessage() + (dir.isAbsolute() ? "" : " (merit.scoring.model-dir=" + dir
                    + " is resolved from the working directory: start Merit in its repository root, or set "
                    + "MERIT_SCORING_MODEL_DIR)");
            LOG.error("Type classifier not loaded: " + failure);
        }
        return failure;
    }

    @PreDestroy
    synchronized void close() {
        if (classifier != null) {
            classifier.close();
            classifier = null;
        }
    }
}
