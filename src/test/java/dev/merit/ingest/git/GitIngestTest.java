package dev.merit.ingest.git;

import dev.merit.support.GitCli;
import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
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

    @Inject
    EntityManager em;

    @Inject
    GitRepositoryService repositories;

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

    @Test
    void aRepositoryIsRegisteredOnceWhateverItsSpelling() throws java.io.IOException {
        // The same directory as a file: URL (which would have been cloned beside it and read as a second repository).
        given().contentType(ContentType.JSON).body(Map.of("location", java.nio.file.Path.of(repo.path()).toUri().toString()))
                .post("/api/repositories").then().statusCode(409).body("type", org.hamcrest.Matchers.equalTo(
                        "/problems/already-registered")).body("repositoryId", org.hamcrest.Matchers.equalTo((int) repositoryId));
        // Its Git directory is the same repository too.
        given().contentType(ContentType.JSON).body(Map.of("location", repo.path() + "/.git")).post("/api/repositories")
                .then().statusCode(409).body("repositoryId", org.hamcrest.Matchers.equalTo((int) repositoryId));
        // And so is a symbolic link to it.
        java.nio.file.Path link = dev.merit.support.TempPaths.directory("merit-link").resolve("widget");
        java.nio.file.Files.createSymbolicLink(link, java.nio.file.Path.of(repo.path()));
        given().contentType(ContentType.JSON).body(Map.of("location", link.toString())).post("/api/repositories")
                .then().statusCode(409).body("repositoryId", org.hamcrest.Matchers.equalTo((int) repositoryId));
        // `merit ingest LINK` ingests it (it answered 409 as a second registration), as `merit authors` reads it.
        assertThat(repositories.ingestLocation(link.toString(), null).repositoryId()).isEqualTo(repositoryId);
        assertThat(repositories.findByLocation(java.nio.file.Path.of(repo.path()).toUri().toString()))
                .hasValueSatisfying(r -> assertThat(r.id).isEqualTo(repositoryId));
        assertThat(GitLocations.sameRepositoryKey("https://GitHub.com/Owner/Repo.git/"))
                .isEqualTo(GitLocations.sameRepositoryKey("https://github.com/Owner/Repo"))
                .isEqualTo(GitLocations.sameRepositoryKey("https://token@github.com/Owner/Repo"))
                .isNotEqualTo(GitLocations.sameRepositoryKey("https://github.com/Owner/Other"));
    }

    @Test
    void aRepositoryCanBeRegisteredUnderAName() {
        // Without a name a repository is called after its directory: "widget" for both of two clones of projects
        // with one name, "repo" for a mirror. A name is given once, at registration.
        TestRepo mirror = TestRepo.create("merit-named", Instant.parse("2001-01-01T00:00:00Z"));
        java.nio.file.Path dir = mirror.dir();
        mirror.write("a.txt", "a\n").commit("first", "Alice Liddell", "alice@example.com");
        given().contentType(ContentType.JSON).body(Map.of("location", dir.toString(), "name", "acme/\u0000widget"))
                .post("/api/repositories").then().statusCode(400).body("detail", org.hamcrest.Matchers.containsString(
                        "'name' holds a control character"));
        given().contentType(ContentType.JSON).body(Map.of("location", dir.toString(), "name", "x".repeat(256)))
                .post("/api/repositories").then().statusCode(400);
        long id = given().contentType(ContentType.JSON)
                .body(Map.of("location", dir.toString(), "name", " acme/widget ")).post("/api/repositories")
                .then().statusCode(201).body("name", org.hamcrest.Matchers.equalTo("acme/widget"))
                .extract().jsonPath().getLong("id");
        // `merit ingest PATH --name` ingests it under that name and refuses another: its contributions carry it.
        assertThat(repositories.ingestLocation(dir.toString(), null, false, false, "acme/widget").repository())
                .isEqualTo("acme/widget");
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(dev.merit.problem.ProblemException.class,
                () -> repositories.ingestLocation(dir.toString(), null, false, false, "widget")).getMessage())
                .contains("is registered as 'acme/widget' on its default branch (HEAD), id " + id);
        // So is a branch: later ingests read what reached the registered one, never silently another.
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(dev.merit.problem.ProblemException.class,
                () -> repositories.ingestLocation(dir.toString(), "release", false, false, null)).getMessage())
                .contains("on its default branch (HEAD), id " + id).contains("ingest it without --name and --branch");
        // A name the caller did not give is the directory's.
        assertThat(repositories.ingestLocation(repo.path(), null).repository())
                .isEqualTo(GitLocations.nameOf(repo.path()));
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
        r.write("requirements/dev.in", "pytest\n")
                .write("requirements/dev.txt", "#\n# This file is autogenerated by pip-compile with Python 3.12\n#\n"
                        + "pytest==8.3.2\n    # via -r dev.in\n")
                .commit("update requirements", "Carol Danvers", "carol@example.com");
        r.write("src/fmt.py", "x = foo('a',\n        'b')\nz = 0\ny = 1\n")
                .commit("add fmt", "Carol Danvers", "carol@example.com");
        r.write("src/fmt.py", "x = foo(\"a\", \"b\")\nz = 0\ny = 2\n")
                .commit("Reformat with black, and y = 2", "Bob Builder", "bob@example.com");
        r.write("src/main.c", "#include <stdio.h>\n\nint main(void) {\n        puts(\"hi\");\n        return 0;\n}\n")
                .commit("style: indent", "Alice Liddell", "alice@example.com");
        r.write("src/calls.py", "a = fetch_rows(1)\nb = fetch_rows(2)\nc = fetch_rows(3)\nd = fetch_rows(4)\n")
                .commit("add calls", "Alice Liddell", "alice@example.com");
        r.write("src/calls.py", "a = load_rows(1)\nb = load_rows(2)\nc = load_rows(3)\nd = load_rows(4)\n")
                .commit("rename fetch_rows to load_rows", "Alice Liddell", "alice@example.com");
        r.write("pkg/old/handler.py", "x = old_api.get(1)\ny = old_api.get(2)\nz = old_api.get(3)\nw = old_api.get(4)\nkeep = 1\n")
                .commit("add handler", "Alice Liddell", "alice@example.com");
        r.delete("pkg/old/handler.py")
                .write("pkg/new/handler.py", "x = new_api.get(1)\ny = new_api.get(2)\nz = new_api.get(3)\nw = new_api.get(4)\nkeep = 1\n")
                .commit("move the handler to pkg/new, on new_api", "Alice Liddell", "alice@example.com");
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
    void filesWhoseHeaderSaysAToolGeneratedThemAreNotWork() {
        JsonPath c = contribution("update requirements");
        assertThat(c.getString("files.find { it.path == 'requirements/dev.txt' }.category")).isEqualTo("GENERATED");
        assertThat(c.getString("files.find { it.path == 'requirements/dev.in' }.category")).isEqualTo("SOURCE");
        assertThat(c.getInt("metrics.linesAdded")).isEqualTo(6);
        assertThat(c.getInt("metrics.excluded.generated")).isEqualTo(5);
        assertThat(c.getInt("metrics.effectiveLines")).isEqualTo(1);
    }

    @Test
    void aRefreshGivesCommitsStoredByAnOlderVersionTodaysMeasurements() {
        // As an older version stored it: no generated-file notice rule (all 6 lines work), no patch identity or lines.
        long id = contribution("update requirements").getLong("id");
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("update contribution set effective_lines = 6, patch_id = null, changed_lines = null, "
                    + "metrics = ?1 where id = ?2").setParameter(1, "{\"linesAdded\":6,\"linesDeleted\":0,"
                    + "\"filesChanged\":2,\"binaryFiles\":0,\"renamedFiles\":0,\"excluded\":{},"
                    + "\"whitespaceLines\":0,\"movedLines\":0,\"effectiveLines\":6}").setParameter(2, id).executeUpdate();
            em.createNativeQuery("update contribution_file set category = 'SOURCE', effective_lines = 5 "
                    + "where contribution_id = ?1 and path = 'requirements/dev.txt'").setParameter(1, id).executeUpdate();
        });
        assertThat(contribution("update requirements").getInt("metrics.effectiveLines")).isEqualTo(6);

        JsonPath refresh = given().queryParam("refresh", true).when().post("/api/repositories/{id}/ingest", repositoryId)
                .then().statusCode(200).extract().jsonPath();
        int commits = Integer.parseInt(GitCli.run(repo.dir(), "rev-list", "--count", "HEAD").strip());
        assertThat(refresh.getInt("commitsRead")).isEqualTo(commits);
        assertThat(refresh.getInt("contributionsStored")).isZero();
        assertThat(refresh.getInt("remeasured")).isEqualTo(1);
        JsonPath c = contribution("update requirements");
        assertThat(c.getInt("metrics.effectiveLines")).isEqualTo(1);
        assertThat(c.getInt("metrics.excluded.generated")).isEqualTo(5);
        assertThat(c.getString("files.find { it.path == 'requirements/dev.txt' }.category")).isEqualTo("GENERATED");
        assertThat(c.getList("files")).hasSize(2);
        Object[] identity = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery(
                "select patch_id, changed_lines from contribution where id = ?1").setParameter(1, id).getSingleResult());
        assertThat((String) identity[0]).hasSize(64);
        assertThat((byte[]) identity[1]).isNotEmpty();
        // Nothing differs any more: a second refresh rewrites nothing.
        given().queryParam("refresh", true).when().post("/api/repositories/{id}/ingest", repositoryId)
                .then().statusCode(200).body("remeasured", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void hunksAFormatterRewroteAreNotWork() {
        JsonPath c = contribution("Reformat with black, and y = 2");
        assertThat(c.getInt("metrics.linesAdded")).isEqualTo(2);
        assertThat(c.getInt("metrics.linesDeleted")).isEqualTo(3);
        // The call re-quoted and joined onto one line (2 deleted, 1 added) is formatting; y = 1 -> 2 is work.
        assertThat(c.getInt("metrics.whitespaceLines")).isEqualTo(3);
        assertThat(c.getInt("metrics.effectiveLines")).isEqualTo(2);
    }

    @Test
    void theSameReplacementMadeAgainAndAgainIsWorkOnce() {
        JsonPath c = contribution("rename fetch_rows to load_rows");
        assertThat(c.getInt("metrics.linesAdded")).isEqualTo(4);
        assertThat(c.getInt("metrics.linesDeleted")).isEqualTo(4);
        // The first call renamed is work (2 lines); the three after it are the same edit again.
        assertThat(c.getInt("metrics.repeatedLines")).isEqualTo(6);
        assertThat(c.getInt("metrics.effectiveLines")).isEqualTo(2);
        assertThat(c.getInt("files.find { it.path == 'src/calls.py' }.effectiveLines")).isEqualTo(2);
    }

    @Test
    void aFileMovedAndEditedTheSameWayThroughoutIsWorkOnce() {
        JsonPath c = contribution("move the handler to pkg/new, on new_api");
        assertThat(c.getInt("metrics.linesAdded")).isEqualTo(5);
        assertThat(c.getInt("metrics.linesDeleted")).isEqualTo(5);
        assertThat(c.getInt("metrics.movedLines")).isEqualTo(2);
        assertThat(c.getInt("metrics.repeatedLines")).isEqualTo(6);
        assertThat(c.getInt("metrics.effectiveLines")).isEqualTo(2);
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
