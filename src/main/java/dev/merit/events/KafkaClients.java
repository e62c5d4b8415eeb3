package dev.merit.events;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The settings of every Kafka client Merit opens (the consumer, the dead-letter and lifecycle producers): the brokers,
 * then the operator's client properties file ({@code merit.kafka.properties-file}: {@code security.protocol},
 * {@code sasl.*}, {@code ssl.*}, Kafka's own config providers such as {@code ${dir:/path:key}}), then what the client
 * needs to work as Merit relies on it (its group, manual commits, acknowledgements, sizes), which the file cannot change.
 * <p>
 * Whoever can write to the contributions topic decides who is paid for what: a broker that authenticates its clients
 * and authorises writes per topic is what keeps that to the systems the DAO chose (docs/security.md).
 */
public final class KafkaClients {

    private static final Logger LOG = Logger.getLogger(KafkaClients.class);

    /** Settings that would name each client alike in every replica: left out. */
    private static final java.util.List<String> UNSHARED = java.util.List.of("transactional.id", "group.instance.id");

    private KafkaClients() {
    }

    /**
     * The settings for one client: {@code bootstrapServers}, the file's properties (when a file is named), then
     * {@code merits}, each of which wins over the file (a differing value in the file is logged and ignored).
     *
     * @throws IllegalStateException the file cannot be read, in words that name the setting and the file
     */
    public static Map<String, Object> settings(String bootstrapServers, java.util.Optional<Path> propertiesFile,
                                               Map<String, ?> merits) {
        Map<String, Object> out = new HashMap<>();
        out.put("bootstrap.servers", bootstrapServers);
        propertiesFile.ifPresent(file -> read(file).forEach((k, v) -> out.put(k.toString().strip(), v.toString().strip())));
        Object fromFile = out.get("bootstrap.servers");
        if (!Objects.equals(fromFile, bootstrapServers)) {
            LOG.warnf("%s sets bootstrap.servers; Merit connects to merit.kafka.bootstrap-servers (%s) instead",
                    propertiesFile.orElseThrow(), bootstrapServers);
            out.put("bootstrap.servers", bootstrapServers);
        }
        for (String key : UNSHARED) {
            // One transactional id, or one static group member, shared by every replica (the file is one ConfigMap)
            // fences all of them but one; Merit's sends are idempotent and its offsets committed by hand instead.
            if (out.remove(key) != null) {
                LOG.warnf("%s sets %s; Merit does not use it (every replica would share it) and leaves it out",
                        propertiesFile.orElseThrow(), key);
            }
        }
        merits.forEach((key, value) -> {
            Object was = out.put(key, value);
            if (was != null && !String.valueOf(was).equals(String.valueOf(value))) {
                // The key only: a value may be a secret, in a test's settings if not in Merit's.
                LOG.warnf("%s sets %s; Merit needs its own value there and uses it", propertiesFile.orElseThrow(), key);
            }
        });
        return out;
    }

    /**
     * Whether the broker refused the client's credentials or rights (a rotated password, a missing ACL), anywhere in
     * {@code e}'s causes: a client made again from the properties file may then get in.
     */
    public static boolean refusedByBroker(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.apache.kafka.common.errors.AuthenticationException
                    || t instanceof org.apache.kafka.common.errors.AuthorizationException) {
                return true;
            }
        }
        return false;
    }

    /** The settings for one client of this configuration. */
    public static Map<String, Object> settings(KafkaConfig config, Map<String, ?> merits) {
        return settings(config.bootstrapServers(), config.propertiesFile(), merits);
    }

    private static Properties read(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("merit.kafka.properties-file: cannot read " + file + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
        return p;
    }

    /** Whether this replica has read every partition it holds to its end (none held: nothing waits here either). */
    public static boolean caughtUp(org.apache.kafka.clients.consumer.Consumer<?, ?> kc) {
        try {
            var held = kc.assignment();
            var ends = kc.endOffsets(held, java.time.Duration.ofSeconds(5));
            for (org.apache.kafka.common.TopicPartition partition : held) {
                if (kc.position(partition, java.time.Duration.ofSeconds(5)) < ends.getOrDefault(partition, 0L)) {
                    return false;
                }
            }
            return true;
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            throw e; // stop() was called
        } catch (org.apache.kafka.common.KafkaException e) {
            return false; // not known now: asked again at the next empty poll
        }
    }
}
