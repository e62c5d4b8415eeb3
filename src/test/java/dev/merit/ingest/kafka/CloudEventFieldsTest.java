package dev.merit.ingest.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A contribution event's fields are of their kind and in range, or the event is dead-lettered with the reason. */
class CloudEventFieldsTest {

    private final ContributionCloudEvents codec = new ContributionCloudEvents(new ObjectMapper());

    @Test
    void aSizeIsAWholeNumberInRangeOrTheEventIsRefused() throws Exception {
        assertThat(size("5")).isEqualTo(5);
        assertThat(size(null)).as("absent").isZero();
        assertThat(size("null")).isZero();
        // Read as 10, 0, 0, 1, 0 before, and stored as if the producer had said so.
        for (String bad : List.of("4294967306", "\"12abc\"", "1e100", "true", "{}", "2.5", "-1", "100001")) {
            assertThatThrownBy(() -> size(bad)).as(bad).isInstanceOf(ContributionCloudEvents.Invalid.class)
                    .hasMessage("size must be a whole number from 0 to 100000");
        }
    }

    /**
     * An actor names one person: a login that is blank, unforged, or holds a space, a NUL (stored as another login) or
     * an invisible character, and an address that is none, refuse the event with the reason; so do fields of another
     * kind and a flood of co-actors.
     */
    @Test
    void anActorIsAnAddressOrAForgeLoginAndFieldsAreOfTheirKind() {
        for (String login : List.of("github:", ":", "ann", "git hub:ann", "github:ann smith", "github:a\\u0000b",
                "github:ann\\u202eeve", "github:a\\u200bb", "github:\\ud800")) {
            assertThatThrownBy(() -> parse("\"actor\":{\"login\":\"" + login + "\"}")).as(login)
                    .isInstanceOf(ContributionCloudEvents.Invalid.class).hasMessageStartingWith("actor.login");
        }
        for (String email : List.of("@", "a@", "@b", "a b@c.d", "a@b\\u0000c")) {
            assertThatThrownBy(() -> parse("\"actor\":{\"email\":\"" + email + "\"}")).as(email)
                    .isInstanceOf(ContributionCloudEvents.Invalid.class)
                    .hasMessage("actor.email is not an e-mail address");
        }
        assertThatThrownBy(() -> parse("\"actor\":{\"email\":7}")).hasMessage("actor.email must be text");
        assertThatThrownBy(() -> parse("\"actor\":{\"login\":\"\"}")).hasMessageContaining("needs an e-mail");
        String ann = "\"actor\":{\"login\":\"github:ann\"}";
        assertThatThrownBy(() -> parse(ann + ",\"repository\":{\"name\":\"x\"}"))
                .hasMessage("data.repository must be text");
        assertThatThrownBy(() -> parse(ann + ",\"coActors\":{\"a\":{\"login\":\"github:bo\"}}"))
                .hasMessage("coActors must be a list");
        assertThatThrownBy(() -> parse(ann + ",\"links\":{\"to\":\"x\",\"kind\":\"closes\"}"))
                .hasMessage("links must be a list");
        // A withdrawal is a verdict, not a link a contribution event can carry; a kind is a word.
        for (String kind : List.of("withdraws", "Withdraws", "closes now", "x".repeat(70))) {
            assertThatThrownBy(() -> parse(ann + ",\"links\":[{\"to\":\"x\",\"kind\":\"" + kind + "\"}]")).as(kind)
                    .hasMessageStartingWith("link kind '" + kind + "' is not one");
        }
        String many = String.join(",", java.util.Collections.nCopies(101, "{\"login\":\"github:bo\"}"));
        assertThatThrownBy(() -> parse(ann + ",\"coActors\":[" + many + "]"))
                .hasMessage("coActors lists 101 actors; at most 100");
    }

    @Test
    void anActorNamedByAddressAndLoginIsThePublishersWordNotALink() throws Exception {
        var actor = parse("\"actor\":{\"name\":\"Ann\",\"email\":\"ann@example.com\",\"login\":\"gitlab:ann\"}")
                .contributions().get(0).actor();
        assertThat(actor.asserted()).isTrue();
        assertThat(actor.email()).isEqualTo("ann@example.com");
        assertThat(actor.login()).isEqualTo("gitlab:ann");
    }

    /**
     * What is stored of an event (its raw record) keeps the publisher's numbers as numbers, under the API's JSON
     * settings too (exact numbers written as text there), keys sorted; a republish is compared by its content, links
     * apart, so the same data in another order is the same, and a link added is no conflict.
     */
    @Test
    void theStoredRecordKeepsNumbersAndARepublishIsComparedByContent() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper api = new com.fasterxml.jackson.databind.ObjectMapper()
                .registerModule(dev.merit.audit.ExactNumbers.module())
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        String raw = new ContributionCloudEvents(api).parse(event("\"actor\":{\"login\":\"github:ann\"},"
                + "\"weight\":1.5,\"size\":10,\"big\":123456789012345678901234567890")).contributions().get(0).raw();
        assertThat(raw).contains("\"weight\":1.5").contains("\"size\":10")
                .contains("\"big\":123456789012345678901234567890").startsWith("{\"actor\":");
        String reordered = "{\"size\":10,\"actor\":{\"login\":\"github:ann\"},\"weight\":1.5}";
        String same = "{\"actor\":{\"login\":\"github:ann\"},\"size\":10,\"weight\":1.5}";
        assertThat(ContributionCloudEvents.sameContent(same, reordered)).isTrue();
        assertThat(ContributionCloudEvents.sameContent(same, reordered.replaceFirst("\\}$",
                ",\"links\":[{\"to\":\"x\",\"kind\":\"closes\"}]}"))).isTrue();
        assertThat(ContributionCloudEvents.sameContent(same, reordered.replace("ann", "bo"))).isFalse();
        assertThat(ContributionCloudEvents.sameContent(same, reordered.replace("1.5", "\"1.5\""))).isFalse();
    }

    private static io.cloudevents.CloudEvent event(String fields) {
        String data = "{\"externalId\":\"e1\",\"kind\":\"review\",\"occurredAt\":\"1987-01-01T00:00:00Z\","
                + fields + "}";
        return CloudEventBuilder.v1().withId("1").withSource(URI.create("urn:test"))
                .withType(ContributionCloudEvents.TYPE).withData(data.getBytes(StandardCharsets.UTF_8)).build();
    }

    private dev.merit.ingest.webhook.SourceEvents parse(String fields) throws ContributionCloudEvents.Invalid {
        String data = "{\"externalId\":\"e1\",\"kind\":\"review\",\"occurredAt\":\"1987-01-01T00:00:00Z\","
                + fields + "}";
        return codec.parse(CloudEventBuilder.v1().withId("1").withSource(URI.create("urn:test"))
                .withType(ContributionCloudEvents.TYPE).withData(data.getBytes(StandardCharsets.UTF_8)).build());
    }

    private int size(String json) throws ContributionCloudEvents.Invalid {
        String data = "{\"externalId\":\"e1\",\"kind\":\"review\",\"occurredAt\":\"1987-01-01T00:00:00Z\","
                + "\"actor\":{\"name\":\"Dev One\",\"email\":\"dev1@example.com\"}" + (json == null ? "" : ",\"size\":" + json) + "}";
        return codec.parse(CloudEventBuilder.v1().withId("1").withSource(URI.create("urn:test"))
                        .withType(ContributionCloudEvents.TYPE).withData(data.getBytes(StandardCharsets.UTF_8)).build())
                .contributions().get(0).metrics().effectiveLines();
    }
}
