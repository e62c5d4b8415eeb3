package dev.merit.scoring.graph;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GraphCreditTest {

    private static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void aTwoNodeCycleSharesEvenly() {
        GraphCredit.Result r = GraphCredit.compute(manager,
                new GraphCredit.Graph(2, new int[]{0, 1}, new int[]{1, 0}, new double[]{1, 1}), 0.85, 1e-12, 200);
        assertThat(r.credit()[0]).isCloseTo(0.5, within(1e-12));
        assertThat(r.credit()[1]).isCloseTo(0.5, within(1e-12));
        assertThat(r.converged()).isTrue();
    }

    @Test
    void aStarMatchesTheClosedForm() {
        // 1 -> 0, 2 -> 0; node 0 is dangling. With d = 0.85: credit = (27/47, 10/47, 10/47).
        GraphCredit.Result r = GraphCredit.compute(manager,
                new GraphCredit.Graph(3, new int[]{1, 2}, new int[]{0, 0}, new double[]{1, 1}), 0.85, 1e-13, 500);
        assertThat(r.credit()[0]).isCloseTo(27.0 / 47, within(1e-10));
        assertThat(r.credit()[1]).isCloseTo(10.0 / 47, within(1e-10));
        assertThat(r.credit()[2]).isCloseTo(10.0 / 47, within(1e-10));
    }

    @Test
    void edgeWeightsSteerTheFlowAndAgreeWithThePlainComputation() {
        GraphCredit.Graph g = new GraphCredit.Graph(3, new int[]{0, 0, 1, 2}, new int[]{1, 2, 0, 0},
                new double[]{3, 1, 1, 1});
        GraphCredit.Result r = GraphCredit.compute(manager, g, 0.85, 1e-12, 500);
        GraphCredit.Result ref = GraphCredit.reference(g, 0.85, 1e-12, 500);
        assertThat(r.credit()[1]).isGreaterThan(r.credit()[2] * 2);
        for (int v = 0; v < 3; v++) {
            assertThat(r.credit()[v]).isCloseTo(ref.credit()[v], within(1e-12));
        }
    }

    @Test
    void creditSumsToOneAndRunsAreBitForBitEqual() {
        Random random = new Random(3);
        int n = 20_000;
        int m = 100_000;
        int[] from = new int[m];
        int[] to = new int[m];
        double[] w = new double[m];
        for (int e = 0; e < m; e++) {
            from[e] = random.nextInt(n);
            to[e] = random.nextInt(n);
            w[e] = 1 + random.nextInt(4);
        }
        GraphCredit.Graph g = new GraphCredit.Graph(n, from, to, w);
        GraphCredit.Result a = GraphCredit.compute(manager, g, 0.85, 1e-10, 200);
        GraphCredit.Result b = GraphCredit.compute(manager, g, 0.85, 1e-10, 200);
        assertThat(a.credit()).isEqualTo(b.credit());
        assertThat(java.util.Arrays.stream(a.credit()).sum()).isCloseTo(1.0, within(1e-9));
        GraphCredit.Result ref = GraphCredit.reference(g, 0.85, 1e-10, 200);
        for (int v = 0; v < n; v += 997) {
            assertThat(a.credit()[v]).isCloseTo(ref.credit()[v], within(1e-12));
        }
    }

    @Test
    void theCpuKernelAndTheNdArrayPathAgreeWithTheReferenceAndTheCpuIsTheDefaultThere() {
        Random random = new Random(5);
        int n = 50_000;
        int m = 300_000;
        int[] from = new int[m];
        int[] to = new int[m];
        double[] w = new double[m];
        for (int e = 0; e < m; e++) {
            from[e] = random.nextInt(n);
            // skewed targets, and a tenth of the nodes dangling (never a source)
            to[e] = (int) Math.min(n - 1, Math.abs(random.nextGaussian()) * n / 6);
            w[e] = 1 + random.nextInt(3);
            if (from[e] % 10 == 0) {
                from[e]++;
            }
        }
        GraphCredit.Graph g = new GraphCredit.Graph(n, from, to, w);
        GraphCredit.Result ref = GraphCredit.reference(g, 0.85, 1e-12, 300);
        GraphCredit.Result cpu = GraphCredit.onCpu(g, 0.85, 1e-12, 300);
        GraphCredit.Result engine = GraphCredit.onEngine(manager, g, 0.85, 1e-12, 300);
        assertThat(cpu.iterations()).isEqualTo(ref.iterations());
        double worst = 0;
        for (int v = 0; v < n; v++) {
            worst = Math.max(worst, Math.max(Math.abs(cpu.credit()[v] - ref.credit()[v]),
                    Math.abs(engine.credit()[v] - ref.credit()[v])));
        }
        assertThat(worst).isLessThan(1e-12);
        assertThat(GraphCredit.onCpu(g, 0.85, 1e-12, 300).credit()).isEqualTo(cpu.credit());
        assertThat(GraphCredit.compute(manager, g, 0.85, 1e-12, 300).credit())
                .as("on a CPU manager, compute takes the plain-Java kernel").isEqualTo(cpu.credit());
    }

    @Test
    void edgesOutsideTheGraphOrNegativeWeightsAreRefused() {
        assertThatThrownBy(() -> new GraphCredit.Graph(2, new int[]{0}, new int[]{2}, new double[]{1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaves the graph");
        assertThatThrownBy(() -> new GraphCredit.Graph(2, new int[]{0}, new int[]{1}, new double[]{-1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weights are >= 0");
    }
}
