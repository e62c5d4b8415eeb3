package dev.merit.scoring.train;

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
    @Transactional
    public int export(long repositoryId, String repositoryName, String salt, Writer out) {
        var em = Panache.getEntityManager();
        List<Long> ids = em.createQuery("select c.id from Contribution c where c.repositoryId = :r and c.source = 'git' "
                        + "and c.kind = 'commit' order by c.occurredAt desc, c.id", Long.class)
                .setParameter("r", repositoryId).getResultList();
        int written = 0;
        try {
            for (int from = 0; from < ids.size(); from += PAGE) {
                List<Contribution> page = em.createQuery("select c from Contribution c where c.id in :ids "
                                + "order by c.occurredAt desc, c.id", Contribution.class)
                        .setParameter("ids", ids.subList(from, Math.min(ids.size(), from + PAGE))).getResultList();
                for (Contribution c : page) {
                    out.write(json.writeValueAsString(line(c, repositoryName, salt)));
                    out.write('\n');
                    written++;
                }
                em.clear();
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return written;
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
