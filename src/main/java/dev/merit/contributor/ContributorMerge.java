package dev.merit.contributor;

import dev.merit.audit.IdSlices;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A maintainer's merge of contributor {@link #fromId} into {@link #intoId}: one person known twice. While it stands
 * ({@link #unmergedAt} null) the merged-away contributor has no identities and is credited for nothing new; the rows
 * that moved are recorded with it (contributor_merge_identity, _actor, _credit) so an unmerge restores them exactly.
 */
@Entity
@Table(name = "contributor_merge")
public class ContributorMerge extends PanacheEntityBase {

    /** Merges into merges: a chain is at most this long (each merge needs a contributor that is not merged away). */
    private static final int MAX_CHAIN = 64;

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "contributor_merge_seq")
    @SequenceGenerator(name = "contributor_merge_seq", sequenceName = "contributor_merge_seq", allocationSize = 1)
    public Long id;

    @Column(name = "into_id", nullable = false)
    public Long intoId;

    @Column(name = "from_id", nullable = false)
    public Long fromId;

    @Column(name = "merged_by", nullable = false)
    public String mergedBy;

    /** How the maintainer proved it ({@link dev.merit.security.MaintainerCall}); null before V20. */
    @Column(name = "merged_via")
    public String mergedVia;

    @Column(name = "merged_at", nullable = false)
    public Instant mergedAt;

    @Column(columnDefinition = "text")
    public String reason;

    @Column(name = "unmerged_by")
    public String unmergedBy;

    @Column(name = "unmerged_via")
    public String unmergedVia;

    @Column(name = "unmerged_at")
    public Instant unmergedAt;

    public boolean standing() {
        return unmergedAt == null;
    }

    /** The standing merge that merged {@code contributorId} away, if any. */
    public static Optional<ContributorMerge> awayOf(long contributorId) {
        return ContributorMerge.<ContributorMerge>find("fromId = ?1 and unmergedAt is null", contributorId)
                .firstResultOptional();
    }

    /** The contributor that stands for {@code contributorId} now: itself, or the one it was merged into (followed). */
    public static long current(long contributorId) {
        long id = contributorId;
        for (int i = 0; i < MAX_CHAIN; i++) {
            Optional<ContributorMerge> away = awayOf(id);
            if (away.isEmpty()) {
                return id;
            }
            id = away.get().intoId;
        }
        return id;
    }

    /** For those of {@code contributorIds} that are merged away, the contributor that stands for each now. */
    public static Map<Long, Long> currentOf(Collection<Long> contributorIds) {
        Map<Long, Long> current = new HashMap<>();
        if (contributorIds.isEmpty()) {
            return current;
        }
        List<ContributorMerge> away = IdSlices.list(contributorIds,
                slice -> ContributorMerge.list("fromId in ?1 and unmergedAt is null", slice));
        for (ContributorMerge m : away) {
            current.put(m.fromId, current(m.intoId));
        }
        return current;
    }

    /**
     * As {@link #currentOf}, for the contributors {@code selection} selects (an HQL query of contributor ids, its named
     * parameters in {@code params}), in one statement however many they are.
     */
    public static Map<Long, Long> currentOfSelected(String selection, Map<String, Object> params) {
        Map<Long, Long> current = new HashMap<>();
        for (ContributorMerge m : ContributorMerge.<ContributorMerge>list("unmergedAt is null and fromId in ("
                + selection + ")", params)) {
            current.put(m.fromId, current(m.intoId));
        }
        return current;
    }
}
