package dev.merit.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.util.Map;

/** A real Kafka broker (KRaft, one broker and one controller) in this JVM, for the tests that use Kafka. */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    private KafkaClusterTestKit kit;

    @Override
    public Map<String, String> start() {
        try {
            kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setNumBrokerNodes(1)
                    .setNumControllerNodes(1).build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("num.partitions", "2")
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
        } catch (Exception e) {
            throw new IllegalStateException("Kafka test broker did not start", e);
        }
        return Map.of("merit.kafka.enabled", "true", "merit.kafka.bootstrap-servers", kit.bootstrapServers(),
                "merit.kafka.max-event-bytes", "20000", "merit.kafka.poll-timeout", "200ms");
    }

    @Override
    public void stop() {
        if (kit != null) {
            try {
                kit.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
