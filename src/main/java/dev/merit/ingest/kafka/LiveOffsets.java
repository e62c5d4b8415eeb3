package dev.merit.ingest.kafka;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One consumer's view of where each partition's live records begin ({@link KafkaHistory}).
 *
 * <p>The first time a group is given partitions of a topic, each one's live records begin at its end at that moment:
 * what the topic held is history. That holds for a group that read the topic with a version of Merit before this
 * record existed, whatever it had read: that version kept every event's date, and events published before this one
 * first read the partition keep theirs too. A partition the group gets later (one added to the topic, or one whose
 * record failed) begins at its first record published after the group first read the topic (by the records' time
 * stamps): what reached it since arrived while Merit was reading.
 *
 * <p>The end is read from Kafka when the partition is assigned, before the database is asked, so that a database that
 * cannot be reached then loses nothing: the start is recorded with the first batch, and records published in between
 * stay live. A start is recorded before any record of its partition is stored.
 */
final class LiveOffsets {

    private static final Logger LOG = Logger.getLogger(LiveOffsets.class);

    private final KafkaHistory history;
    private final String group;
    private final Consumer<?, ?> consumer;
    /** Starts recorded in the database. */
    private final Map<TopicPartition, Long> recorded = new HashMap<>();
    /** The end of each partition when this consumer was first given it, for those not recorded yet. */
    private final Map<TopicPartition, Long> endAtAssignment = new HashMap<>();

    LiveOffsets(KafkaHistory history, String group, Consumer<?, ?> consumer) {
        this.history = history;
        this.group = group;
        this.consumer = consumer;
    }

    /** The consumer was given {@code partitions} (called in its poll): their ends now, then their starts recorded. */
    void assigned(Collection<TopicPartition> partitions) {
        try {
            List<TopicPartition> unseen = partitions.stream()
                    .filter(p -> !recorded.containsKey(p) && !endAtAssignment.containsKey(p)).toList();
            if (!unseen.isEmpty()) {
                endAtAssignment.putAll(consumer.endOffsets(unseen));
            }
            resolve(partitions);
            recreated(partitions);
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warnf("Could not record where the partitions %s begin to be live (%s); the first batch read from them "
                    + "records it", partitions, e.getMessage());
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
        Map<String, Instant> firstRead = new HashMap<>(); // read once a topic (the partitions share one)
        for (TopicPartition p : missing) {
            if (!firstRead.containsKey(p.topic())) {
                firstRead.put(p.topic(), history.firstRead(group, p.topic()));
            }
        }
        Map<TopicPartition, Long> starts = new HashMap<>();
        for (TopicPartition p : missing) {
            starts.put(p, start(p, firstRead.get(p.topic())));
        }
        recorded.putAll(history.record(group, starts));
        if (!recorded.keySet().containsAll(missing)) {
            throw new IllegalStateException("where partitions " + missing + " of group " + group + " begin to be live "
                    + "could not be recorded");
        }
        missing.forEach(endAtAssignment::remove);
        Map<TopicPartition, Long> stands = new HashMap<>();
        missing.forEach(p -> stands.put(p, recorded.get(p)));
        LOG.infof("Group %s: records from these offsets on are live, the ones before them history: %s", group, stands);
    }

    /** Where {@code p}'s live records begin, given when the group first read its topic (null: never before). */
    private long start(TopicPartition p, Instant firstRead) {
        if (firstRead == null) { // the group's first partitions of this topic: what they hold now is history
            Long end = endAtAssignment.get(p);
            return end != null ? end : consumer.endOffsets(List.of(p)).get(p);
        }
        OffsetAndTimestamp since = consumer.offsetsForTimes(Map.of(p, firstRead.toEpochMilli())).get(p);
        return since != null ? since.offset() : consumer.endOffsets(List.of(p)).get(p);
    }

    /**
     * A partition that ends before its recorded start was deleted and made again under the same name: its new records
     * would be read as history up to the old start. Said loudly; the remedy is a new consumer group.
     */
    private void recreated(Collection<TopicPartition> partitions) {
        partitions.forEach(p -> {
            Long start = recorded.get(p);
            Long end = endAtAssignment.get(p);
            if (start != null && end != null && end < start) {
                LOG.errorf("Partition %s ends at offset %d, before %d, where group %s recorded its live records to "
                        + "begin: the topic was made again. Its records up to that offset are read as history; give "
                        + "Merit a new consumer group (merit.kafka.group) to read it as a new topic", p, end, start, group);
            }
            if (start != null) {
                endAtAssignment.remove(p);
            }
        });
    }

    /** Whether {@code record} reached its partition after the group first read it ({@link #resolve} came first). */
    boolean live(ConsumerRecord<?, ?> record) {
        Long from = recorded.get(new TopicPartition(record.topic(), record.partition()));
        return from != null && record.offset() >= from;
    }
}
