package dev.merit.ingest.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A contribution event's size is a whole number in range, or the event is dead-lettered with the reason. */
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

    private int size(String json) throws ContributionCloudEvents.Invalid {
        String data = "{\"externalId\":\"e1\",\"kind\":\"review\",\"occurredAt\":\"1987-01-01T00:00:00Z\","
                + "\"actor\":{\"name\":\"Dev One\",\"email\":\"dev1@example.com\"}" + (json == null ? "" : ",\"size\":" + json) + "}";
        return codec.parse(CloudEventBuilder.v1().withId("1").withSource(URI.create("urn:test"))
                        .withType(ContributionCloudEvents.TYPE).withData(data.getBytes(StandardCharsets.UTF_8)).build())
                .contributions().get(0).metrics().effectiveLines();
    }
}
