package dev.merit.scoring.classify;

import dev.merit.scoring.ContributionType;
import dev.merit.scoring.GitRevert;
import dev.merit.scoring.train.CommitDataset;
import dev.merit.scoring.train.CommitLabels;
import dev.merit.scoring.train.Evaluation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * How a model does on repositories it never saw: leave-one-repository-out (each repository scored by a model trained
 * on all the others) and own history (a repository's newest commits, with and without its older ones in training).
 * Also the one way commits are typed for evaluation, so {@code train} and {@code evaluate} measure the same thing.
 */
public final class RepositoryFolds {

    /**
     * Cross-validation results: one evaluation per held-out repository, all of them pooled, every commit's held-out
     * prediction (the data calibration is fitted on), and how many models were trained ({@code folds}).
     */
    public record CrossValidation(Map<String, Evaluation.Result> byRepository, Evaluation.Result pooled,
                                  Map<CommitDataset.Commit, Evaluation.Guess> predictions, int folds) {

        /** Whether each repository was held out alone (one model per repository). */
        public boolean leaveOneRepositoryOut() {
            return folds == byRepository.size();
        }
    }

    /** One repository's newest commits scored by a model that never saw the repository, and by one that saw its past. */
    public record OwnHistory(int olderCommits, Evaluation.Result othersOnly, Evaluation.Result withOwnHistory) {
    }

    private final TypeTrainer trainer;
    private final Consumer<String> log;

    RepositoryFolds(TypeTrainer trainer, Consumer<String> log) {
        this.trainer = trainer;
        this.log = log;
    }

    /**
     * The type and probabilities of each commit (prefix stripped, as in training), in batches of 1024; with
     * {@code labelledOnly}, commits without a known label are left out, as evaluation leaves them out. A commit that
     * says in its own words that it reverts another (git's {@code Revert "..."} subject, {@code This reverts commit
     * <sha>} or GitHub's {@code Reverts owner/repo#N} as the body's first line; {@link GitRevert}) is a revert without
     * asking the model, as the scorer does; read from the message without its prefix, so a declared {@code revert:}
     * tells nothing here.
     */
    public static Map<CommitDataset.Commit, Evaluation.Guess> predict(TypeClassifier classifier,
                                                                       List<CommitDataset.Commit> commits,
                                                                       boolean labelledOnly) {
        List<CommitDataset.Commit> chosen = new ArrayList<>();
        List<CommitFeatures.Vector> vectors = new ArrayList<>();
        Map<CommitDataset.Commit, Evaluation.Guess> predicted = new IdentityHashMap<>();
        for (CommitDataset.Commit c : commits) {
            CommitLabels.Labelled l = CommitLabels.of(c.message());
            if (l.label().isEmpty() && labelledOnly) {
                continue;
            }
            Optional<String> revert = GitRevert.of(l.strippedMessage().strip());
            if (revert.isPresent()) {
                predicted.put(c, Evaluation.Guess.byRule(ContributionType.REVERT));
                continue;
            }
            chosen.add(c);
            vectors.add(classifier.features().vector(l.strippedMessage(), TypeTrainer.files(c)));
        }
        for (int from = 0; from < chosen.size(); from += 1024) {
            int to = Math.min(chosen.size(), from + 1024);
            List<TypeClassifier.Prediction> p = classifier.predict(vectors.subList(from, to), 0);
            for (int i = from; i < to; i++) {
                TypeClassifier.Prediction prediction = p.get(i - from);
                Map<ContributionType, Double> probabilities = new EnumMap<>(ContributionType.class);
                prediction.probabilities().forEach((label, probability) ->
                        probabilities.put(ContributionType.ofLabel(label), probability));
                predicted.put(chosen.get(i), new Evaluation.Guess(prediction.type(), probabilities));
            }
        }
        return predicted;
    }

    /**
     * Cross-validation by repository: the repositories split into {@code groups} groups of about equal size (0: one
     * group per repository, leave-one-repository-out), and each group scored by a model trained on all the other
     * groups. Either way every repository is scored by a model that never saw it; fewer groups train fewer models,
     * each on less data.
     */
    public CrossValidation byRepository(List<TypeTrainer.Example> all, int groups, Path work) throws IOException {
        List<List<String>> folds = groups(all, groups);
        if (folds.size() < 2) {
            throw new IllegalArgumentException("cross-validation by repository needs at least 2 repositories, the data "
                    + "has " + folds.stream().mapToInt(List::size).sum());
        }
        Map<CommitDataset.Commit, Evaluation.Guess> predicted = new IdentityHashMap<>();
        Map<String, Evaluation.Result> byRepo = new TreeMap<>();
        for (List<String> held : folds) {
            Set<String> out = new TreeSet<>(held);
            List<TypeTrainer.Example> train = all.stream().filter(e -> !out.contains(e.repo())).toList();
            List<TypeTrainer.Example> test = all.stream().filter(e -> out.contains(e.repo())).toList();
            String name = held.size() == 1 ? held.get(0) : held.size() + " repositories (" + String.join(", ", held) + ")";
            log.accept("fold " + name + ": training on " + train.size() + ", testing on " + test.size());
            Map<CommitDataset.Commit, Evaluation.Guess> fold = trainAndPredict(train, test,
                    work.resolve("fold-" + safe(held.get(0))));
            predicted.putAll(fold);
            for (String repo : held) {
                Evaluation.Result result = Evaluation.evaluate(test.stream().map(TypeTrainer.Example::commit)
                        .filter(c -> c.repo().equals(repo)).toList(), ex -> fold.get(ex.commit()).type(), 50);
                log.accept(String.format(Locale.ROOT, "held out %s: accuracy %.4f macro-F1 %.4f", repo,
                        result.accuracy(), result.macroF1()));
                byRepo.put(repo, result);
            }
        }
        Evaluation.Result pooled = Evaluation.evaluate(all.stream().map(TypeTrainer.Example::commit).toList(),
                ex -> predicted.get(ex.commit()).type(), 50);
        return new CrossValidation(byRepo, pooled, predicted, folds.size());
    }

    /**
     * The repositories in {@code groups} groups (0: one each), largest repository first into the group with the
     * fewest examples so far, so the groups hold about as many examples each; the same data gives the same groups.
     */
    static List<List<String>> groups(List<TypeTrainer.Example> all, int groups) {
        Map<String, Integer> sizes = new TreeMap<>();
        all.forEach(e -> sizes.merge(e.repo(), 1, Integer::sum));
        if (groups <= 0 || groups >= sizes.size()) {
            return sizes.keySet().stream().map(List::of).toList();
        }
        List<List<String>> out = new ArrayList<>();
        long[] load = new long[groups];
        for (int g = 0; g < groups; g++) {
            out.add(new ArrayList<>());
        }
        sizes.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> {
                    int lightest = 0;
                    for (int g = 1; g < groups; g++) {
                        if (load[g] < load[lightest]) {
                            lightest = g;
                        }
                    }
                    out.get(lightest).add(e.getKey());
                    load[lightest] += e.getValue();
                });
        out.forEach(g -> g.sort(null));
        return out;
    }

    /**
     * What a DAO gets by retraining on its own history: for each repository, its newest {@code share} of labelled
     * commits (by author time) are scored by a model trained on the other repositories only, and by one trained on
     * the other repositories plus this repository's older commits. Forward in time, as adoption would be.
     */
    public Map<String, OwnHistory> ownHistory(List<TypeTrainer.Example> all, double share, Path work) throws IOException {
        if (!(share > 0 && share < 1)) {
            throw new IllegalArgumentException("the newest share must be between 0 and 1, got " + share);
        }
        TreeSet<String> repos = new TreeSet<>();
        all.forEach(e -> repos.add(e.repo()));
        Map<String, OwnHistory> out = new TreeMap<>();
        for (String repo : repos) {
            List<TypeTrainer.Example> own = new ArrayList<>(all.stream().filter(e -> e.repo().equals(repo)).toList());
            own.sort(java.util.Comparator.comparingLong(e -> e.commit().time()));
            int cut = (int) Math.round(own.size() * (1 - share));
            List<TypeTrainer.Example> older = own.subList(0, cut);
            List<TypeTrainer.Example> newest = own.subList(cut, own.size());
            List<TypeTrainer.Example> others = all.stream().filter(e -> !e.repo().equals(repo)).toList();
            if (newest.isEmpty() || others.isEmpty()) {
                continue;
            }
            List<CommitDataset.Commit> test = newest.stream().map(TypeTrainer.Example::commit).toList();
            log.accept("own history " + repo + ": newest " + newest.size() + " commits; others only, then others + "
                    + older.size() + " older commits of its own");
            Map<CommitDataset.Commit, Evaluation.Guess> without = trainAndPredict(others, newest, work.resolve("others-" + safe(repo)));
            List<TypeTrainer.Example> with = new ArrayList<>(others);
            with.addAll(older);
            Map<CommitDataset.Commit, Evaluation.Guess> withOwn = trainAndPredict(with, newest, work.resolve("own-" + safe(repo)));
            OwnHistory result = new OwnHistory(older.size(), Evaluation.evaluate(test, ex -> without.get(ex.commit()).type(), 50),
                    Evaluation.evaluate(test, ex -> withOwn.get(ex.commit()).type(), 50));
            log.accept(String.format(Locale.ROOT, "own history %s: accuracy %.4f -> %.4f, macro-F1 %.4f -> %.4f",
                    repo, result.othersOnly().accuracy(), result.withOwnHistory().accuracy(),
                    result.othersOnly().macroF1(), result.withOwnHistory().macroF1()));
            out.put(repo, result);
        }
        return out;
    }

    private Map<CommitDataset.Commit, Evaluation.Guess> trainAndPredict(List<TypeTrainer.Example> train,
                                                                         List<TypeTrainer.Example> test, Path dir)
            throws IOException {
        trainer.train(train, dir, "fold", Map.of(), Map.of());
        try (TypeClassifier classifier = TypeClassifier.load(dir, trainer.options().device())) {
            return predict(classifier, test.stream().map(TypeTrainer.Example::commit).toList(), true);
        }
    }

    private static String safe(String repo) {
        return repo.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
