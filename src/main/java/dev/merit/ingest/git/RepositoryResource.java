package dev.merit.ingest.git;

import dev.merit.problem.Redaction;
import dev.merit.security.MaintainerCall;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;

@Path("/api/repositories")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Repositories", description = "Git repositories Merit ingests")
public class RepositoryResource {

    public record RegisterRepository(
            @NotBlank @Size(max = 2048) @Schema(description = "Local path or clone URL (file://, https://)",
                    examples = "https://github.com/acme/widget.git") String location,
            @Size(max = 255) @Schema(description = "Branch to ingest; the repository's HEAD when absent") String branch,
            @Size(max = 255) @Schema(description = "Name shown for it and carried by its contributions; the last "
                    + "segment of the location (without .git) when absent", examples = "acme/widget") String name) {
    }

    public record RepositoryView(long id, String name,
                                 @Schema(description = "The clone URL, without credentials; a path on Merit's machine "
                                         + "(or file: URL) only to maintainers, null to others") String location,
                                 String branch, String lastCommit,
                                 int commitCount, Instant lastIngestedAt, Instant createdAt) {
        /**
         * A clone URL is shown (without credentials) to anyone; a path on Merit's own machine only to maintainers, as
         * it tells others nothing about the project and something about the server.
         */
        static RepositoryView of(GitRepository r) {
            String location = r.location == null || isUrl(r.location) || MaintainerCall.maintainerReads()
                    ? Redaction.redact(r.location) : null;
            return new RepositoryView(r.id, r.name, location, r.branch,
                    r.lastCommit, r.commitCount,
                    r.lastIngestedAt, r.createdAt);
        }

        /** A clone URL ({@code https://}, {@code ssh://}, scp-like {@code git@host:x.git}), not a file: URL. */
        static boolean isUrl(String location) {
            return GitLocations.isUrl(location) && !location.regionMatches(true, 0, "file:", 0, 5);
        }
    }

    private final GitRepositoryService repositories;
    private final IngestJobs jobs;

    public RepositoryResource(GitRepositoryService repositories, IngestJobs jobs) {
        this.repositories = repositories;
        this.jobs = jobs;
    }

    @GET
    @Operation(summary = "List registered repositories")
    @APIResponse(responseCode = "200", description = "All registered repositories")
    public List<RepositoryView> list() {
        return repositories.list().stream().map(RepositoryView::of).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One repository")
    @APIResponse(responseCode = "200", description = "The repository")
    @APIResponse(responseCode = "404", description = "No such repository")
    public RepositoryView get(@PathParam("id") long id) {
        return RepositoryView.of(repositories.get(id));
    }

    @POST
    @Operation(summary = "Register a repository", description = "Checks that the path is a Git repository or the URL "
            + "is reachable (it is cloned) and that the branch has commits. Nothing is stored if a check fails.")
    @APIResponse(responseCode = "201", description = "Registered; ingest it next")
    @APIResponse(responseCode = "400", description = "Missing location")
    @APIResponse(responseCode = "409", description = "Already registered")
    @APIResponse(responseCode = "422", description = "Not a repository, unreachable, empty, or no such branch")
    public Response register(@Valid @NotNull RegisterRepository request, UriInfo uri) {
        String location = request.location() == null ? null : request.location().strip();
        if (location != null && !location.isEmpty() && !GitLocations.isUrl(location) && relative(location)) {
            // Relative to what? The server's working directory is no place a caller can see or choose.
            throw dev.merit.problem.ProblemException.invalid("location '" + GitLocations.shorten(location) + "' is a "
                    + "relative path: give the repository's absolute path on the server (such as /srv/git/project; "
                    + "~ is not expanded) or a clone URL.");
        }
        GitRepository r = repositories.register(request.location(), request.branch(), request.name());
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(r.id)).build())
                .entity(RepositoryView.of(r)).build();
    }

    /** A path that names no place without a working directory; false for what is no path here (refused later). */
    private static boolean relative(String location) {
        try {
            return !java.nio.file.Path.of(location).isAbsolute();
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    @GET
    @Path("/{id}/authors")
    @Operation(summary = "Per-author commit and line totals (maintainers)", description = "Per commit author e-mail "
            + "as recorded (before identity resolution): the figures git log --numstat --no-renames gives for the "
            + "branch.")
    @APIResponse(responseCode = "200", description = "Authors sorted by e-mail")
    @APIResponse(responseCode = "404", description = "No such repository")
    // A maintainer's check (merit authors): every author's whole e-mail address, and a walk of the whole history.
    @dev.merit.security.Access(dev.merit.security.Access.Role.MAINTAINER)
    public List<GitRepositoryService.AuthorStats> authors(@PathParam("id") long id) {
        return repositories.authorStats(id);
    }

    @POST
    @Path("/{id}/ingest")
    @Operation(summary = "Ingest new commits", description = "Reads the commits added since the last ingest "
            + "(all of them the first time). Idempotent: commits already stored are never duplicated. With "
            + "refresh=true the whole history is read again and commits already stored get the measurements today's "
            + "rules give (line counts, excluded files, whitespace, repeated edits, moved lines, patch identity, changed lines) where "
            + "they differ: for history ingested by an older version. Authors, times and messages are not rewritten; "
            + "earlier scoring runs keep their stored factors.")
    @APIResponse(responseCode = "200", description = "What was read and stored")
    @APIResponse(responseCode = "202", description = "async=true: the ingest runs as a job; follow the Location "
            + "(/api/ingest-jobs/{jobId}) for its progress and report")
    @APIResponse(responseCode = "404", description = "No such repository")
    @APIResponse(responseCode = "409", description = "An ingest of this repository is running")
    @APIResponse(responseCode = "422", description = "The repository can no longer be read or fetched")
    public Response ingest(@PathParam("id") long id,
                           @Parameter(description = "true or false (default)") @QueryParam("refresh") String refreshText,
                           @Parameter(description = "true: answer 202 at once and ingest in the background, as a job "
                                   + "with its progress") @QueryParam("async") String asyncText,
                           UriInfo uri) {
        boolean refresh = dev.merit.problem.QueryParams.flag("refresh", refreshText, uri);
        boolean async = dev.merit.problem.QueryParams.flag("async", asyncText, uri);
        if (async) {
            IngestJobs.JobView job = jobs.start(id, refresh);
            return Response.accepted(job).location(uri.getBaseUriBuilder().path("api/ingest-jobs")
                    .path(String.valueOf(job.id())).build()).build();
        }
        return Response.ok(repositories.ingest(id, false, refresh)).build();
    }
}
