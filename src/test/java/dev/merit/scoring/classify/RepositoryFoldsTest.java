package dev.merit.scoring.classify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.merit.scoring.ContributionType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RepositoryFoldsTest {

    private static List<TypeTrainer.Example> examples(Map<String, Integer> sizes) {
        List<TypeTrainer.Example> all = new ArrayList<>();
        sizes.forEach((repo, n) -> {
            for (int i = 0; i < n; i++) {
                all.add(new TypeTrainer.Example(repo, ContributionType.FIX, null, null));
            }
        });
        return all;
    }

    @Test
    void zeroGroupsIsOneRepositoryEach() {
        List<TypeTrainer.Example> all = examples(Map.of("a/x", 3, "b/y", 1, "c/z", 2));
        assertThat(RepositoryFolds.groups(all, 0)).containsExactly(List.of("a/x"), List.of("b/y"), List.of("c/z"));
        // as many groups as repositories (or more) is leave-one-repository-out too
        assertThat(RepositoryFolds.groups(all, 3)).hasSize(3);
        assertThat(RepositoryFolds.groups(all, 9)).hasSize(3);
    }

    @Test
    void groupsHoldEveryRepositoryOnceAndAboutTheSameNumberOfExamples() {
        Map<String, Integer> sizes = new TreeMap<>();
        int[] n = {9000, 7000, 5000, 4000, 3000, 2500, 2000, 1500, 1200, 900, 700, 500, 300, 200, 100};
        for (int i = 0; i < n.length; i++) {
            sizes.put("org/repo" + i, n[i]);
        }
        List<TypeTrainer.Example> all = examples(sizes);
        List<List<String>> groups = RepositoryFolds.groups(all, 4);
        assertThat(groups).hasSize(4);
        assertThat(groups.stream().flatMap(List::stream).sorted().toList())
                .containsExactlyElementsOf(sizes.keySet());
        long total = sizes.values().stream().mapToLong(Integer::longValue).sum();
        for (List<String> g : groups) {
            long load = g.stream().mapToLong(sizes::get).sum();
            assertThat(load).isBetween(total / 4 - 1000, total / 4 + 1000);
        }
        // the same data gives the same groups
        assertThat(RepositoryFolds.groups(examples(sizes), 4)).isEqualTo(groups);
    }
}
