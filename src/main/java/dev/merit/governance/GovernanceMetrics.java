package dev.merit.governance;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * Gauges of chain transactions by status and on-chain proposals by state, read from the database at scrape time
 * (at most once every 5 s), so every replica reports the same numbers.
 */
@ApplicationScoped
public class GovernanceMetrics {

    private final AgroalDataSource db;
    private final MeterRegistry registry;
    private Map<String, Long> txs = Map.of();
    private Map<String, Long> proposals = Map.of();
    private long readAt;

    public GovernanceMetrics(AgroalDataSource db, MeterRegistry registry) {
        this.db = db;
        this.registry = registry;
    }

    void register(@Observes StartupEvent event) {
        for (ChainTx.Status s : ChainTx.Status.values()) {
            Gauge.builder("merit.chain.transactions", this, m -> m.count(true, s.name()))
                    .description("Chain transactions (outbox) by status").tag("status", s.name()).register(registry);
        }
        for (ChainProposal.State s : ChainProposal.State.values()) {
            Gauge.builder("merit.proposals", this, m -> m.count(false, s.name()))
                    .description("Payout proposals on chain by state").tag("state", s.name()).register(registry);
        }
    }

    private synchronized double count(boolean tx, String key) {
        if (System.nanoTime() - readAt > 5_000_000_000L) {
            try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
                txs = counts(st, "select status, count(*) from chain_tx group by status");
                proposals = counts(st, "select state, count(*) from chain_proposal group by state");
                readAt = System.nanoTime();
            } catch (SQLException e) {
                return Double.NaN;
            }
        }
        return (tx ? txs : proposals).getOrDefault(key, 0L);
    }

    private static Map<String, Long> counts(Statement st, String sql) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }
}
