package dev.merit.scoring;

import io.quarkus.hibernate.orm.panache.Panache;
import org.hibernate.Session;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A scoring run reads one snapshot of the database. At the default READ COMMITTED each query sees what was committed
 * before it, so an ingest or a contributor merge committed while a long run pages through an epoch could put a
 * contribution into graph credit that the run did not score, or split one person across two pages. REPEATABLE READ
 * gives the transaction one snapshot, taken at its first query, on PostgreSQL and H2 alike; the run only inserts its
 * own rows, so it does not meet the serialization failures that level gives to concurrent updates of one row.
 * The pool (Agroal) puts the connection back at its configured level when the transaction ends.
 */
public final class OneSnapshot {

    private static final Logger LOG = Logger.getLogger(OneSnapshot.class);

    private OneSnapshot() {
    }

    /** Reads the rest of the current transaction from one snapshot; call it before the transaction's first query. */
    public static void forThisTransaction() {
        Panache.getEntityManager().unwrap(Session.class).doWork(c -> {
            if (c.getTransactionIsolation() >= Connection.TRANSACTION_REPEATABLE_READ) {
                return;
            }
            try {
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            } catch (SQLException e) {
                // Called after the transaction's first query (a caller that read before scoring): it reads as before.
                LOG.warnf("This scoring run reads each query's own snapshot (%s)", e.getMessage());
            }
        });
    }
}
