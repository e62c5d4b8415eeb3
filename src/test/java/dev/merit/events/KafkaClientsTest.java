package dev.merit.events;

import dev.merit.support.TempPaths;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What each Kafka client Merit opens is configured with: the brokers, the operator's file, then Merit's own needs. */
class KafkaClientsTest {

    @Test
    void theFileAddsHowToConnectAndMeritsOwnSettingsWin() throws Exception {
        Path file = TempPaths.file("merit-kafka", ".properties");
        Files.writeString(file, """
                # how this DAO's broker is reached
                security.protocol = SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                ssl.truststore.type=PEM
                bootstrap.servers=elsewhere:9092
                enable.auto.commit=true
                transactional.id=merit
                group.instance.id=replica
                """);
        Map<String, Object> settings = KafkaClients.settings("broker:9093", Optional.of(file),
                Map.of("enable.auto.commit", "false", "group.id", "merit"));
        assertThat(settings).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.type", "PEM")
                // Merit's: the brokers it is configured with, and manual commits (offsets follow what is stored).
                .containsEntry("bootstrap.servers", "broker:9093").containsEntry("enable.auto.commit", "false")
                .containsEntry("group.id", "merit")
                // Shared by every replica (one ConfigMap), these would fence all of them but one.
                .doesNotContainKeys("transactional.id", "group.instance.id");
        assertThat(KafkaClients.settings("broker:9093", Optional.empty(), Map.of()))
                .isEqualTo(Map.of("bootstrap.servers", "broker:9093"));
    }

    @Test
    void aFileThatCannotBeReadIsNamedWithItsSetting() {
        Path missing = Path.of("/nonexistent/kafka-client.properties");
        assertThatThrownBy(() -> KafkaClients.settings("broker:9093", Optional.of(missing), Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("merit.kafka.properties-file: cannot read " + missing);
    }
}
