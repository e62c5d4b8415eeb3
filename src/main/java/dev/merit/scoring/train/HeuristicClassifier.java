package dev.merit.scoring.train;

import dev.merit.ingest.ChangedFile;
import dev.merit.ingest.git.PathClassifier;
import dev.merit.scoring.ContributionType;
import dev.merit.scoring.TypeHeuristic;

import java.util.List;
import java.util.function.Function;

/** The current type classifier (formula-v1's heuristic) as an evaluable function: the baseline learned models must beat. */
public final class HeuristicClassifier implements Function<Evaluation.Example, ContributionType> {

    private final PathClassifier paths = PathClassifier.builtIn();

    @Override
    public ContributionType apply(Evaluation.Example example) {
        String message = example.strippedMessage();
        int newline = message.indexOf('\n');
        String title = newline < 0 ? message : message.substring(0, newline);
        List<ChangedFile> files = example.commit().files().stream()
                .map(f -> new ChangedFile(f.path(), null, ChangedFile.Change.MODIFY, f.added(), f.deleted(),
                        f.added() == null ? ChangedFile.Category.BINARY : paths.classify(f.path()), 0))
                .toList();
        return TypeHeuristic.classify("commit", title, files).type();
    }
}
