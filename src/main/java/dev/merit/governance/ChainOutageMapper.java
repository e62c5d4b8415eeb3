package dev.merit.governance;

import dev.merit.problem.ProblemMappers;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import java.io.IOException;

/**
 * A chain endpoint whose node does not answer is unavailable for now (503, Retry-After), not broken: the follower
 * reconnects by itself. Anywhere else, an I/O failure stays an unexpected one.
 */
public class ChainOutageMapper {

    private final ProblemMappers problems = new ProblemMappers();

    @ServerExceptionMapper
    public Response io(IOException e, UriInfo uri, SimpleResourceInfo resource) {
        java.util.Optional<Response> unread = ProblemMappers.bodyNotRead(e, uri);
        if (unread.isPresent()) {
            return unread.get(); // the caller's body, not the node, stopped
        }
        Class<?> type = resource == null ? null : resource.getResourceClass();
        if (type == ChainResource.class || type == ChainProposalResource.class) {
            return problems.problem(ChainService.unavailable(
                    dev.merit.governance.chain.WatchedHttpService.inWords(e)), uri);
        }
        return problems.unexpected(e, uri);
    }
}
