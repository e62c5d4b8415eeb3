package dev.merit.ingest;

import dev.merit.ingest.webhook.SourceEvents;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What any source (a Kafka producer above all, which names its own fields) hands the ingestor is shaped to the columns
 * it is stored in before it is stored, so that one odd event neither blocks its partition nor lands in another epoch.
 */
class EventShapeTest {

    private static ContributionEvent at(Instant occurredAt) {
        return new ContributionEvent("kafka", "evt-1", "commit", occurredAt, "org/repo", null, null, null,
                "title", null, null, null, null, null, null);
    }

    @Test
    void aTimeIsCutToMicrosecondsNotRoundedIntoTheNextDay() {
        // The columns hold microseconds and round the rest: stored as is, this commit of the last second of January
        // would be February's, and paid in February's epoch.
        Instant lastInstantOfJanuary = Instant.parse("2026-01-31T23:59:59.999999600Z");
        assertThat(at(lastInstantOfJanuary).occurredAt()).isEqualTo(Instant.parse("2026-01-31T23:59:59.999999Z"));
        assertThat(at(Instant.parse("2026-01-31T12:00:00.000001Z")).occurredAt())
                .isEqualTo(Instant.parse("2026-01-31T12:00:00.000001Z"));
        assertThat(at(null).occurredAt()).isNull();
    }

    @Test
    void aLinkKindLongerThanItsColumnIsFitted() {
        SourceEvents.Link link = new SourceEvents.Link("from", "to", "reviews-" + "x".repeat(300));
        assertThat(link.kind()).hasSizeLessThanOrEqualTo(32).startsWith("reviews-");
        assertThat(new SourceEvents.Link("from", "to", "closes").kind()).isEqualTo("closes");
    }
}
