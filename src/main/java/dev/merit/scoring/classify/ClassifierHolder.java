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
        Path dir = Path.of(config.modelDir());
        try {
            TypeClassifier loaded = TypeClassifier.load(dir, Devices.resolve(config.device()));
            if (config.modelSha256().isPresent() && !config.modelSha256().get().equalsIgnoreCase(loaded.hash())) {
                loaded.close();
                throw new InvalidModelException("model " + loaded.version() + " at " + dir.toAbsolutePath()
                        + " has hash " + loaded.hash() + " but merit.scoring.model-sha256 pins "
                        + config.modelSha256().get() + "; a different model needs its own approval");
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
