package dev.merit.ingest.git;

import dev.merit.security.Access;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/ingest-jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Repositories")
@Access(Access.Role.MAINTAINER) // a failed job's reason may name paths and hosts of the server
public class IngestJobResource {

    private final IngestJobs jobs;

    public IngestJobResource(IngestJobs jobs) {
        this.jobs = jobs;
    }

    @GET
    @Operation(summary = "Ingest jobs, newest first (maintainers)", description = "The last 100 ingests started with "
            + "async=true since the server started.")
    @APIResponse(responseCode = "200", description = "Jobs")
    public List<IngestJobs.JobView> list() {
        return jobs.list();
    }

    @GET
    @Path("/{jobId}")
    @Operation(summary = "One ingest job (maintainers)", description = "Its state (queued, running, succeeded, failed), "
            + "commits done of total, rate and time left, and once over its report or why it failed.")
    @APIResponse(responseCode = "200", description = "The job")
    @APIResponse(responseCode = "404", description = "No such job (or the server restarted since)")
    public IngestJobs.JobView get(@PathParam("jobId") long jobId) {
        return jobs.get(jobId);
    }
}
