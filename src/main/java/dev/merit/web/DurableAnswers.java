package dev.merit.web;

import dev.merit.cluster.DurableCommits;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.Set;

/**
 * An answer to a write goes out only once what it wrote is in the database's file ({@link DurableCommits}): any answer
 * to a POST, PUT, PATCH or DELETE but a server error (rolled back) and the refusals made before a request reaches its
 * endpoint (credentials, origin, sizes), which wrote nothing. A 422 can follow a commit (a CI hook that ingested, then
 * found the policy failing), so client errors wait too.
 */
@jakarta.enterprise.context.ApplicationScoped
public class DurableAnswers {

    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    /** Refused before the endpoint ran: nothing to wait for. */
    private static final Set<Integer> REFUSED = Set.of(401, 403, 413, 414, 429, 431);

    private final DurableCommits durable;

    public DurableAnswers(DurableCommits durable) {
        this.durable = durable;
    }

    @ServerResponseFilter
    public void afterWrite(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if (durable.applies() && status < 500 && !REFUSED.contains(status) && WRITES.contains(request.getMethod())
                && !io.vertx.core.Context.isOnEventLoopThread()) { // every write endpoint blocks (Hibernate ORM)
            durable.flush();
        }
    }
}
