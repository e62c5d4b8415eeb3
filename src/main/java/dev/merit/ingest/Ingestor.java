package dev.merit.ingest;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;
import dev.merit.contributor.ActorRef;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.contributor.ContributorDirectory;
import dev.merit.contributor.IdentityResolution;
import dev.merit.epoch.EpochPayments;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Stores canonical contribution events, idempotently: an event whose (source, externalId) is already stored is
 * skipped. Callers own the transaction; a {@link Session} spans one ingest. Contributions, credits and files are
 * written with JDBC batches on the transaction's connection (histories run to millions of rows; the ORM's
 * per-entity bookkeeping is the bottleneck there), contributors and identities through the ORM.
 */
@ApplicationScoped
public class Ingestor {

    private static final String INSERT_CONTRIBUTION = "insert into contribution (id, source, external_id, kind, "
            + "occurred_at, repository, repository_id, actor_id, actor_name, actor_email, title, body, lines_added, "
            + "lines_deleted, files_changed, effective_lines, metrics, raw, patch_id, changed_lines, ingest_batch, "
            + "committed_at, arrived_at, late_from) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            + "?, ?)";
    private static final String INSERT_CREDIT = "insert into contribution_credit (contribution_id, position, "
            + "contributor_id, role) values (?, ?, ?, ?)";
    private static final String INSERT_FILE = "insert into contribution_file (contribution_id, position, path, "
            + "old_path, change_type, lines_added, lines_deleted, category, effective_lines) "
            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_MEASUREMENTS = "update contribution set lines_added = ?, lines_deleted = ?, "
            + "files_changed = ?, effective_lines = ?, metrics = ?, patch_id = ?, changed_lines = ? where id = ?";
    /** contribution_seq increments by this: each value reserves a block of ids. */
    private static final int ID_BLOCK = 50;
    private static final Logger LOG = Logger.getLogger(Ingestor.class);
    /** Longer than any real delay between work and its ingest, shorter than a timer's nanoseconds can count. */
    private static final Duration MAX_LAG = Duration.ofDays(200 * 365);

    private final ContributorDirectory directory;
    private final ObjectMapper json;
    private final EpochPayments payments;

    public Ingestor(ContributorDirectory directory, ObjectMapper json, EpochPayments payments) {
        this.directory = directory;
        this.json = json;
        this.payments = payments;
    }

    /** A session for history read in bulk: no refresh, no Git batch, not live. */
    public Session open() {
        return open(false, null, false);
    }

    /**
     * @param refresh whether an event already stored updates the stored measurements of its contribution (line counts,
     *                metrics, files, patch identity, changed lines) when they differ, instead of being skipped: for
     *                history ingested before a change to how commits are measured. Who did it, when and what it says
     *                are never rewritten; scoring runs made before keep their own factors.
     * @param batch   the Git ingest every contribution stored names (null for none)
     * @param live    whether the events arrive as they happen (a webhook, a repository's later ingests, what reaches a
     *                Kafka topic after Merit's group first read it), so that one dated in a period the vault already
     *                paid is late work, counted from its arrival instead of paid nowhere; false for history read in
     *                bulk (a repository's first ingest, what the topic held then), which keeps its dates and is never
     *                moved
     */
    public Session open(boolean refresh, Long batch, boolean live) {
        return new Session(directory.newResolution(), refresh, batch, live);
    }

    /** One ingest: resolves identities with a shared cache and writes in batches. */
    public final class Session {

        private final IdentityResolution identities;
        private final boolean refresh;
        private final Long batch;
        private final boolean live;
        private final EntityManager em = Panache.getEntityManager();
        /** Keys stored by this session: the existence query does not see unflushed work. */
        private final Set<String> storedKeys = new HashSet<>();
        private long nextId;
        private long idsLeft;
        private int stored;
        private int skipped;
        private int refreshed;
        private int late;

        private Session(IdentityResolution identities, boolean refresh, Long batch, boolean live) {
            this.identities = identities;
            this.refresh = refresh;
            this.batch = batch;
            this.live = live;
        }

        /** Contributions stored as late work: dated in a period already paid, counted from their arrival. */
        public int late() {
            return late;
        }

        /** Stored contributions whose measurements a refreshing session rewrote. */
        public int refreshed() {
            return refreshed;
        }

        public int stored() {
            return stored;
        }

        public int skipped() {
            return skipped;
        }

        public int contributorsCreated() {
            return identities.created();
        }

        /** Stores those events not stored before; returns how many were new. */
        public int store(List<ContributionEvent> events) {
            return store(events, live);
        }

        /**
         * As {@link #store(List)}, with {@code live} for these events instead of the session's: a Kafka poll brings
         * history (what the topic held when Merit's group first read it) and live events together.
         */
        public int store(List<ContributionEvent> events, boolean live) {
            if (events.isEmpty()) {
                return 0;
            }
            Set<String> known = existing(events);
            // Read for each batch, not once a session: a payout approved during a long ingest pays its period from then.
            // One approved while this transaction is open cannot see its rows: LateArrivals.recheck moves them later.
            List<EpochPayments.PaidPeriod> paid = live ? payments.paidPeriods() : List.of();
            Instant arrived = Instant.now();
            List<Row> rows = new ArrayList<>(events.size());
            List<ContributionEvent> stale = new ArrayList<>();
            for (ContributionEvent event : events) {
                String key = event.externalId() + "\u0000" + event.source();
                if (known.contains(key) || !storedKeys.add(key)) {
                    skipped++;
                    if (refresh && known.contains(key) && storedKeys.add(key)) {
                        stale.add(event);
                    }
                    continue;
                }
                rows.add(toRow(event, paid, live ? arrived : null));
            }
            if (!rows.isEmpty()) {
                em.flush(); // new contributors first: contributions reference them
                em.unwrap(org.hibernate.Session.class).doWork(connection -> insert(connection, rows));
            }
            if (!stale.isEmpty()) {
                em.flush();
                em.unwrap(org.hibernate.Session.class).doWork(connection -> refreshed += remeasure(connection, stale));
            }
            stored += rows.size();
            // Ingest lag: how long after it happened a contribution reached Merit, per source (live sources: webhooks,
            // Kafka, CI; a first Git ingest reports the age of the history).
            Instant now = Instant.now();
            for (Row r : rows) {
                Duration lag = Duration.between(OccurredAt.clamp(r.event().occurredAt()), now).abs();
                if (lag.compareTo(MAX_LAG) > 0) {
                    continue; // centuries of "lag" are a typed date, not a delay (and overflow the timer's nanoseconds)
                }
                Timer.builder("merit.ingest.lag")
                        .description("Time from a contribution's occurrence to its storage").tag("source", r.event().source())
                        .register(Metrics.globalRegistry)
                        .record(lag);
            }
            return rows.size();
        }

        private Set<String> existing(List<ContributionEvent> events) {
            Map<String, List<String>> idsBySource = new TreeMap<>();
            for (ContributionEvent e : events) {
                idsBySource.computeIfAbsent(e.source(), s -> new ArrayList<>()).add(e.externalId());
            }
            Set<String> known = new HashSet<>();
            idsBySource.forEach((source, ids) -> {
                for (int from = 0; from < ids.size(); from += 500) {
                    em.createQuery("select c.externalId from Contribution c where c.externalId in :ids and c.source = :source",
                                    String.class)
                            .setParameter("ids", ids.subList(from, Math.min(ids.size(), from + 500)))
                            .setParameter("source", source)
                            .setFlushMode(FlushModeType.COMMIT)
                            .getResultList()
                            .forEach(id -> known.add(id + "\u0000" + source));
                }
            });
            return known;
        }

        /**
         * @param occurredAt the date it counts by: its own, or its arrival when its own falls in a period already paid
         * @param arrivedAt  when a live source delivered it; null for history
         * @param lateFrom   its own date when it was late work; else null
         */
        private record Row(long id, ContributionEvent event, long actorId, List<Long> credited, String metrics,
                           Instant occurredAt, Instant arrivedAt, Instant lateFrom) {
        }

        /** @param arrived when a live source delivered it; null for history (then {@code paid} is empty) */
        private Row toRow(ContributionEvent e, List<EpochPayments.PaidPeriod> paid, Instant arrived) {
            Instant own = OccurredAt.clamp(e.occurredAt());
            Instant lateFrom = null;
            if (paid.stream().anyMatch(p -> p.covers(own))) {
                // Its period was paid before it reached Merit: it could never be paid there. It is work of now.
                lateFrom = own;
                late++;
                LOG.debugf("%s %s is dated %s, in a period already paid: it counts from its arrival", e.source(),
                        e.externalId(), own);
            }
            long actorId = identities.resolve(e.actor());
            Set<Long> credited = new LinkedHashSet<>();
            credited.add(actorId);
            for (ActorRef co : e.coActors()) {
                credited.add(identities.resolve(co));
            }
            return new Row(allocateId(), e, actorId, List.copyOf(credited), write(e.metrics()),
                    lateFrom == null ? own : EpochPayments.firstUnpaid(paid, arrived.isAfter(own) ? arrived : own),
                    arrived, lateFrom);
        }

        private long allocateId() {
            if (idsLeft == 0) {
                nextId = ((Number) em.createNativeQuery("select nextval('contribution_seq')").getSingleResult())
                        .longValue();
                idsLeft = ID_BLOCK;
            }
            idsLeft--;
            return nextId++;
        }

        /** Rewrites the measurements of stored contributions that differ from the events'; returns how many did. */
        private int remeasure(Connection connection, List<ContributionEvent> events) throws SQLException {
            Map<String, List<ContributionEvent>> bySource = new TreeMap<>();
            events.forEach(e -> bySource.computeIfAbsent(e.source(), k -> new ArrayList<>()).add(e));
            int changed = 0;
            for (Map.Entry<String, List<ContributionEvent>> source : bySource.entrySet()) {
                List<ContributionEvent> all = source.getValue();
                for (int from = 0; from < all.size(); from += 500) {
                    changed += remeasure(connection, source.getKey(), all.subList(from, Math.min(all.size(), from + 500)));
                }
            }
            return changed;
        }

        private int remeasure(Connection connection, String source, List<ContributionEvent> chunk) throws SQLException {
            Map<String, ContributionEvent> byId = new TreeMap<>();
            chunk.forEach(e -> byId.put(e.externalId(), e));
            String placeholders = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement select = connection.prepareStatement("select id, external_id, metrics, patch_id, "
                    + "changed_lines from contribution where source = ? and external_id in (" + placeholders + ")");
                 PreparedStatement update = connection.prepareStatement(UPDATE_MEASUREMENTS);
                 PreparedStatement dropFiles = connection.prepareStatement("delete from contribution_file "
                         + "where contribution_id = ?");
                 PreparedStatement file = connection.prepareStatement(INSERT_FILE)) {
                select.setString(1, source);
                for (int i = 0; i < chunk.size(); i++) {
                    select.setString(i + 2, chunk.get(i).externalId());
                }
                int changed = 0;
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        ContributionEvent e = byId.get(rs.getString(2));
                        byte[] lines = packed(e.lines());
                        String metrics = write(e.metrics());
                        if (metrics.equals(rs.getString(3)) && Objects.equals(e.patchId(), rs.getString(4))
                                && Arrays.equals(lines, rs.getBytes(5))) {
                            continue;
                        }
                        long id = rs.getLong(1);
                        ContributionMetrics m = e.metrics();
                        update.setInt(1, m.linesAdded());
                        update.setInt(2, m.linesDeleted());
                        update.setInt(3, m.filesChanged());
                        update.setInt(4, m.effectiveLines());
                        update.setString(5, metrics);
                        update.setString(6, e.patchId());
                        setBytes(update, 7, lines);
                        update.setLong(8, id);
                        update.addBatch();
                        dropFiles.setLong(1, id);
                        dropFiles.addBatch();
                        addFiles(file, id, e.files());
                        changed++;
                    }
                }
                if (changed > 0) {
                    update.executeBatch();
                    dropFiles.executeBatch();
                    file.executeBatch();
                }
                return changed;
            }
        }

        private void insert(Connection connection, List<Row> rows) throws SQLException {
            try (PreparedStatement contribution = connection.prepareStatement(INSERT_CONTRIBUTION);
                 PreparedStatement credit = connection.prepareStatement(INSERT_CREDIT);
                 PreparedStatement file = connection.prepareStatement(INSERT_FILE)) {
                for (Row row : rows) {
                    ContributionEvent e = row.event();
                    ContributionMetrics m = e.metrics();
                    contribution.setLong(1, row.id());
                    contribution.setString(2, e.source());
                    contribution.setString(3, e.externalId());
                    contribution.setString(4, e.kind());
                    boolean storable = OccurredAt.storable(e.occurredAt());
                    if (!storable) {
                        LOG.warnf("%s %s says it happened at %s; stored as %s", e.source(), e.externalId(),
                                e.occurredAt(), OccurredAt.clamp(e.occurredAt()));
                    }
                    contribution.setTimestamp(5, Timestamp.from(row.occurredAt()));
                    contribution.setString(6, e.repository());
                    if (e.repositoryId() == null) {
                        contribution.setNull(7, Types.BIGINT);
                    } else {
                        contribution.setLong(7, e.repositoryId());
                    }
                    contribution.setLong(8, row.actorId());
                    contribution.setString(9, truncate(e.actor().name(), 255));
                    contribution.setString(10, truncate(e.actor().email(), 320));
                    contribution.setString(11, truncate(e.title() == null || e.title().isBlank()
                            ? "(no message)" : e.title(), 1024));
                    contribution.setString(12, e.body());
                    contribution.setInt(13, m.linesAdded());
                    contribution.setInt(14, m.linesDeleted());
                    contribution.setInt(15, m.filesChanged());
                    contribution.setInt(16, m.effectiveLines());
                    contribution.setString(17, row.metrics());
                    contribution.setString(18, storable || e.raw() != null ? e.raw() : OccurredAt.note(e.occurredAt()));
                    contribution.setString(19, e.patchId());
                    setBytes(contribution, 20, packed(e.lines()));
                    if (batch == null) {
                        contribution.setNull(21, Types.BIGINT);
                    } else {
                        contribution.setLong(21, batch);
                    }
                    if (e.committedAt() == null || !OccurredAt.storable(e.committedAt())) {
                        contribution.setNull(22, Types.TIMESTAMP_WITH_TIMEZONE);
                    } else {
                        contribution.setTimestamp(22, Timestamp.from(e.committedAt()));
                    }
                    setInstant(contribution, 23, row.arrivedAt());
                    setInstant(contribution, 24, row.lateFrom());
                    contribution.addBatch();
                    for (int i = 0; i < row.credited().size(); i++) {
                        credit.setLong(1, row.id());
                        credit.setInt(2, i);
                        credit.setLong(3, row.credited().get(i));
                        credit.setString(4, (i == 0 ? Credit.Role.AUTHOR : Credit.Role.CO_AUTHOR).name());
                        credit.addBatch();
                    }
                    addFiles(file, row.id(), e.files());
                }
                contribution.executeBatch();
                credit.executeBatch();
                file.executeBatch();
            }
        }
    }

    private static void addFiles(PreparedStatement file, long contributionId, List<ChangedFile> files) throws SQLException {
        for (int i = 0; i < files.size(); i++) {
            ChangedFile f = files.get(i);
            file.setLong(1, contributionId);
            file.setInt(2, i);
            file.setString(3, f.path);
            file.setString(4, f.oldPath);
            file.setString(5, f.change);
            setInteger(file, 6, f.linesAdded);
            setInteger(file, 7, f.linesDeleted);
            file.setString(8, f.category);
            file.setInt(9, f.effectiveLines);
            file.addBatch();
        }
    }

    /** A commit's changed lines as stored: packed, or null when there are none. */
    private static byte[] packed(ChangedLines lines) {
        return lines == null || lines.isEmpty() ? null : lines.pack();
    }

    private static void setBytes(PreparedStatement statement, int index, byte[] value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARBINARY);
        } else {
            statement.setBytes(index, value);
        }
    }

    private static void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setTimestamp(index, Timestamp.from(value));
        }
    }

    private static void setInteger(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot serialise " + value, ex);
        }
    }

    /** Cut to the column, never inside a character, half characters replaced (StoredText's one rule). */
    private static String truncate(String s, int max) {
        return dev.merit.audit.StoredText.fit(s, max);
    }
}
