package dev.merit.governance;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/**
 * The local chain's saved state, kept whole. Anvil saves its state ({@code chain/anvil-state.json}) every second by
 * writing the file in place: a kill during the save (Merit and its chain killed together, a machine losing power) left
 * it empty or cut short, and anvil then refused to start from it, for good: the DAO's contracts, its votes and its
 * payments were gone. So Merit keeps a copy of the last whole save ({@code anvil-state.kept.json}, written aside and
 * moved into place), made before each chain step it records and once a minute, and a state cut short is set aside
 * and replaced by that copy before the chain starts.
 */
@ApplicationScoped
public class SavedChainState {

    private static final Logger LOG = Logger.getLogger(SavedChainState.class);
    static final String STATE = "anvil-state.json";
    static final String KEPT = "anvil-state.kept.json";
    /** The longest a copy is left unrefreshed while the chain runs. */
    private static final long REFRESH_NANOS = 60_000_000_000L;

    private final Path dir;
    private final boolean local;
    private long keptAt = System.nanoTime() - REFRESH_NANOS;

    @jakarta.inject.Inject
    public SavedChainState(ChainConfig config, @ConfigProperty(name = "merit.data-dir") String dataDir) {
        this(Path.of(dataDir, "chain").toAbsolutePath(), config.rpcUrl().isEmpty());
    }

    SavedChainState(Path chainDir, boolean local) {
        this.dir = chainDir;
        this.local = local;
    }

    /** Whether {@code file} holds one whole JSON document (not empty, not cut short). */
    static boolean whole(Path file) {
        try (JsonParser parser = new JsonFactory().createParser(file.toFile())) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException | RuntimeException cut) {
            return false;
        }
    }

    /**
     * Copies the local chain's state, as anvil last saved it whole, to the kept copy: before a step it saved is
     * recorded (the step is then in the copy). A save under way is waited out (a few tries); returns whether a copy
     * was kept. Nothing on a configured node.
     */
    public synchronized boolean keep() {
        Path state = dir.resolve(STATE);
        if (!local || !Files.exists(state)) {
            return false;
        }
        for (int attempt = 0; attempt < 5; attempt++) {
            Path copy = null;
            try {
                copy = Files.createTempFile(dir, "anvil-state", ".copy");
                Files.copy(state, copy, StandardCopyOption.REPLACE_EXISTING);
                if (whole(copy)) {
                    Files.move(copy, dir.resolve(KEPT), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                    keptAt = System.nanoTime();
                    return true;
                }
                Thread.sleep(40); // anvil is writing it now
            } catch (IOException e) {
                LOG.warnf("Could not keep a copy of the local chain's state %s: %s", state, e.getMessage());
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                try {
                    if (copy != null) {
                        Files.deleteIfExists(copy);
                    }
                } catch (IOException ignored) {
                    // a temporary file left behind; the next copy makes its own
                }
            }
        }
        return false;
    }

    /** {@link #keep()}, if the copy is older than a minute: the chain's own blocks (votes), not only Merit's steps. */
    public void keepOnceAMinute() {
        if (System.nanoTime() - keptAt >= REFRESH_NANOS) {
            keep();
        }
    }

    /**
     * Before the local chain starts from its saved state: a state cut short (or empty) is set aside, and the kept
     * copy takes its place; without a whole copy the chain starts anew, which the log says in as many words.
     */
    public synchronized void restoreIfCut() throws IOException {
        Path state = dir.resolve(STATE);
        if (!local || !Files.exists(state) || whole(state)) {
            return;
        }
        Path aside = dir.resolve("anvil-state.cut-" + Instant.now().toEpochMilli() + ".json");
        Files.move(state, aside);
        Path kept = dir.resolve(KEPT);
        if (Files.exists(kept) && whole(kept)) {
            Files.copy(kept, state);
            LOG.warnf("The local chain's saved state was cut short (killed while it was being saved): set aside as %s. "
                    + "The chain starts from the copy kept at %s (kept before each step Merit records); blocks after "
                    + "it (a vote cast since) are lost.", aside, Files.getLastModifiedTime(kept));
        } else {
            LOG.errorf("The local chain's saved state was cut short (killed while it was being saved), and no whole "
                    + "copy was kept: set aside as %s. The chain starts anew, with the DAO's contracts deployed again "
                    + "at new addresses; payouts on the old chain cannot be followed.", aside);
        }
    }
}
