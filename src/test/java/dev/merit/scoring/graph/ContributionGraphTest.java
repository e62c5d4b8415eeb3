package dev.merit.scoring.graph;

import dev.merit.scoring.Factor;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ContributionGraphTest {

    static GraphConfig config(double buildsOn) {
        return new GraphConfig() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public Map<String, BigDecimal> edgeWeights() {
                return Map.of(ContributionGraph.BUILDS_ON, BigDecimal.valueOf(buildsOn));
            }

            @Override
            public BigDecimal influence() {
                return new BigDecimal("0.25");
            }

            @Override
            public BigDecimal floor() {
                return new BigDecimal("0.5");
            }

            @Override
            public BigDecimal cap() {
                return new BigDecimal("2.0");
            }

            @Override
            public double damping() {
                return 0.85;
            }

            @Override
            public double tolerance() {
                return 1e-12;
            }

            @Override
            public int maxIterations() {
                return 200;
            }
        };
    }

    private static ContributionGraph.Node node(long id, int day, Set<Long> authors, String... paths) {
        return new ContributionGraph.Node(id, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(86_400L * day), authors,
                List.of(paths));
    }

    @Test
    void workOthersBuildOnGainsAndOwnFollowUpsEarnNothing() {
        long ann = 1;
        long ben = 2;
        List<ContributionGraph.Node> nodes = List.of(
                node(10, 3, Set.of(ann), "core.go"),         // built on by Ben (11)
                node(11, 4, Set.of(ben), "core.go"),         // built on by Ann (12)
                node(12, 5, Set.of(ann), "core.go"),         // nobody after
                node(20, 1, Set.of(ann), "own.go"),          // only Ann follows up: no link
                node(21, 2, Set.of(ann), "own.go"));
        Map<Long, ContributionGraph.Credit> credit = new ContributionGraph(config(1.0)).credit(nodes);
        BigDecimal a = credit.get(10L).factor().value();
        BigDecimal b = credit.get(11L).factor().value();
        BigDecimal c = credit.get(12L).factor().value();
        assertThat(a).isGreaterThan(b);
        assertThat(b).isGreaterThan(c);
        assertThat(credit.get(20L).factor().value()).isEqualByComparingTo(credit.get(21L).factor().value());
        assertThat(credit.get(10L).builtOnBy()).isEqualTo(1);
        assertThat(credit.get(20L).builtOnBy()).isZero();
        assertThat(credit.get(10L).factor().detail()).contains("built on by 1 later contribution of others");
        assertThat(credit.values()).allSatisfy(x -> {
            assertThat(x.factor().op()).isEqualTo(Factor.Op.MULTIPLY);
            assertThat(x.factor().value()).isBetween(new BigDecimal("0.5"), new BigDecimal("2.0"));
        });
        // Deterministic: the same graph in another order gives the same factors.
        Map<Long, ContributionGraph.Credit> again = new ContributionGraph(config(1.0))
                .credit(List.of(nodes.get(4), nodes.get(2), nodes.get(0), nodes.get(3), nodes.get(1)));
        credit.forEach((id, x) -> assertThat(again.get(id).factor()).isEqualTo(x.factor()));
    }

    @Test
    void commitsOneMergeBroughtKeepTheOrderTheyWereWrittenIn() {
        // Ann's and then Ben's commit of one pull request reach the branch with its merge, at one date. Ben built on
        // Ann's, whatever order their ids came in (an ingest reads newest first).
        long ann = 1;
        long ben = 2;
        Instant merged = Instant.parse("2026-02-03T09:00:00Z");
        List<ContributionGraph.Node> nodes = List.of(
                new ContributionGraph.Node(50, merged, merged.minusSeconds(3600), "git:bbb", Set.of(ben), List.of("core.go"), false),
                new ContributionGraph.Node(51, merged, merged.minusSeconds(7200), "git:ccc", Set.of(ann), List.of("core.go"), false));
        Map<Long, ContributionGraph.Credit> credit = new ContributionGraph(config(1.0)).credit(nodes);
        assertThat(credit.get(51L).builtOnBy()).isEqualTo(1);
        assertThat(credit.get(50L).builtOnBy()).isZero();

        // Two commits of one second: their hashes order them, not the ids a database gave them. A database that
        // ingested the same history in another order gives the same credit.
        Instant second = Instant.parse("2026-02-04T09:00:00Z");
        for (long[] ids : new long[][]{{60, 61}, {61, 60}}) {
            Map<Long, ContributionGraph.Credit> tie = new ContributionGraph(config(1.0)).credit(List.of(
                    new ContributionGraph.Node(ids[0], second, second, "git:aaa", Set.of(ann), List.of("x.go"), false),
                    new ContributionGraph.Node(ids[1], second, second, "git:fff", Set.of(ben), List.of("x.go"), false)));
            assertThat(tie.get(ids[0]).builtOnBy()).as("ids %s", java.util.Arrays.toString(ids)).isEqualTo(1);
            assertThat(tie.get(ids[1]).builtOnBy()).isZero();
        }
    }

    @Test
    void withoutLinksEveryFactorIsOne() {
        List<ContributionGraph.Node> nodes = List.of(node(1, 1, Set.of(1L), "a"), node(2, 2, Set.of(2L), "b"));
        assertThat(new ContributionGraph(config(1.0)).credit(nodes).values())
                .allSatisfy(x -> assertThat(x.factor().value()).isEqualByComparingTo("1"));
        List<ContributionGraph.Node> linked = List.of(node(1, 1, Set.of(1L), "a"), node(2, 2, Set.of(2L), "a"));
        assertThat(new ContributionGraph(config(0)).credit(linked).values())
                .allSatisfy(x -> assertThat(x.factor().value()).isEqualByComparingTo("1"));
    }

    @Test
    void beingRevertedByOthersEarnsNoCredit() {
        long ann = 1;
        long ben = 2;
        Instant day = Instant.parse("2026-01-01T00:00:00Z");
        List<ContributionGraph.Node> nodes = List.of(
                new ContributionGraph.Node(30, day, Set.of(ann), List.of("core.go")),
                // Ben reverts Ann's change: it touches her file but builds on nothing
                new ContributionGraph.Node(31, day.plusSeconds(60), Set.of(ben), List.of("core.go"), true),
                new ContributionGraph.Node(40, day, Set.of(ann), List.of("other.go")));
        Map<Long, ContributionGraph.Credit> credit = new ContributionGraph(config(1.0)).credit(nodes);
        assertThat(credit.get(30L).builtOnBy()).isZero();
        assertThat(credit.get(30L).factor().value()).isEqualByComparingTo(credit.get(40L).factor().value());

        // the same change by Ben, not a revert, is work built on Ann's
        List<ContributionGraph.Node> built = List.of(nodes.get(0),
                new ContributionGraph.Node(31, day.plusSeconds(60), Set.of(ben), List.of("core.go")), nodes.get(2));
        assertThat(new ContributionGraph(config(1.0)).credit(built).get(30L).builtOnBy()).isEqualTo(1);
        // the rule is part of the policy, so runs made before it keep a different policy hash
        assertThat(new ContributionGraph(config(1.0)).policy()).containsEntry("reverts", "build on nothing");
    }
}
