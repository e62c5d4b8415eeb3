package dev.merit.ingest.kafka;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One consumer's view of where each partition's live records begin ({@link KafkaHistory}). A partition given to this
 * consumer for the first time in its group's life is read where it stands at that moment: its end, or the group's
 * committed offset if the group read it before (from an earlier version of Merit). That offset is recorded in the
 * database before any record of the partition is stored; if the database cannot take it then, the offset read from
 * Kafka is kept and recorded with the first batch, so that records which arrive in between still count as live.
 */
final class LiveOffsets {

    private static final Logger LOG = Logger.getLogger(LiveOffsets.class);

    private final KafkaHistory history;
    private final String group;
    private final Consumer<?, ?> consumer;
    /** Starts recorded in the database. */
    private final Map<TopicPartition, Long> recorded = new HashMap<>();
    /** Starts read from Kafka at an assignment and not recorded yet. */
    private final Map<TopicPartition, Long> read = new HashMap<>();

    LiveOffsets(KafkaHistory history, String group, Consumer<?, ?> consumer) {
        this.history = history;
        this.group = group;
        this.consumer = consumer;
    }

    /** The consumer was given {@code partitions} (called in its poll): their starts, recorded now if possible. */
    void assigned(Collection<TopicPartition> partitions) {
        try {
            resolve(partitions);
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warnf("Could not record where the partitions %s stand (%s); the first batch read from them records it",
                    partitions, e.getMessage());
        }
    }

    /** Every one of {@code partitions} has a recorded start once this returns; throws when it cannot be recorded. */
    void resolve(Collection<TopicPartition> partitions) {
        List<TopicPartition> unknown = partitions.stream().filter(p -> !recorded.containsKey(p)).toList();
        if (unknown.isEmpty()) {
            return;
        }
        recorded.putAll(history.recorded(group, unknown));
        List<TopicPartition> missing = unknown.stream().filter(p -> !recorded.containsKey(p)).toList();
        if (missing.isEmpty()) {
            return;
        }
        Set<TopicPartition> unread = new HashSet<>(missing);
        unread.removeAll(read.keySet());
        if (!unread.isEmpty()) {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(unread);
            Map<TopicPartition, Long> ends = consumer.endOffsets(unread);
            for (TopicPartition p : unread) {
                OffsetAndMetadata c = committed.get(p);
                read.put(p, c != null ? c.offset() : ends.get(p));
            }
        }
        Map<TopicPartition, Long> starts = new HashMap<>();
        missing.forEach(p -> starts.put(p, read.get(p)));
        recorded.putAll(history.record(group, starts));
        if (!recorded.keySet().containsAll(missing)) {
            throw new IllegalStateException("where partitions " + missing + " of group " + group + " started could not "
                    + "be recorded");
        }
        missing.forEach(read::remove);
        Map<TopicPartition, Long> stands = new HashMap<>();
        missing.forEach(p -> stands.put(p, recorded.get(p)));
        LOG.infof("Group %s: records from these offsets on are live, the ones before history: %s", group, stands);
    }

    /** Whether {@code record} reached its partition after the group first read it ({@link #resolve} came first). */
    boolean live(ConsumerRecord<?, ?> record) {
        Long from = recorded.get(new TopicPartition(record.topic(), record.partition()));
        return from != null && record.offset() >= from;
    }
}
