package dev.merit.ingest.webhook;

import dev.merit.contributor.IdentityResolution;
import dev.merit.contributor.WalletClaims;
import dev.merit.ingest.ContributionEvent;
import java.util.ArrayList;
import java.util.stream.Collectors;
import dev.merit.ingest.Ingestor;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Records a webhook delivery and what it means in one transaction: the delivery row (so a replay is answered
 * "duplicate" and stores nothing), the contributions (idempotent by source and external id), their links, CI
 * results and the forge's verdicts (declined or not). A failure stores none of it.
 */
@ApplicationScoped
public class WebhookService {

    public record Outcome(String outcome, String detail, int contributions) {
    }

    private final Ingestor ingestor;
    private final WalletClaims claims;

    public WebhookService(Ingestor ingestor, WalletClaims claims) {
        this.ingestor = ingestor;
        this.claims = claims;
    }

    /**
     * Stores contributions, links and CI results of many events in the caller's transaction; returns how many
     * contributions were new. Everything is idempotent: stored again, nothing changes.
     */
    @Transactional
    public int store(String source, List<SourceEvents> events) {
        return store(source, events, e -> true);
    }

    /**
     * What the contributions of these events were stored as ({@code raw}), by external id, for those stored from
     * {@code source} with it (a mutable map: the caller adds what it reads first).
     */
    @Transactional
    public Map<String, String> storedRaw(String source, List<ContributionEvent> events) {
        List<String> ids = events.stream().map(ContributionEvent::externalId).distinct().toList();
        Map<String, String> raw = new java.util.HashMap<>();
        for (int from = 0; from < ids.size(); from += 500) {
            for (Object row : Panache.getEntityManager().createNativeQuery("select external_id, raw from contribution "
                            + "where source = :source and external_id in :ids and raw is not null")
                    .setParameter("source", source).setParameter("ids", ids.subList(from, Math.min(ids.size(),
                            from + 500))).getResultList()) {
                raw.put((String) ((Object[]) row)[0], (String) ((Object[]) row)[1]);
            }
        }
        return raw;
    }

    /**
     * As {@link #store(String, List)}; {@code live} tells the events that arrive as they happen from history read in
     * bulk (what a Kafka topic held when Merit's consumer group first read it), which keeps its dates even in a period
     * already paid.
     */
    @Transactional
    public int store(String source, List<SourceEvents> events, Predicate<SourceEvents> live) {
        EntityManager em = Panache.getEntityManager();
        Ingestor.Session session = ingestor.open(false, null, true);
        // All contributions in one batch: one existence query and one batched insert per chunk, not per event.
        List<ContributionEvent> history = new ArrayList<>();
        List<ContributionEvent> arrived = new ArrayList<>();
        for (SourceEvents mapped : events) {
            (live.test(mapped) ? arrived : history).addAll(mapped.contributions());
        }
        int stored = 0;
        for (List<ContributionEvent> all : List.of(history, arrived)) {
            for (int from = 0; from < all.size(); from += 1000) {
                stored += session.store(all.subList(from, Math.min(all.size(), from + 1000)), all == arrived);
            }
        }
        for (SourceEvents mapped : events) {
            for (SourceEvents.Link link : mapped.links()) {
                boolean exists = ((Number) em.createNativeQuery("select count(*) from contribution_link where source = ?1 "
                                + "and from_external_id = ?2 and to_external_id = ?3 and kind = ?4")
                        .setParameter(1, source).setParameter(2, link.fromExternalId())
                        .setParameter(3, link.toExternalId()).setParameter(4, link.kind()).getSingleResult()).longValue() > 0;
                if (!exists) {
                    em.createNativeQuery("insert into contribution_link (source, from_external_id, to_external_id, kind) "
                                    + "values (?1, ?2, ?3, ?4)")
                            .setParameter(1, source).setParameter(2, link.fromExternalId())
                            .setParameter(3, link.toExternalId()).setParameter(4, link.kind()).executeUpdate();
                }
            }
            for (SourceEvents.StateChange state : mapped.states()) {
                changeState(em, source, state);
            }
            for (SourceEvents.CiResult ci : mapped.ciResults()) {
                boolean exists = ((Number) em.createNativeQuery("select count(*) from ci_result where source = ?1 "
                                + "and external_id = ?2").setParameter(1, source).setParameter(2, ci.externalId())
                        .getSingleResult()).longValue() > 0;
                if (!exists) {
                    em.createNativeQuery("insert into ci_result (source, external_id, repository, head_sha, conclusion, "
                                    + "completed_at) values (?1, ?2, ?3, ?4, ?5, ?6)")
                            .setParameter(1, source).setParameter(2, ci.externalId()).setParameter(3, ci.repository())
                            .setParameter(4, ci.headSha()).setParameter(5, ci.conclusion())
                            .setParameter(6, ci.completedAt()).executeUpdate();
                } else {
                    // A re-run keeps its run's id (GitHub's run_attempt, a GitLab pipeline's retried jobs): the attempt
                    // that completed last is the run's outcome, so a flaky failure re-run to green no longer costs
                    // the commit its CI factor for good. A late delivery of an earlier attempt changes nothing.
                    em.createNativeQuery("update ci_result set conclusion = ?1, completed_at = ?2 where source = ?3 and "
                                    + "external_id = ?4 and completed_at < ?2")
                            .setParameter(1, ci.conclusion()).setParameter(2, ci.completedAt()).setParameter(3, source)
                            .setParameter(4, ci.externalId()).executeUpdate();
                }
            }
        }
        return stored;
    }

    /**
     * The forge's newest word on an issue or pull request: a change older than the one stored (deliveries can arrive
     * out of order, or be redelivered) leaves it as it is.
     */
    private static void changeState(EntityManager em, String source, SourceEvents.StateChange state) {
        String reason = state.reason().length() > 255 ? state.reason().substring(0, 255) : state.reason();
        int updated = em.createNativeQuery("update contribution_state set declined = ?1, reason = ?2, changed_at = ?3 "
                        + "where source = ?4 and external_id = ?5 and changed_at <= ?3")
                .setParameter(1, state.declined()).setParameter(2, reason).setParameter(3, state.at())
                .setParameter(4, source).setParameter(5, state.externalId()).executeUpdate();
        if (updated == 0 && ((Number) em.createNativeQuery("select count(*) from contribution_state where source = ?1 "
                        + "and external_id = ?2").setParameter(1, source).setParameter(2, state.externalId())
                .getSingleResult()).longValue() == 0) {
            em.createNativeQuery("insert into contribution_state (source, external_id, declined, reason, changed_at) "
                            + "values (?1, ?2, ?3, ?4, ?5)")
                    .setParameter(1, source).setParameter(2, state.externalId()).setParameter(3, state.declined())
                    .setParameter(4, reason).setParameter(5, state.at()).executeUpdate();
        }
    }

    public boolean seen(String source, String deliveryId) {
        return ((Number) Panache.getEntityManager()
                .createNativeQuery("select count(*) from webhook_delivery where source = ?1 and delivery_id = ?2")
                .setParameter(1, source).setParameter(2, deliveryId).getSingleResult()).longValue() > 0;
    }

    @Transactional
    public Outcome record(String source, String deliveryId, String event, SourceEvents mapped) {
        if (seen(source, deliveryId)) {
            return new Outcome("duplicate", "delivery " + deliveryId + " was processed before; nothing stored again", 0);
        }
        EntityManager em = Panache.getEntityManager();
        int stored = 0;
        if (!mapped.isIgnored()) {
            stored = store(source, List.of(mapped));
        }
        String outcome = mapped.isIgnored() ? "ignored" : "stored";
        String detail = mapped.isIgnored() ? mapped.ignored()
                : stored + " new contribution(s), " + mapped.links().size() + " link(s), " + mapped.ciResults().size()
                + " CI result(s)" + mapped.states().stream().map(s -> "; " + s.externalId() + (s.declined()
                ? " declined: " : " not declined: ") + s.reason()).collect(Collectors.joining());
        // Wallet claim codes in what the forge says this account wrote (its webhook is authenticated): proofs.
        List<String> proofs = new ArrayList<>();
        for (ContributionEvent e : mapped.textIsTheActors() ? mapped.contributions() : List.<ContributionEvent>of()) {
            // prove() reads only proving forges' texts, and finds codes case-blind itself: no lower-cased copy first.
            if (e.actor() != null && e.actor().login() != null) {
                proofs.addAll(claims.prove(source, e.body(), IdentityResolution.loginHandle(e.actor().login()),
                        e.actor().accountId(), source + ":" + e.externalId()));
            }
        }
        if (!proofs.isEmpty()) {
            detail += "; wallet claims: " + String.join("; ", proofs);
        }
        em.createNativeQuery("insert into webhook_delivery (source, delivery_id, event, received_at, outcome, detail, "
                        + "contributions) values (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .setParameter(1, source).setParameter(2, deliveryId).setParameter(3, event)
                .setParameter(4, Instant.now()).setParameter(5, outcome)
                .setParameter(6, detail.length() > 1000 ? detail.substring(0, 1000) : detail)
                .setParameter(7, stored).executeUpdate();
        return new Outcome(outcome, detail, stored);
    }
}
