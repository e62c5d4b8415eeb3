package dev.merit.contributor;

import dev.merit.support.Api;
import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A contributor met through an e-mail address alone (a commit without an author name, or with an address for one) is
 * named by the address shortened, as everyone but maintainers reads addresses: a name is public, an address is not.
 * Year 1976.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class AddressNameTest {

    @Test
    void aContributorKnownByAnAddressIsNamedByItShortened() {
        TestRepo r = TestRepo.create("merit-address-names", Instant.parse("1976-03-01T00:00:00Z"));
        r.write("a.c", "int a;\n").commit("feat: a", "gus.address@names.example", "gus.address@names.example");
        r.write("b.c", "int b;\n").commit("fix: b", "", "nameless@names.example");
        r.write("c.c", "int c;\n").commit("docs: c", "Ida Address", "ida@names.example");
        Api.ingest(r);
        assertThat(person("gus.address@names.example").getString("displayName")).isEqualTo("g…@names.example");
        assertThat(person("nameless@names.example").getString("displayName")).isEqualTo("n…@names.example");
        assertThat(person("ida@names.example").getString("displayName")).isEqualTo("Ida Address");
        // The identity keeps the whole address (a maintainer reads it; this test calls as one, from this machine).
        assertThat(person("nameless@names.example").getList("identities.handle")).contains("nameless@names.example");
    }

    /** Migration V34 names the contributors Merit met before it the same way, on this database (PostgreSQL). */
    @Test
    void theMigrationShortensAddressNamesAndLeavesNamesAlone() throws Exception {
        String sql = new String(getClass().getResourceAsStream("/db/migration/V34__shortened_address_names.sql")
                .readAllBytes(), StandardCharsets.UTF_8);
        String[] names = {"old.address@names.example", "Old Name", "Édith@exemple.fr", "x y@names.example",
            "a…@names.example", "two@at@names.example"};
        long[] ids = new long[names.length];
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < names.length; i++) {
                Contributor c = new Contributor();
                c.displayName = names[i];
                c.createdAt = Instant.now();
                c.persist();
                ids[i] = c.id;
            }
        });
        // The migration's statement, kept to this test's rows (the database is shared with other test classes).
        String mine = sql.lines().filter(l -> !l.startsWith("--")).collect(java.util.stream.Collectors.joining("\n"))
                .strip().replaceAll(";$", "") + " AND id IN (" + java.util.Arrays.stream(ids)
                .mapToObj(String::valueOf).collect(java.util.stream.Collectors.joining(", ")) + ")";
        QuarkusTransaction.requiringNew().run(() -> Contributor.getEntityManager().createNativeQuery(mine)
                .executeUpdate());
        String[] now = QuarkusTransaction.requiringNew().call(() -> {
            String[] out = new String[ids.length];
            for (int i = 0; i < ids.length; i++) {
                Contributor.getEntityManager().clear();
                out[i] = Contributor.<Contributor>findById(ids[i]).displayName;
            }
            return out;
        });
        assertThat(now).containsExactly("o…@names.example", "Old Name", "É…@exemple.fr", "x y@names.example",
                "a…@names.example", "two@at@names.example");
    }

    private static JsonPath person(String email) {
        return given().get("/api/contributors/{id}", Api.contributor(email)).then().statusCode(200).extract()
                .jsonPath();
    }
}
