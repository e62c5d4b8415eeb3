package dev.merit.governance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Anvil writes its saved state in place: a kill during the save left it empty or cut short, and the local chain then
 * never started again (its contracts, votes and payments gone). Merit keeps a whole copy and starts from it instead.
 */
class SavedChainStateTest {

    private static final String STATE = "{\"block\":{\"number\":\"0x41\"},\"accounts\":{\"0x01\":{\"nonce\":14}}}";

    @Test
    void aStateCutShortIsSetAsideAndTheKeptCopyTakesItsPlace(@TempDir Path dir) throws IOException {
        Path state = dir.resolve(SavedChainState.STATE);
        SavedChainState saved = new SavedChainState(dir, true);
        assertThat(saved.keep()).isFalse(); // nothing saved yet
        Files.writeString(state, STATE);
        assertThat(saved.keep()).isTrue();
        assertThat(Files.readString(dir.resolve(SavedChainState.KEPT))).isEqualTo(STATE);

        // Killed mid-save: cut short, then empty. Each time the kept copy is what the chain starts from.
        for (String cut : new String[] {STATE.substring(0, STATE.length() - 3), ""}) {
            Files.writeString(state, cut);
            assertThat(saved.keep()).isFalse(); // a cut state is never kept over a whole one
            saved.restoreIfCut();
            assertThat(Files.readString(state)).isEqualTo(STATE);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("anvil-state.cut-")))
                    .hasSize(2); // set aside, not deleted
        }
        // A whole state is left as it is.
        saved.restoreIfCut();
        assertThat(Files.readString(state)).isEqualTo(STATE);
    }

    @Test
    void withoutAWholeCopyTheCutStateIsSetAsideAndTheChainStartsAnew(@TempDir Path dir) throws IOException {
        Path state = dir.resolve(SavedChainState.STATE);
        Files.writeString(state, "{\"block\":{\"num");
        new SavedChainState(dir, true).restoreIfCut();
        assertThat(state).doesNotExist(); // anvil starts empty rather than refusing to start, for good
        // A configured node's chain is not Merit's to keep.
        Files.writeString(state, "{");
        new SavedChainState(dir, false).restoreIfCut();
        assertThat(state).exists();
        assertThat(SavedChainState.whole(state)).isFalse();
        assertThat(SavedChainState.whole(dir.resolve("absent.json"))).isFalse();
    }
}
