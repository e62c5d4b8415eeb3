package dev.merit.ingest;

import jakarta.persistence.EntityManager;

/** A native SQL write with positional parameters ({@code ?1}, {@code ?2}, ...), in the caller's transaction. */
public final class NativeSql {

    private NativeSql() {
    }

    /** Runs {@code sql} with {@code parameters} bound in order; returns how many rows it changed. */
    public static int update(EntityManager em, String sql, Object... parameters) {
        var q = em.createNativeQuery(sql);
        for (int i = 0; i < parameters.length; i++) {
            q.setParameter(i + 1, parameters[i]);
        }
        return q.executeUpdate();
    }
}
