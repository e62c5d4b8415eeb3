package dev.merit.scoring;

import dev.merit.contributor.Contributor;
import dev.merit.ingest.Contribution;
import dev.merit.problem.ProblemException;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Read side of scoring runs: leaderboards and per-contributor breakdowns. */
@ApplicationScoped
public class ScoreQueries {

    public record Standing(int rank, long contributorId, String displayName, boolean bot, BigDecimal total,
                           BigDecimal share, int contributions) {
    }

    public record ContributionLine(long contributionId, String source, String externalId, String kind,
                                   String repository, Instant occurredAt, String title, String type,
                                   BigDecimal score, long effectiveLines, List<Factor> factors,
                                   ScoringModel.Explanation explanation) {
    }

    public record Breakdown(long runId, long epochId, String modelVersion, String modelHash, String policyHash,
                            Standing standing,
                            List<ContributionLine> contributions) {
    }

    private final ScoringService scoring;

    public ScoreQueries(ScoringService scoring) {
        this.scoring = scoring;
    }

    public List<Standing> standings(long runId) {
        ScoringRun run = scoring.get(runId);
        List<ContributorScore> scores = ContributorScore.list("runId = ?1 order by rank", runId);
        Map<Long, Contributor> people = contributors(scores.stream().map(s -> s.contributorId).toList());
        return scores.stream().map(s -> standing(run, s, people.get(s.contributorId))).toList();
    }

    public Breakdown breakdown(long runId, long contributorId) {
        ScoringRun run = scoring.get(runId);
        ContributorScore total = ContributorScore.<ContributorScore>find("runId = ?1 and contributorId = ?2",
                runId, contributorId).firstResultOptional().orElseThrow(() -> Contributor.findByIdOptional(contributorId)
                .isEmpty() ? ProblemException.notFound("contributor", contributorId)
                : new ProblemException(404, "not-scored", "Not scored", "Contributor " + contributorId
                + " has no contributions in scoring run " + runId + ".", null));
        List<ContributionScore> scores = ContributionScore.list("runId = ?1 and contributorId = ?2", runId, contributorId);
        Map<Long, Contribution> contributions = Panache.getEntityManager()
                .createQuery("select c from Contribution c where c.id in :ids", Contribution.class)
                .setParameter("ids", scores.stream().map(s -> s.contributionId).toList()).getResultStream()
                .collect(Collectors.toMap(c -> c.id, Function.identity()));
        List<ContributionLine> lines = scores.stream().map(s -> {
            Contribution c = contributions.get(s.contributionId);
            List<Factor> factors = scoring.readFactors(s);
            return new ContributionLine(c.id, c.source, c.externalId, c.kind, c.repository, c.occurredAt, c.title,
                    s.contributionType, s.score, Factor.effectiveLines(factors), factors, scoring.readExplanation(s));
        }).sorted(Comparator.comparing(ContributionLine::score).reversed()
                .thenComparing(ContributionLine::contributionId)).toList();
        Contributor person = Contributor.findById(contributorId);
        return new Breakdown(run.id, run.epochId, run.modelVersion, run.modelHash, run.policyHash, standing(run, total, person), lines);
    }

    private static Standing standing(ScoringRun run, ContributorScore s, Contributor c) {
        BigDecimal share = run.totalScore.signum() == 0 ? BigDecimal.ZERO
                : s.total.divide(run.totalScore, Factor.SCALE, RoundingMode.HALF_EVEN);
        return new Standing(s.rank, s.contributorId, c == null ? "?" : c.displayName, c != null && c.bot, s.total,
                share, s.contributions);
    }

    private static Map<Long, Contributor> contributors(List<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return Contributor.<Contributor>list("id in ?1", ids).stream()
                .collect(Collectors.toMap(c -> c.id, Function.identity()));
    }
}
