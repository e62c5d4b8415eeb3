package dev.merit.ingest;

import dev.merit.contributor.ActorRef;
import dev.merit.contributor.IdentityResolution;
import dev.merit.ingest.git.CoAuthors;
import jakarta.persistence.EntityManager;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Who a contribution credits, as a merge or an unmerge rewrites it: each contributor once, in order, the first as its
 * author ({@link IdentityMerges}).
 */
final class MergeCredits {

    private final EntityManager em;

    MergeCredits(EntityManager em) {
        this.em = em;
    }

    /** The contribution's credits with each contributor once, in order, renumbered. */
    void creditOnce(long contribution) {
        credit(contribution, credited(contribution));
    }

    /**
     * Commits ingested while merge {@code mergeId} of {@code b} into {@code a} stood credited a co-author whose e-mail
     * was {@code b}'s to {@code a} (or, beside {@code a}'s own authorship, not at all), and a commit {@code b} wrote with
     * {@code a} as co-author to {@code a} alone. Undone, each such commit credits its author and then the owner of each
     * Co-authored-by trailer's e-mail, in order, as an ingest would now: only commits that then credit {@code b} change.
     */
    void coAuthorsBack(long a, long b, long mergeId) {
        List<?> rows = em.createNativeQuery("select c.id, c.body from contribution c where c.source = ?1 and "
                        + "lower(c.body) like '%co-authored-by%' and c.id in (select contribution_id from contribution_credit "
                        + "where contributor_id in (?2, ?3)) and c.id not in (select contribution_id from "
                        + "contributor_merge_credit where merge_id = ?4)")
                .setParameter(1, "git").setParameter(2, a).setParameter(3, b).setParameter(4, mergeId).getResultList();
        for (Object row : rows) {
            long contribution = ((Number) ((Object[]) row)[0]).longValue();
            List<Long> now = credited(contribution);
            if (now.isEmpty()) {
                continue;
            }
            List<Long> inOrder = new ArrayList<>(List.of(now.get(0)));
            for (ActorRef co : CoAuthors.parse((String) ((Object[]) row)[1])) {
                String email = IdentityResolution.normalizeEmail(co.email());
                if (email == null) {
                    continue;
                }
                List<?> owner = em.createNativeQuery("select contributor_id from contributor_identity where kind = "
                        + "'GIT_EMAIL' and handle = ?1").setParameter(1, email).getResultList();
                if (!owner.isEmpty()) {
                    inOrder.add(((Number) owner.get(0)).longValue());
                }
            }
            List<Long> rebuilt = List.copyOf(new LinkedHashSet<>(inOrder));
            if (rebuilt.contains(b) && !rebuilt.equals(now)) {
                credit(contribution, rebuilt);
            }
        }
    }

    /** Whom the contribution credits now, in position order. */
    private List<Long> credited(long contribution) {
        List<Long> out = new ArrayList<>();
        for (Object id : em.createNativeQuery("select contributor_id from contribution_credit where contribution_id = ?1 "
                + "order by position").setParameter(1, contribution).getResultList()) {
            out.add(((Number) id).longValue());
        }
        return out;
    }

    /** Credits {@code contribution} to these contributors, each once, in order: the first as its author. */
    private void credit(long contribution, List<Long> inOrder) {
        NativeSql.update(em, "delete from contribution_credit where contribution_id = ?1", contribution);
        int position = 0;
        for (long contributor : new LinkedHashSet<>(inOrder)) {
            NativeSql.update(em, "insert into contribution_credit (contribution_id, position, contributor_id, role) "
                    + "values (?1, ?2, ?3, ?4)", contribution, position, contributor,
                    (position == 0 ? Credit.Role.AUTHOR : Credit.Role.CO_AUTHOR).name());
            position++;
        }
    }
}
