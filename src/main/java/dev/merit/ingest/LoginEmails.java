package dev.merit.ingest;

import dev.merit.contributor.Identity;
import jakarta.persistence.EntityManager;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A forge login that is another contributor's e-mail name: "github:toddbaert" (a pull request's author, met by a
 * webhook) and toddbaert@gmail.com (who wrote the commits), one person Merit met twice, whose pull requests would
 * otherwise be paid to an account without a wallet. Six characters or more, so that "admin" or "dev" is not taken for
 * a person. Read as plain values in two statements and matched in memory (a join on an expression is a nested loop on
 * the embedded database).
 */
final class LoginEmails {

    /** The shortest login matched. */
    static final int MIN = 6;

    record Pair(long loginContributor, String login, long emailContributor, String email) {
    }

    private LoginEmails() {
    }

    static List<Pair> pairs(EntityManager em) {
        Map<String, Object[]> logins = new HashMap<>();
        for (Object[] r : handles(em, Identity.Kind.FORGE_LOGIN)) {
            String handle = (String) r[0];
            String name = handle.substring(handle.indexOf(':') + 1).toLowerCase(Locale.ROOT);
            if (name.length() >= MIN) {
                logins.putIfAbsent(name, r);
            }
        }
        List<Pair> out = new ArrayList<>();
        if (logins.isEmpty()) {
            return out;
        }
        for (Object[] r : handles(em, Identity.Kind.GIT_EMAIL)) {
            String email = (String) r[0];
            int at = email.indexOf('@');
            Object[] login = at < MIN ? null : logins.get(email.substring(0, at).toLowerCase(Locale.ROOT));
            if (login != null && !login[1].equals(r[1])) {
                out.add(new Pair((Long) login[1], (String) login[0], (Long) r[1], email));
            }
        }
        return out;
    }

    private static List<Object[]> handles(EntityManager em, Identity.Kind kind) {
        return em.createQuery("select i.handle, i.contributorId from Identity i where i.kind = :kind order by i.id",
                Object[].class).setParameter("kind", kind).getResultList();
    }
}
