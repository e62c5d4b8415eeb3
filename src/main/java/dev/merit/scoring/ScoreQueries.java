package dev.merit.scoring;

import dev.merit.audit.TokenAmounts;
import java.math.BigInteger;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import dev.merit.contributor.Contributor;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.merit.audit.SqlValues;
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
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.util.stream.Collectors;

/** Read side of scoring runs: leaderboards and per-contributor breakdowns. */
@ApplicationScoped
public class ScoreQueries {

    public record Standing(int rank, long contributorId, String displayName, boolean bot, BigDecimal total,
                           BigDecimal share, int contributions) {
    }

    public record ContributionLine(long contributionId, String source, String externalId, String kind,
                                   String repository, Instant occurredAt, String title, String type,
                                   BigDecimal score, long effectiveLines,
                                   @JsonRawValue @Schema(type = SchemaType.ARRAY,
                                           implementation = Factor.class) String factors,
                                   @JsonRawValue @Schema(implementation = ScoringModel.Explanation.class)
                                   String explanation) {
    }

    public record Breakdown(long runId, long epochId, String modelVersion, String modelHash, String policyHash,
                            Standing standing,
                            List<ContributionLine> contributions) {
    }

    /** One epoch of a contributor's history, from the epoch's latest scoring run and its latest payout proposal. */
    public record EpochStanding(long epochId, String epochName, Instant startsAt, Instant endsAt, long runId,
                                int rank, int contributors, BigDecimal total, BigDecimal share, int contributions,
                                Long proposalId,
                                @Schema(
                                        description = "Payout in whole tokens; absent without a payout proposal")
                                String payoutTokens,
                                @Schema(
                                        type = SchemaType.STRING,
                                        description = "Payout in token base units; absent without a payout proposal")
                                BigInteger payoutBaseUnits, int tokenDecimals) {
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
                : new ProblemException(ProblemException.Kind.NOT_FOUND, "not-scored", "Not scored", "Contributor " + contributorId
                + " has no contributions in scoring run " + runId + ".", null));
        // One query for the lines, only the columns shown; the stored factors and explanation are passed through as
        // the JSON they are (the effective lines are the score's own: a contribution re-measured by a refresh
        // keeps, in earlier runs, the lines they counted).
        @SuppressWarnings("unchecked")
        List<Object[]> rows = Panache.getEntityManager().createNativeQuery("select c.id, c.source, c.external_id, "
                        + "c.kind, c.repository, c.occurred_at, c.title, s.contribution_type, s.score, s.factors, "
                        + "s.explanation, s.effective_lines from contribution_score s join contribution c on c.id = s.contribution_id "
                        + "where s.run_id = ?1 and s.contributor_id = ?2")
                .setParameter(1, runId).setParameter(2, contributorId).getResultList();
        List<ContributionLine> lines = rows.stream().map(r -> new ContributionLine(((Number) r[0]).longValue(),
                (String) r[1], (String) r[2], (String) r[3], (String) r[4], SqlValues.instant(r[5]), (String) r[6],
                (String) r[7], (BigDecimal) r[8], ((Number) r[11]).longValue(), (String) r[9], (String) r[10])).sorted(Comparator.comparing(ContributionLine::score).reversed()
                .thenComparing(ContributionLine::contributionId)).toList();
        Contributor person = Contributor.findById(contributorId);
        return new Breakdown(run.id, run.epochId, run.modelVersion, run.modelHash, run.policyHash, standing(run, total, person), lines);
    }

    /** The contributor's standing in every epoch that has been scored, oldest first. */
    @SuppressWarnings("unchecked")
    public List<EpochStanding> history(long contributorId) {
        if (Contributor.findByIdOptional(contributorId).isEmpty()) {
            throw ProblemException.notFound("contributor", contributorId);
        }
        List<Object[]> rows = Panache.getEntityManager().createNativeQuery("select e.id, e.name, e.starts_at, e.ends_at, "
                        + "r.id as run_id, cs.rank, r.contributor_count, cs.total, r.total_score, cs.contributions, "
                        + "p.id as proposal_id, l.amount, e.token_decimals from scoring_run r "
                        + "join epoch e on e.id = r.epoch_id "
                        + "join contributor_score cs on cs.run_id = r.id and cs.contributor_id = ?1 "
                        + "left join payout_proposal p on p.id = (select max(p2.id) from payout_proposal p2 "
                        + "  where p2.scoring_run_id = r.id) "
                        + "left join payout_line l on l.proposal_id = p.id and l.contributor_id = ?1 "
                        + "where r.id = (select max(r2.id) from scoring_run r2 where r2.epoch_id = r.epoch_id) "
                        + "order by e.starts_at, e.id")
                .setParameter(1, contributorId).getResultList();
        return rows.stream().map(r -> {
            BigDecimal total = (BigDecimal) r[7];
            BigDecimal runTotal = (BigDecimal) r[8];
            BigDecimal share = runTotal.signum() == 0 ? BigDecimal.ZERO
                    : total.divide(runTotal, Factor.SCALE, RoundingMode.HALF_EVEN);
            BigInteger payout = r[11] == null ? null : ((BigDecimal) r[11]).toBigIntegerExact();
            int decimals = ((Number) r[12]).intValue();
            return new EpochStanding(((Number) r[0]).longValue(), (String) r[1], SqlValues.instant(r[2]), SqlValues.instant(r[3]),
                    ((Number) r[4]).longValue(), ((Number) r[5]).intValue(), ((Number) r[6]).intValue(), total, share,
                    ((Number) r[9]).intValue(), r[10] == null ? null : ((Number) r[10]).longValue(),
                    TokenAmounts.format(payout, decimals), payout, decimals);
        }).toList();
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
