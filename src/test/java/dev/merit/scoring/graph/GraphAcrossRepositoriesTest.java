package dev.merit.scoring.graph;

import dev.merit.support.Api;
import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A path names a file of its repository: Bob editing README.md in one repository does not build on Ada's README.md in
 * another (before, graph credit read bare paths and linked them). Carol editing Ada's README.md in Ada's repository
 * does. (Dates in March 1981.)
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class GraphAcrossRepositoriesTest {

    @Inject
    ContributionGraph graph;

    @Transactional
    Map<String, ContributionGraph.Credit> creditByAuthor() {
        @SuppressWarnings("unchecked")
        java.util.List<Object[]> rows = Panache.getEntityManager().createNativeQuery("select id, actor_name from "
                        + "contribution where occurred_at >= ?1 and occurred_at < ?2")
                .setParameter(1, Instant.parse("1981-03-01T00:00:00Z")).setParameter(2, Instant.parse("1981-04-01T00:00:00Z"))
                .getResultList();
        // Every contribution of the month, as a run that began now reads them.
        Map<Long, ContributionGraph.Credit> credit = creditOf(rows.stream().map(r -> ((Number) r[0]).longValue())
                .collect(java.util.stream.Collectors.toSet()));
        Map<String, ContributionGraph.Credit> byAuthor = new HashMap<>();
        for (Object[] row : rows) {
            byAuthor.put((String) row[1], credit.get(((Number) row[0]).longValue()));
        }
        return byAuthor;
    }

    @Test
    void aPathIsAFileOfItsRepository() {
        TestRepo a = TestRepo.create("merit-graph-a", Instant.parse("1981-03-01T00:00:00Z"));
        a.write("README.md", "# A\n\nabout a\n").commit("docs: readme", "Ada Graph", "ada@graph.example");
        TestRepo b = TestRepo.create("merit-graph-b", Instant.parse("1981-03-02T00:00:00Z"));
        b.write("README.md", "# B\n\nabout b\n").commit("docs: readme", "Bob Graph", "bob@graph.example");
        long repoA = Api.ingest(a);
        Api.ingest(b);
        assertThat(creditByAuthor().get("Ada Graph").builtOnBy()).as("another repository's README").isZero();

        a.write("README.md", "# A\n\nabout a, and more\n").commitAt(Instant.parse("1981-03-03T00:00:00Z"), "docs: more",
                "Cal Graph", "cal@graph.example");
        io.restassured.RestAssured.given().post("/api/repositories/{id}/ingest", repoA).then().statusCode(200);
        assertThat(creditByAuthor().get("Ada Graph").builtOnBy()).as("her own repository's README").isEqualTo(1);

        // A run reads the epoch's contributions when it begins; Cal's, stored after that, is not in its graph.
        assertThat(creditOf(Set.of(adaId()))).containsOnlyKeys(adaId());
        assertThat(creditOf(Set.of(adaId())).get(adaId()).builtOnBy()).isZero();
    }

    @Transactional
    long adaId() {
        return ((Number) Panache.getEntityManager().createNativeQuery("select id from contribution where actor_name = "
                + "'Ada Graph'").getSingleResult()).longValue();
    }

    @Transactional
    Map<Long, ContributionGraph.Credit> creditOf(Set<Long> scored) {
        return graph.credit(Instant.parse("1981-03-01T00:00:00Z"), Instant.parse("1981-04-01T00:00:00Z"), Set.of(), scored);
    }
}
