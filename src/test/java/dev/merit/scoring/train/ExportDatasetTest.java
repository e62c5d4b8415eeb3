package dev.merit.scoring.train;

import dev.merit.support.GitCli;
import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Any repository becomes training data through Merit's own ingestion, with git's own line counts. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ExportDatasetTest {

    @Inject
    DatasetExporter exporter;

    @Test
    void exportedCommitsCarryGitsNumstatAndNoEmailAddresses() throws Exception {
        TestRepo r = TestRepo.create("merit-export", Instant.parse("2012-01-01T00:00:00Z"));
        r.write("a.txt", "1\n2\n3\n").commit("feat: a", "Eve Export", "eve@export.example");
        r.writeBytes("b.bin", new byte[]{0, 1, 2}).write("a.txt", "1\n3\n4\n").commit("fix: b", "Eve Export", "eve@export.example");
        r.branch("side").write("c.txt", "c\n").commit("docs: c", "Sam Export", "sam@export.example");
        r.checkout("main");
        r.merge("side", "Eve Export", "eve@export.example");
        long repo = given().contentType(ContentType.JSON).body(Map.of("location", r.path())).post("/api/repositories")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        given().post("/api/repositories/{id}/ingest", repo).then().statusCode(200);

        StringWriter out = new StringWriter();
        int n = exporter.export(repo, "merit-export", "pepper", out);
        assertThat(n).isEqualTo(3); // the merge is left out
        assertThat(out.toString()).doesNotContain("@export.example");

        Path file = Files.createTempFile("export", ".jsonl");
        Files.writeString(file, out.toString());
        List<CommitDataset.Commit> commits = CommitDataset.read(List.of(file)).commits();
        Map<String, String> numstat = new HashMap<>();
        for (CommitDataset.Commit c : commits) {
            List<String> ours = c.files().stream().map(f -> (f.added() == null ? "-" : f.added()) + "\t"
                    + (f.deleted() == null ? "-" : f.deleted()) + "\t" + f.path()).sorted().toList();
            numstat.put(c.sha(), String.join("\n", ours));
            String git = GitCli.run(r.dir(), "show", "--numstat", "--no-renames", "--format=", c.sha());
            assertThat(ours).isEqualTo(git.lines().filter(l -> !l.isBlank()).sorted().toList());
        }
        assertThat(commits).extracting(CommitDataset.Commit::message).containsExactlyInAnyOrder("feat: a", "fix: b", "docs: c");
        assertThat(commits).extracting(CommitDataset.Commit::author).allSatisfy(a -> assertThat(a).hasSize(16));
    }
}
