package dev.merit.ingest.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/**
 * The name a forge repository's contributions are keyed by: the one it had when a webhook first named its id (GitHub's
 * {@code repository.id}, GitLab's {@code project.id}). Keys are built from the name ("owner/repo#pr/12"), and a name
 * changes: a repository renamed or transferred, or written in another case by another delivery ("Org/Repo" and
 * "org/repo" are one repository on both forges). Keyed by the name first met, a pull request opened under one name and
 * merged under another is one contribution, paid once. A new repository under a name another one was first met by (it
 * was renamed since) is keyed "name@id". A payload without an id keeps its own name.
 */
@ApplicationScoped
public class ForgeRepositories {

    /**
     * Writes into {@code payload} (at {@code holder}.{@code nameField}) the name its repository's contributions are
     * keyed by, recording the one it carries the first time its id ({@code holder}.id) is met.
     */
    public void keyByFirstName(String source, JsonNode payload, String holder, String nameField) {
        JsonNode repository = payload.path(holder);
        JsonNode id = repository.path("id");
        JsonNode name = repository.path(nameField);
        if (!repository.isObject() || !id.isIntegralNumber() || !name.isTextual() || name.asText().isBlank()
                || name.asText().length() > 512) {
            return; // refused or keyed as it is by the mapper, which names what is missing (or hashes what is long)
        }
        String key;
        try {
            key = keyName(source, id.asText(), name.asText());
        } catch (RuntimeException e) {
            // Another delivery met the same new repository at this moment: its row is there now.
            key = keyName(source, id.asText(), name.asText());
        }
        ((ObjectNode) repository).put(nameField, key);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    String keyName(String source, String repositoryId, String name) {
        var em = Panache.getEntityManager();
        List<?> known = em.createNativeQuery("select key_name from forge_repository where source = ?1 and "
                + "repository_id = ?2").setParameter(1, source).setParameter(2, repositoryId).getResultList();
        if (!known.isEmpty()) {
            return (String) known.get(0);
        }
        // A repository created under a name another one had before its rename is another repository: its pull
        // request #5 is not the first one's.
        boolean taken = !em.createNativeQuery("select repository_id from forge_repository where source = ?1 and "
                + "lower(key_name) = lower(?2)").setParameter(1, source).setParameter(2, name).setMaxResults(1)
                .getResultList().isEmpty();
        String key = taken ? name + "@" + repositoryId : name;
        em.createNativeQuery("insert into forge_repository (source, repository_id, key_name, first_seen_at) values "
                        + "(?1, ?2, ?3, ?4)").setParameter(1, source).setParameter(2, repositoryId)
                .setParameter(3, key).setParameter(4, Instant.now()).executeUpdate();
        return key;
    }
}
