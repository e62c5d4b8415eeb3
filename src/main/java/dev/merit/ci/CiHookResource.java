package dev.merit.ci;

import dev.merit.contributor.ActorRef;
import dev.merit.contributor.ContributorDirectory;
import dev.merit.scoring.CreditedAuthors;
import dev.merit.security.Access;
import dev.merit.ingest.ContributionEvent;
import dev.merit.ingest.git.GitRepositoryService;
import dev.merit.scoring.Factor;
import dev.merit.scoring.ScoringModel;
import dev.merit.scoring.ScoringService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

@Path("/api/ci")
@Access(Access.Role.CI)
@Tag(name = "CI hook", description = "For maintainers: score a change from a CI job and post the breakdown")
public class CiHookResource {

    public record ChangeRequest(@NotNull Long repositoryId, @NotBlank @Size(max = 255) String ref,
                                @Size(max = 255) String base, boolean ingest) {
    }

    public record CommitScore(String sha, String title, String author, String type, BigDecimal score,
                              long effectiveLines, List<Factor> factors, ScoringModel.Explanation explanation) {
    }

    public record ChangeScore(String repository, String ref, String tip, String base, String modelVersion,
                              String modelHash, String policyHash, int commits, BigDecimal total,
                              List<CommitScore> commitScores, String markdown,
                              GitRepositoryService.IngestReport ingested) {
    }

    private final CiConfig config;
    private final GitRepositoryService git;
    private final ScoringModel model;
    private final ScoringService scoring;
    private final ContributorDirectory contributors;

    public CiHookResource(CiConfig config, GitRepositoryService git, ScoringModel model, ScoringService scoring,
                          ContributorDirectory contributors) {
        this.contributors = contributors;
        this.config = config;
        this.git = git;
        this.model = model;
        this.scoring = scoring;
    }

    @POST
    @Path("/changes")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Score a change (CI hook)", description = "Authenticated with 'Authorization: Bearer "
            + "<merit.ci.token>'. Scores the commits of `ref` that are not in `base` (default: the registered branch) "
            + "with the current model and policy, without storing them, and returns every commit's factors and "
            + "explanation plus a Markdown summary a CI step can post as a comment. With `ingest: true` (after a "
            + "merge) the repository is ingested first. Lines a commit's authors add and delete again in another "
            + "commit of the change are netted as in an epoch, and bots are counted as in an epoch (a known account as stored, a "
            + "maintainer's mark included). Graph credit is not part of a preview: it needs the "
            + "epoch.")
    @APIResponse(responseCode = "200", description = "The change's score breakdown")
    @APIResponse(responseCode = "401", description = "Missing or wrong token")
    @APIResponse(responseCode = "404", description = "No such repository")
    @APIResponse(responseCode = "422", description = "Unknown ref, or a change with too many commits")
    @APIResponse(responseCode = "503", description = "No CI token configured, or the model is unavailable")
    public ChangeScore score(@Valid @NotNull ChangeRequest request) {
        // The bearer token was checked before the body was read (AccessFilter, role CI: authorize below).
        GitRepositoryService.IngestReport ingested = request.ingest() ? git.ingest(request.repositoryId()) : null;
        GitRepositoryService.Change change = git.change(request.repositoryId(), request.ref(), request.base(),
                config.maxCommits());
        // Lines a commit's authors undo in another commit of the change are netted, as the epoch will net them.
        // Bots as an epoch will count them: a known account as stored (a maintainer's mark included), else the rule.
        Predicate<ActorRef> bot = contributors.botsAsStored();
        Map<Integer, Factor> undone = scoring.undoneWithin(change.commits(), bot);
        List<ScoringModel.Input> inputs = new ArrayList<>();
        for (int i = 0; i < change.commits().size(); i++) {
            ContributionEvent e = change.commits().get(i);
            Factor lines = undone.get(i);
            inputs.add(new ScoringModel.Input(e.kind(), e.title(), e.body(), e.metrics(), e.files(),
                    lines == null ? List.of() : List.of(lines)));
        }
        List<ScoringModel.Output> outputs = model.scoreAll(inputs);
        List<CommitScore> scores = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO.setScale(Factor.SCALE);
        for (int i = 0; i < outputs.size(); i++) {
            ContributionEvent e = change.commits().get(i);
            List<Factor> factors = ScoringService.withCreditShare(outputs.get(i).factors(),
                    CreditedAuthors.sharing(e.credited(), bot).size());
            BigDecimal score = Factor.fold(factors);
            total = total.add(score);
            scores.add(new CommitScore(e.externalId(), e.title(), e.actor().effectiveName(), outputs.get(i).type().label(),
                    score, Factor.effectiveLines(factors), factors, outputs.get(i).explanation()));
        }
        return new ChangeScore(change.repository(), change.ref(), change.tip(), change.base(), model.version(),
                model.hash(), scoring.policyHash(), scores.size(), total, scores, markdown(change, scores, total), ingested);
    }

    private String markdown(GitRepositoryService.Change change, List<CommitScore> scores, BigDecimal total) {
        StringBuilder md = new StringBuilder();
        md.append("### Merit score for `").append(change.ref()).append("`\n\n");
        if (scores.isEmpty()) {
            return md.append("No commits that are not already in the base.\n").toString();
        }
        md.append("| commit | title | type | effective lines | score |\n|---|---|---|---:|---:|\n");
        for (CommitScore s : scores) {
            String p = s.explanation() == null ? "" : String.format(Locale.ROOT, " (%.0f%%)",
                    100 * s.explanation().typeProbabilities().getOrDefault(s.type(), 0.0));
            md.append("| `").append(s.sha(), 0, Math.min(10, s.sha().length())).append("` | ")
                    .append(s.title().replace("|", "\\|")).append(" | ").append(s.type()).append(p).append(" | ")
                    .append(s.effectiveLines()).append(" | ").append(s.score().stripTrailingZeros().toPlainString())
                    .append(" |\n");
        }
        md.append("\n**Total: ").append(total.stripTrailingZeros().toPlainString()).append("** (")
                .append(model.version()).append("; graph credit is added when the epoch is scored)\n");
        return md.toString();
    }
}
