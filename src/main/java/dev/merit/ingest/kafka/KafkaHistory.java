package dev.merit.ingest.kafka;

import dev.merit.ingest.NativeSql;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.TopicPartition;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each partition of the contributions topic stood when Merit's consumer group first read it
 * ({@code kafka_partition_start}): records before that offset were history, read in bulk, and keep their dates; records
 * from it on arrived while Merit was reading, and are live (one dated in a period already paid counts from its arrival).
 * A partition's start is recorded once, by whichever replica is first given it, and never changes: a rebalance, a
 * restart or another replica reads the same.
 */
@ApplicationScoped
public class KafkaHistory {

    /** The recorded first live offset of each of {@code partitions} that has one. */
    public Map<TopicPartition, Long> recorded(String group, Collection<TopicPartition> partitions) {
        return QuarkusTransaction.requiringNew().call(() -> read(group, partitions));
    }

    /**
     * Records {@code starts} (partition to its first live offset) for the partitions that have none yet, all or none;
     * returns what stands for each of them: a start another replica recorded first is kept.
     */
    public Map<TopicPartition, Long> record(String group, Map<TopicPartition, Long> starts) {
        QuarkusTransaction.requiringNew().run(() -> starts.forEach((p, offset) -> NativeSql.update(
                Panache.getEntityManager(), "insert into kafka_partition_start (consumer_group, topic, partition_no, "
                        + "history_end, recorded_at) values (?1, ?2, ?3, ?4, ?5) on conflict do nothing", group, p.topic(),
                p.partition(), offset, Timestamp.from(Instant.now()))));
        return recorded(group, starts.keySet());
    }

    /** When {@code group} first recorded a start for a partition of {@code topic}; null if it never did. */
    public Instant firstRead(String group, String topic) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Object first = Panache.getEntityManager().createNativeQuery("select min(recorded_at) from "
                    + "kafka_partition_start where consumer_group = ?1 and topic = ?2")
                    .setParameter(1, group).setParameter(2, topic).getSingleResult();
            return first == null ? null : dev.merit.audit.SqlValues.instant(first);
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<TopicPartition, Long> read(String group, Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> found = new HashMap<>();
        if (partitions.isEmpty()) {
            return found;
        }
        List<Object[]> rows = Panache.getEntityManager().createNativeQuery("select topic, partition_no, history_end "
                        + "from kafka_partition_start where consumer_group = ?1")
                .setParameter(1, group).getResultList();
        for (Object[] r : rows) {
            TopicPartition p = new TopicPartition((String) r[0], ((Number) r[1]).intValue());
            if (partitions.contains(p)) {
                found.put(p, ((Number) r[2]).longValue());
            }
        }
        return found;
    }
}
