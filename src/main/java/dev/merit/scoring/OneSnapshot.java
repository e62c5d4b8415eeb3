package dev.merit.scoring;

import io.quarkus.hibernate.orm.panache.Panache;
import org.hibernate.Session;

import java.sql.Connection;

/**
 * A scoring run reads one snapshot of the database. At the default READ COMMITTED each query sees what was committed
 * before it, so an ingest or a contributor merge committed while a long run pages through an epoch could put a
 * contribution into graph credit that the run did not score, or split one person across two pages. REPEATABLE READ
 * gives the transaction a snapshot: on PostgreSQL one, taken at its first query; on H2 one per table, taken when the
 * transaction first reads it. The run only inserts its own rows, so it does not meet the serialization failures that
 * level gives to concurrent updates of one row. The pool (Agroal) puts the connection back at its configured level
 * when the transaction ends.
 *
 * <p>Only for a transaction that scores and then ends: checks that must see what others commit meanwhile (a payout
 * proposal's, that no merge or bot mark came after the run) read at READ COMMITTED in a transaction of their own.
 */
public final class OneSnapshot {

    private OneSnapshot() {
    }

    /**
     * Reads the rest of the current transaction from one snapshot. Call it before the transaction's first query:
     * PostgreSQL refuses the change after it (an error, not a silent fallback), and H2 would commit what was done.
     */
    public static void forThisTransaction() {
        Panache.getEntityManager().unwrap(Session.class).doWork(c -> {
            if (c.getTransactionIsolation() < Connection.TRANSACTION_REPEATABLE_READ) {
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
        });
    }
}
