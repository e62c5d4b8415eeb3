package dev.merit.scoring.train;

import java.util.HashMap;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.audit.CanonicalJson;
import dev.merit.ingest.ChangedFile;
import dev.merit.ingest.Contribution;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a repository's ingested commits in the training-data format (JSONL: repo, sha, time = author time in
 * Unix seconds, author = salted hash of the e-mail, message, files with added/deleted, null for binary), so a
 * DAO can train and evaluate on its own history. Merges are left out. Pages through the table: any size.
 */
@ApplicationScoped
public class DatasetExporter {

    private static final int PAGE = 1000;

    private final ObjectMapper json;

    public DatasetExporter(ObjectMapper json) {
        this.json = json;
    }

    /** Returns the number of commits written. */
    public int export(long repositoryId, String repositoryName, String salt, Writer out) {
        return export(repositoryId, repositoryName, salt, out, false).written();
    }

    /** Commits written, how many of them carry a maintainer's corrected type as their label, and bots' commits left out. */
    public record Result(int written, int corrected, int botCommitsLeftOut) {
    }

    /** As {@link #export(long, String, String, Writer, boolean, boolean)}, bots' commits included. */
    public Result export(long repositoryId, String repositoryName, String salt, Writer out, boolean corrections) {
        return export(repositoryId, repositoryName, salt, out, corrections, false);
    }

    /**
     * As {@link #export(long, String, String, Writer)}; with {@code corrections}, a commit whose type a maintainer
     * corrected on a dispute is written with that type as its Conventional Commits prefix (replacing the author's
     * own) and the optional field {@code "correction": {"dispute": ID, "type": TYPE}}, which {@code train} weights
     * (a maintainer's judgement on the model's own mistake counts more than an author's prefix). With
     * {@code peopleOnly}, commits whose author is a bot (Merit's bot rule: {@code [bot]} suffixes and
     * {@code merit.ingest.bot-markers}) are left out, as Merit pays no bots and the shared training data has none.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public Result export(long repositoryId, String repositoryName, String salt, Writer out, boolean corrections,
                         boolean peopleOnly) {
        var em = Panache.getEntityManager();
        Map<Long, Object[]> corrected = new HashMap<>();
        if (corrections) {
            List<Object[]> rows = em.createNativeQuery("select d.contribution_id, d.corrected_type, d.id from dispute d "
                            + "join contribution c on c.id = d.contribution_id where c.repository_id = ?1 and d.status = "
                            + "'ACCEPTED' order by d.settled_at, d.id")
                    .setParameter(1, repositoryId).getResultList();
            for (Object[] row : rows) {
                corrected.put(((Number) row[0]).longValue(), new Object[]{row[1], ((Number) row[2]).longValue()});
            }
        }
        int relabelled = 0;
        String commits = "from Contribution c where c.repositoryId = :r and c.source = 'git' and c.kind = 'commit'";
        String bots = " and c.actorId in (select k.id from Contributor k where k.bot = true)";
        List<Long> ids = em.createQuery("select c.id " + commits + (peopleOnly
                        ? " and c.actorId not in (select k.id from Contributor k where k.bot = true)" : "")
                        + " order by c.occurredAt desc, c.id", Long.class)
                .setParameter("r", repositoryId).getResultList();
        int leftOut = !peopleOnly ? 0 : em.createQuery("select count(c) " + commits + bots, Long.class)
                .setParameter("r", repositoryId).getSingleResult().intValue();
        int written = 0;
        try {
            for (int from = 0; from < ids.size(); from += PAGE) {
                List<Contribution> page = em.createQuery("select c from Contribution c where c.id in :ids "
                                + "order by c.occurredAt desc, c.id", Contribution.class)
                        .setParameter("ids", ids.subList(from, Math.min(ids.size(), from + PAGE))).getResultList();
                for (Contribution c : page) {
                    Map<String, Object> line = line(c, repositoryName, salt);
                    Object[] correction = corrected.get(c.id);
                    if (correction != null) {
                        String type = (String) correction[0];
                        String message = (String) line.get("message");
                        CommitLabels.Labelled labelled = CommitLabels.of(message);
                        line.put("message", type + ": " + (labelled.label().isPresent()
                                ? labelled.strippedMessage().stripLeading() : message));
                        Map<String, Object> field = new LinkedHashMap<>();
                        field.put("dispute", correction[1]);
                        field.put("type", type);
                        line.put("correction", field);
                        relabelled++;
                    }
                    out.write(json.writeValueAsString(line));
                    out.write('\n');
                    written++;
                }
                em.clear();
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Result(written, relabelled, leftOut);
    }

    private Map<String, Object> line(Contribution c, String repositoryName, String salt) throws IOException {
        JsonNode raw = c.raw == null ? null : json.readTree(c.raw);
        Instant authored = raw != null && raw.path("author").hasNonNull("at")
                ? Instant.parse(raw.path("author").get("at").asText()) : c.occurredAt;
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("repo", repositoryName);
        line.put("sha", c.externalId);
        line.put("time", authored.getEpochSecond());
        line.put("author", CanonicalJson.sha256(salt + (c.actorEmail == null ? "" : c.actorEmail.toLowerCase(Locale.ROOT)))
                .substring(0, 16));
        line.put("message", c.body == null ? c.title : c.body);
        List<Map<String, Object>> files = new ArrayList<>();
        for (ChangedFile f : c.files) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("path", f.path);
            file.put("added", f.linesAdded);
            file.put("deleted", f.linesDeleted);
            files.add(file);
        }
        line.put("files", files);
        return line;
    }
}
