package dev.merit.ingest.kafka;

import dev.merit.events.KafkaClients;
import dev.merit.events.KafkaConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Invalid events copied to the dead-letter topic with their reason ({@link KafkaIngestion#REASON_HEADER}) and origin,
 * and whether the topic took each one: an event is committed only once its letter is stored.
 */
final class DeadLetters {

    private static final Logger LOG = Logger.getLogger(KafkaIngestion.class);

    private final KafkaConfig config;
    private final AtomicLong deadLettered = new AtomicLong();

    DeadLetters(KafkaConfig config) {
        this.config = config;
    }

    /** Letters the topic has taken since start. */
    long count() {
        return deadLettered.get();
    }

    /** A dead letter on its way: the record it copies and the broker's answer. */
    record Letter(ConsumerRecord<byte[], byte[]> record, String reason, Future<RecordMetadata> sent) {
    }

    Letter send(KafkaProducer<byte[], byte[]> dlq, ConsumerRecord<byte[], byte[]> record, String reason,
                              boolean withoutValue) {
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(config.deadLetterTopic(), null, record.key(),
                withoutValue ? null : record.value());
        for (Header h : record.headers()) {
            out.headers().add(h);
        }
        out.headers().add(KafkaIngestion.REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        out.headers().add("merit-dlq-origin", (record.topic() + "/" + record.partition() + "@" + record.offset())
                .getBytes(StandardCharsets.UTF_8));
        if (withoutValue) {
            out.headers().add(KafkaIngestion.VALUE_DROPPED_HEADER, String.valueOf(record.value() == null ? 0
                    : record.value().length).getBytes(StandardCharsets.UTF_8));
        }
        Future<RecordMetadata> sent;
        try {
            sent = dlq.send(out);
        } catch (org.apache.kafka.common.KafkaException e) {
            // A producer in an error state (its producer id refused) throws instead of failing the send.
            sent = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        return new Letter(record, reason, sent);
    }

    /** Failed before it left: no metadata for the topic in time, or the producer refused it (not for its size). */
    static boolean refusedAtOnce(Letter letter) throws InterruptedException {
        if (!letter.sent().isDone()) {
            return false;
        }
        Throwable cause = failure(letter.sent());
        return cause != null && !(cause instanceof org.apache.kafka.common.errors.RecordTooLargeException);
    }

    /**
     * Waits for the broker's answer to each dead letter (they are flushed); null when every one is stored. A letter
     * too large for the dead-letter topic is sent again without its value (its size in {@code merit-dlq-value-bytes}),
     * so one oversize record cannot stop the partition. A refusal of Merit's rights is thrown, so that the clients are
     * made again (an idempotent producer refused its producer id stays refused); any other failure is described.
     */
    String unsent(KafkaProducer<byte[], byte[]> dlq, List<Letter> letters) throws InterruptedException {
        String failure = null;
        for (Letter letter : letters) {
            Throwable cause = failure(letter.sent());
            if (cause instanceof org.apache.kafka.common.errors.RecordTooLargeException) {
                Letter smaller = send(dlq, letter.record(), letter.reason(), true);
                dlq.flush();
                cause = failure(smaller.sent());
            }
            ConsumerRecord<byte[], byte[]> r = letter.record();
            if (cause == null) {
                deadLettered.incrementAndGet();
                LOG.warnf("Dead-lettered %s/%d@%d: %s", r.topic(), r.partition(), r.offset(), letter.reason());
                continue;
            }
            String text = "the dead-letter topic " + config.deadLetterTopic() + " did not take the invalid event "
                    + r.topic() + "/" + r.partition() + "@" + r.offset() + " (" + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")";
            if (KafkaClients.refusedByBroker(cause)) {
                throw new org.apache.kafka.common.errors.AuthorizationException(text, cause);
            }
            failure = failure == null ? text : failure;
        }
        return failure;
    }

    private static Throwable failure(Future<RecordMetadata> sent) throws InterruptedException {
        try {
            sent.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause() == null ? e : e.getCause();
        }
    }
}
