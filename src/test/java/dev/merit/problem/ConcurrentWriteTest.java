package dev.merit.problem;

import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.Response;
import org.hibernate.exception.ConstraintViolationException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two requests that both checked "no epoch of that name yet" and both inserted: the database keeps one and the other
 * fails on the unique constraint. That one is told so (409, send it again), not given an internal error.
 */
class ConcurrentWriteTest {

    @Test
    void aUniqueConstraintLostToAnotherRequestIsAConflictAndOtherFailuresStayInternal() {
        ProblemMappers mappers = new ProblemMappers();
        PersistenceException lost = new PersistenceException(new ConstraintViolationException("duplicate key",
                new SQLException("duplicate key value violates unique constraint", "23505"),
                ConstraintViolationException.ConstraintKind.UNIQUE, "epoch_name_unique"));
        Response conflict = mappers.unexpected(lost, null);
        assertThat(conflict.getStatus()).isEqualTo(409);
        assertThat(conflict.getEntity().toString()).contains("epoch_name_unique").contains("Send it again");

        PersistenceException notNull = new PersistenceException(new ConstraintViolationException("null value",
                new SQLException("null value in column", "23502"), ConstraintViolationException.ConstraintKind.NOT_NULL,
                "epoch_name"));
        assertThat(mappers.unexpected(notNull, null).getStatus()).as("a bug, not a race").isEqualTo(500);
    }
}
