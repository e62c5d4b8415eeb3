package dev.merit.scoring.adjust;

import dev.merit.epoch.Epoch;
import io.quarkus.hibernate.orm.panache.Panache;

import java.util.List;

/** The one way adjustments read an epoch: a native query whose ?1 and ?2 are the epoch's start and end. */
final class EpochRows {

    private EpochRows() {
    }

    @SuppressWarnings("unchecked")
    static List<Object[]> of(Epoch epoch, String sql) {
        return Panache.getEntityManager().createNativeQuery(sql).setParameter(1, epoch.startsAt)
                .setParameter(2, epoch.endsAt).getResultList();
    }

    static long id(Object value) {
        return ((Number) value).longValue();
    }
}
