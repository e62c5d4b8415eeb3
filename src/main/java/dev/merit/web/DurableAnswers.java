package dev.merit.web;

import dev.merit.cluster.DurableCommits;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.Set;

/**
 * An answer that says a write was done goes out only once the write is in the database's file ({@link
 * DurableCommits}): a 2xx answer to a POST, PUT, PATCH or DELETE. Refusals wrote nothing and go out at once.
 */
@jakarta.enterprise.context.ApplicationScoped
public class DurableAnswers {

    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final DurableCommits durable;

    public DurableAnswers(DurableCommits durable) {
        this.durable = durable;
    }

    @ServerResponseFilter
    public void afterWrite(ContainerRequestContext request, ContainerResponseContext response) {
        if (durable.applies() && response.getStatus() / 100 == 2 && WRITES.contains(request.getMethod())
                && !io.vertx.core.Context.isOnEventLoopThread()) { // every write endpoint blocks (Hibernate ORM)
            durable.flush();
        }
    }
}
