package dev.merit.web;

import dev.merit.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The page revalidates (an upgrade shows at once), hashed assets are kept a year, and both come compressed. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class DeliveryTest {

    @Test
    void thePageRevalidatesItsHashedAssetsAreImmutableAndBothComeCompressed() {
        Response page = given().header("Accept-Encoding", "gzip").get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.header("Cache-Control")).isEqualTo(Delivery.PAGE);
        assertThat(page.header("Content-Encoding")).isEqualTo("gzip");
        Matcher script = Pattern.compile("/assets/[A-Za-z0-9_.-]+\\.js").matcher(page.asString());
        assertThat(script.find()).as("index.html names its script").isTrue();

        Response asset = given().header("Accept-Encoding", "gzip").get(script.group());
        assertThat(asset.statusCode()).isEqualTo(200);
        assertThat(asset.header("Cache-Control")).isEqualTo(Delivery.HASHED);
        assertThat(asset.header("Content-Encoding")).isEqualTo("gzip");

        Response api = given().header("Accept-Encoding", "gzip").get("/api/epochs");
        assertThat(api.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(api.header("Cache-Control")).isNotEqualTo(Delivery.HASHED);
        assertThat(given().get("/assets/missing-0000.js").header("Cache-Control")).isNotEqualTo(Delivery.HASHED);
    }
}
