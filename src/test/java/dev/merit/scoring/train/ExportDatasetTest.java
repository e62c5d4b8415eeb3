package dev.merit.scoring.train;

import dev.merit.ingest.git.GitRepositoryService;
import dev.merit.support.GitCli;
import dev.merit.support.PostgresResource;
import dev.merit.support.TempPaths;
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
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Any repository becomes training data through Merit's own ingestion, with git's own line counts. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ExportDatasetTest {

    @Inject
    DatasetExporter exporter;

    @Inject
    GitRepositoryService repositories;

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

        Path file = TempPaths.file("export", ".jsonl");
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

    @Test
    void peopleOnlyLeavesBotsCommitsOut() throws Exception {
        TestRepo r = TestRepo.create("merit-people", Instant.parse("2013-01-01T00:00:00Z"));
        r.write("a.txt", "1\n").commit("feat: a", "Eve People", "eve@people.example");
        r.write("package.json", "{}\n").commit("chore(deps): bump x from 1.0.0 to 1.0.1", "dependabot[bot]",
                "49699333+dependabot[bot]@users.noreply.github.com");
        r.write("b.txt", "2\n").commit("chore(deps): update dependency y to v2", "Renovate Bot", "bot@renovateapp.com");
        r.write("a.txt", "1\n2\n").commit("fix: a", "Sam People", "sam@people.example");
        long repo = given().contentType(ContentType.JSON).body(Map.of("location", r.path())).post("/api/repositories")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        given().post("/api/repositories/{id}/ingest", repo).then().statusCode(200);

        StringWriter everyone = new StringWriter();
        assertThat(exporter.export(repo, "merit-people", "", everyone, false, false).written()).isEqualTo(4);
        StringWriter people = new StringWriter();
        DatasetExporter.Result result = exporter.export(repo, "merit-people", "", people, false, true);
        assertThat(result.written()).isEqualTo(2);
        assertThat(result.botCommitsLeftOut()).isEqualTo(2);
        assertThat(people.toString()).contains("feat: a", "fix: a").doesNotContain("bump x", "dependency y");
    }

    @Test
    void aPartialCloneIsRefusedWithAdviceUnlessExportingTrainingData() throws Exception {
        TestRepo r = TestRepo.create("merit-partial", Instant.parse("1981-01-01T00:00:00Z"));
        String big = "line\n".repeat(500);
        r.write("big.txt", big).write("small.txt", "1\n2\n").commit("feat: both", "Pat Partial", "pat@partial.example");
        r.write("small.txt", "1\n2\n3\n").commit("fix: small", "Pat Partial", "pat@partial.example");
        r.write("big.txt", big + "one more\n").commit("fix: big", "Pat Partial", "pat@partial.example");
        String blob = r.dropBlob(big);

        long repo = given().contentType(ContentType.JSON).body(Map.of("location", r.path())).post("/api/repositories")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        given().post("/api/repositories/{id}/ingest", repo)
                .then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("Missing blob " + blob))
                .body("detail", containsString("partial or shallow clone"))
                .body("detail", containsString("export-dataset --allow-missing-blobs"));
        given().get("/api/repositories/{id}", repo).then().statusCode(200).body("commitCount", equalTo(0));

        GitRepositoryService.IngestReport report = repositories.ingest(repo, true);
        assertThat(report.contributionsStored()).isEqualTo(3);
        assertThat(report.missingBlobs()).as("one blob, read by two commits").isEqualTo(1);
        StringWriter out = new StringWriter();
        exporter.export(repo, "merit-partial", "", out);
        Path file = TempPaths.file("partial", ".jsonl");
        Files.writeString(file, out.toString());
        Map<String, CommitDataset.Commit> byMessage = new HashMap<>();
        CommitDataset.read(List.of(file)).commits().forEach(c -> byMessage.put(c.message(), c));
        assertThat(byMessage.get("feat: both").files()).extracting(f -> f.path() + " " + f.added() + " " + f.deleted())
                .containsExactlyInAnyOrder("big.txt null null", "small.txt 2 0");
        assertThat(byMessage.get("fix: small").files()).extracting(f -> f.path() + " " + f.added() + " " + f.deleted())
                .containsExactly("small.txt 1 0");
        assertThat(byMessage.get("fix: big").files()).extracting(f -> f.path() + " " + f.added() + " " + f.deleted())
                .containsExactly("big.txt null null");
    }
}
