package dev.merit.ingest.git;

import dev.merit.support.GitCli;
import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class GitIngestTest {

    private static TestRepo repo;
    private static long repositoryId;
    private static JsonPath firstIngest;

    @BeforeEach
    void ingestOnce() {
        if (repo != null) {
            return;
        }
        repo = buildHistory();
        repositoryId = given().contentType(ContentType.JSON).body(Map.of("location", repo.path()))
                .when().post("/api/repositories")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        firstIngest = given().when().post("/api/repositories/{id}/ingest", repositoryId)
                .then().log().ifValidationFails().statusCode(200).extract().jsonPath();
    }

    /** A small history with everything ingestion must handle. Times start in 2001 so no other test overlaps. */
    static TestRepo buildHistory() {
        TestRepo r = TestRepo.create("merit-ingest", Instant.parse("2001-01-01T00:00:00Z"));
        r.write(".mailmap", "Alice Liddell <alice@example.com> <alice@old.example.org>\n")
                .write(".gitattributes", "gen/** linguist-generated\n")
                .write("README.md", "# Widget\n\nA widget.\n")
                .write("src/util.c", "int add(int a, int b) {\n    return a + b;\n}\n")
                .commit("feat: first widget", "Alice Liddell", "alice@example.com");
        r.write("src/main.c", "#include <stdio.h>\n\nint main(void) {\n    puts(\"hi\");\n    return 0;\n}\n")
                .commit("add main", "Alice L.", "alice@old.example.org");
        r.write("src/util.c", "int add(int a, int b) {\n    return a + b;\n}\n\nint sub(int a, int b) {\n    return a - b;\n}\n")
                .commit("feat: subtraction\n\nCo-authored-by: Carol Danvers <carol@example.com>\n", "Bob Builder", "bob@example.com");
        r.writeBytes("assets/logo.png", new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13, 1, 2, 3})
                .commit("Add logo", "Bob Builder", "bob@example.com");
        r.write("package-lock.json", "{\n  \"lockfileVersion\": 3\n}\n")
                .commit("chore(deps): bump left-pad from 1.0.0 to 1.1.0", "dependabot[bot]",
                        "49699333+dependabot[bot]@users.noreply.github.com");
        r.rename("src/util.c", "src/lib/util.c").commit("refactor: move util into lib", "Bob Builder", "bob@example.com");
        r.write("gen/parser.c", "// generated\nint parse(void) { return 1; }\nint lex(void) { return 2; }\n")
                .commit("regenerate parser", "Carol Danvers", "carol@example.com");
        r.write("src/main.c", "#include <stdio.h>\n\nint main(void) {\n        puts(\"hi\");\n        return 0;\n}\n")
                .commit("style: indent", "Alice Liddell", "alice@example.com");
        r.branch("feature").write("docs/guide.md", "# Guide\n\nUse it.\n")
                .commit("docs: guide", "Carol Danvers", "carol@example.com");
        r.checkout("main").write("src/lib/util.c",
                        "int add(int a, int b) {\n    return a + b;\n}\n\nint sub(int a, int b) {\n    return a - b;\n}\n\nint mul(int a, int b) {\n    return a * b;\n}\n")
                .commit("feat: multiplication", "Bob Builder", "bob@example.com");
        r.merge("feature", "Alice Liddell", "alice@example.com");
        return r;
    }

    private static JsonPath contribution(String title) {
        List<Map<String, Object>> all = given().queryParam("repositoryId", repositoryId).queryParam("size", 500)
                .when().get("/api/contributions").then().statusCode(200).extract().jsonPath().getList("$");
        Object id = all.stream().filter(c -> c.get("title").equals(title)).findFirst().orElseThrow().get("id");
        return given().when().get("/api/contributions/{id}", id).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void ingestStoresEveryCommitOfTheBranch() {
        int commits = Integer.parseInt(GitCli.run(repo.dir(), "rev-list", "--count", "HEAD").strip());
        assertThat(firstIngest.getInt("commitsRead")).isEqualTo(commits);
        assertThat(firstIngest.getInt("contributionsStored")).isEqualTo(commits);
    }

    @Test
    void reingestIsIdempotentAndIncremental() {
        JsonPath again = given().when().post("/api/repositories/{id}/ingest", repositoryId)
                .then().statusCode(200).extract().jsonPath();
        assertThat(again.getInt("commitsRead")).isZero();
        assertThat(again.getInt("contributionsStored")).isZero();

        repo.write("src/extra.c", "int extra;\n").commit("feat: extra", "Bob Builder", "bob@example.com");
        JsonPath next = given().when().post("/api/repositories/{id}/ingest", repositoryId)
                .then().statusCode(200).extract().jsonPath();
        assertThat(next.getInt("commitsRead")).isEqualTo(1);
        assertThat(next.getInt("contributionsStored")).isEqualTo(1);
        int total = Integer.parseInt(GitCli.run(repo.dir(), "rev-list", "--count", "HEAD").strip());
        given().when().get("/api/repositories/{id}", repositoryId).then().statusCode(200)
                .body("commitCount", org.hamcrest.Matchers.equalTo(total));
    }

    @Test
    void perAuthorTotalsEqualGitLogNumstat() {
        Map<String, GitCli.Totals> git = GitCli.numstatByAuthor(repo.dir());
        List<Map<String, Object>> merit = given().when().get("/api/repositories/{id}/authors", repositoryId)
                .then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, GitCli.Totals> ours = new TreeMap<>();
        merit.forEach(a -> ours.put((String) a.get("email"), new GitCli.Totals(((Number) a.get("commits")).longValue(),
                ((Number) a.get("linesAdded")).longValue(), ((Number) a.get("linesDeleted")).longValue())));
        assertThat(ours).isEqualTo(git);
    }

    @Test
    void mailmapMergesTheSameAuthorsEmails() {
        List<Map<String, Object>> found = given().queryParam("q", "alice").when().get("/api/contributors")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(found).hasSize(1);
        List<Map<String, Object>> identities = (List<Map<String, Object>>) found.get(0).get("identities");
        assertThat(identities).extracting(i -> i.get("handle"))
                .contains("alice@example.com", "alice@old.example.org");
        assertThat(found.get(0).get("displayName")).isEqualTo("Alice Liddell");
    }

    @Test
    void botsAreRecognisedAndLockFilesExcluded() {
        List<Map<String, Object>> found = given().queryParam("q", "dependabot").when().get("/api/contributors")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(found).singleElement().satisfies(c -> assertThat(c.get("bot")).isEqualTo(true));
        assertThat(found.get(0).get("identities").toString()).contains("github:dependabot[bot]");
        JsonPath bump = contribution("chore(deps): bump left-pad from 1.0.0 to 1.1.0");
        assertThat(bump.getInt("metrics.excluded.lockfile")).isEqualTo(3);
        assertThat(bump.getInt("metrics.effectiveLines")).isZero();
    }

    @Test
    void coAuthorsShareCredit() {
        JsonPath c = contribution("feat: subtraction");
        assertThat(c.getList("credits.role")).containsExactly("AUTHOR", "CO_AUTHOR");
    }

    @Test
    void binaryFilesHaveNoLineCounts() {
        JsonPath c = contribution("Add logo");
        assertThat(c.getString("files[0].category")).isEqualTo("BINARY");
        assertThat(c.<Object>get("files[0].linesAdded")).isNull();
        assertThat(c.getInt("metrics.binaryFiles")).isEqualTo(1);
    }

    @Test
    void renamesAreDetectedAndMovedLinesAreNotWork() {
        JsonPath c = contribution("refactor: move util into lib");
        assertThat(c.getList("files.change")).contains("RENAME", "DELETE");
        assertThat(c.getString("files.find { it.change == 'RENAME' }.oldPath")).isEqualTo("src/util.c");
        assertThat(c.getInt("metrics.linesAdded")).isEqualTo(7);
        assertThat(c.getInt("metrics.linesDeleted")).isEqualTo(7);
        assertThat(c.getInt("metrics.renamedFiles")).isEqualTo(1);
        assertThat(c.getInt("metrics.effectiveLines")).isZero();
    }

    @Test
    void generatedFilesFromGitattributesAreExcluded() {
        JsonPath c = contribution("regenerate parser");
        assertThat(c.getString("files[0].category")).isEqualTo("GENERATED");
        assertThat(c.getInt("metrics.excluded.generated")).isEqualTo(3);
        assertThat(c.getInt("metrics.effectiveLines")).isZero();
    }

    @Test
    void whitespaceOnlyChangesAreNotWork() {
        JsonPath c = contribution("style: indent");
        assertThat(c.getInt("metrics.linesAdded")).isEqualTo(2);
        assertThat(c.getInt("metrics.whitespaceLines")).isEqualTo(4);
        assertThat(c.getInt("metrics.effectiveLines")).isZero();
    }

    @Test
    void mergeCommitsAreStoredWithoutLines() {
        JsonPath c = contribution("Merge branch 'feature'");
        assertThat(c.getString("kind")).isEqualTo("merge");
        assertThat(c.getInt("metrics.linesAdded")).isZero();
    }
}
