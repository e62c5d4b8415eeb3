package dev.merit.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real Kafka broker (KRaft, one broker and one controller) in this JVM, for the tests that use Kafka. Its clients
 * authenticate (SASL/PLAIN) and writes are authorised (the test kit's standard authorizer): Merit connects with a
 * client properties file ({@code merit.kafka.properties-file}) that reads its credentials, as a Kubernetes Secret
 * mounted as files would give them, through Kafka's directory config provider.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    /** The test kit's super user (JaasUtils.KAFKA_PLAIN_ADMIN). */
    public static final String USER = "plain-admin";
    public static final String PASSWORD = "plain-admin-secret";

    private KafkaClusterTestKit kit;

    @Override
    public Map<String, String> start() {
        try {
            kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setNumBrokerNodes(1)
                    .setNumControllerNodes(1).setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT).build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("num.partitions", "2")
                    // The controller authorises too, so that tests can grant rights (ACLs) at run time; the kit
                    // configures its standard authorizer on the brokers only. The controller's own listener is
                    // plain, reached only by the broker and itself (ANONYMOUS there); clients reach the broker's
                    // SASL listener, where every principal has authenticated.
                    .setConfigProp("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                    .setConfigProp("allow.everyone.if.no.acl.found", "false")
                    .setConfigProp("super.users", "User:" + USER + ";User:ANONYMOUS")
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
        } catch (Exception e) {
            throw new IllegalStateException("Kafka test broker did not start", e);
        }
        return Map.of("merit.kafka.enabled", "true", "merit.kafka.bootstrap-servers", kit.bootstrapServers(),
                "merit.kafka.properties-file", clientProperties(USER, PASSWORD).toString(),
                "merit.kafka.max-event-bytes", "20000", "merit.kafka.poll-timeout", "200ms");
    }

    /**
     * A client properties file whose secret is a file of a directory, as Strimzi's KafkaUser Secret mounted gives it:
     * {@code kafka-user/sasl.jaas.config} beside the file ({@link #rotate} writes another password there).
     */
    public static Path clientProperties(String user, String password) {
        Path dir = TempPaths.directory("merit-kafka-client");
        try {
            Path secret = Files.createDirectory(dir.resolve("kafka-user"));
            Files.writeString(secret.resolve("sasl.jaas.config"), jaas(user, password));
            Path file = dir.resolve("client.properties");
            Files.writeString(file, """
                    security.protocol=SASL_PLAINTEXT
                    sasl.mechanism=PLAIN
                    config.providers=dir
                    config.providers.dir.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider
                    sasl.jaas.config=${dir:%s:sasl.jaas.config}
                    """.formatted(secret.toString().replace("\\", "\\\\")));
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The mounted secret of this properties file changes (a rotated password). */
    public static void rotate(Path propertiesFile, String user, String password) throws IOException {
        Files.writeString(propertiesFile.getParent().resolve("kafka-user").resolve("sasl.jaas.config"), jaas(user, password));
    }

    /** A test client's settings: the broker authenticates its clients, so these use Merit's client properties file. */
    public static Map<String, Object> client(Map<String, ?> settings) {
        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        return dev.merit.events.KafkaClients.settings(config.getValue("merit.kafka.bootstrap-servers", String.class),
                java.util.Optional.of(Path.of(config.getValue("merit.kafka.properties-file", String.class))), settings);
    }

    public static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
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
