package dev.merit.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** A forge's timestamp means one instant whichever of its forms it comes in, the year 0 included. */
class SourceParsingTest {

    private final SourceParsing parse = new SourceParsing("Test");

    @Test
    void theYearZeroIsReadAlikeInEveryForm() throws Exception {
        var json = new ObjectMapper().readTree("{\"iso\": \"0000-01-01T00:00:00Z\", \"gitlab\": \"0000-01-01 00:00:00 "
                + "UTC\", \"jira\": \"0000-01-01T00:00:00.000+0000\", \"now\": \"2026-01-02 10:00:00 UTC\"}");
        assertThat(parse.instant(json, "gitlab")).isEqualTo(parse.instant(json, "iso"))
                .isEqualTo(parse.instant(json, "jira"));
        assertThat(parse.instant(json, "now")).hasToString("2026-01-02T10:00:00Z");
    }
}
