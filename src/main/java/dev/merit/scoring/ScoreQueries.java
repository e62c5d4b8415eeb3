package dev.merit.scoring;

import dev.merit.audit.IdSlices;
import dev.merit.audit.TokenAmounts;
import io.quarkus.panache.common.Page;
import java.math.BigInteger;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import dev.merit.contributor.Contributor;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.merit.audit.SqlValues;
import dev.merit.ingest.ForgeLinks;
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

    /**
     * One page of a contributor's contributions in a run. {@code share} is the contribution's part of the
     * contributor's points; {@code url} is the commit on its forge, when the repository is a GitHub, GitLab or
     * Bitbucket clone; {@code committedAt} a commit's own date, where {@code occurredAt} is when it reached the branch
     * (the merge that brought it); null for other contributions. {@code lateFrom} is the date it had when it reached
     * Merit after its period was paid without it (it counts from {@code occurredAt}); null when it did not.
     */
    public record ContributionItem(long contributionId, String source, String externalId, String kind,
                                   String repository, Instant occurredAt, Instant committedAt, Instant lateFrom, String title,
                                   String type,
                                   BigDecimal score, BigDecimal share, long effectiveLines, String url,
                                   @JsonRawValue @Schema(type = SchemaType.ARRAY,
                                           implementation = Factor.class) String factors,
                                   @JsonRawValue @Schema(implementation = ScoringModel.Explanation.class)
                                   String explanation) {
    }

    /** What to list: filters (all optional), the order and the page. */
    public record ContributionFilter(String type, String repository, Instant from, Instant to, String factor,
                                     String sort, int page, int size) {
    }

    public record ContributionPage(long total, int page, int size, String sort, List<ContributionItem> items) {
    }

    public record Tally(String key, long contributions, BigDecimal points) {
    }

    /** A contributor's run at a glance: standing, points by type and by repository, and the factors that apply. */
    public record Summary(long runId, long epochId, String modelVersion, String modelHash, String policyHash,
                          int contributors, Standing standing, List<Tally> byType, List<Tally> byRepository,
                          @Schema(description = "Factors besides size and type, with how many contributions each "
                                  + "touches (points = the points of those contributions)") List<Tally> factors,
                          @Schema(description = "Contributions whose type the model is unsure of") long unsure) {
    }

    /** Sort keys of the contributions list: a leading '-' sorts descending. */
    public static final Map<String, String> SORTS = Map.of("score", "s.score", "date", "c.occurred_at",
            "lines", "s.effective_lines", "type", "s.contribution_type", "repository", "c.repository");
    private static final java.util.regex.Pattern FACTOR_NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9_]{0,39}");
    private static final java.util.regex.Pattern FACTOR_IN_JSON =
            java.util.regex.Pattern.compile("\\{\"name\":\"([a-z][a-z0-9_]{0,39})\",\"kind\":\"SCORE\""
                    + "(?:,\"op\":\"([A-Z]+)\",\"value\":\"?(-?[0-9.Ee+-]+))?");

    /**
     * One epoch of a contributor's history: of a paid epoch, the payout that paid it and its run; else the epoch's
     * latest scoring run and that run's latest payout proposal.
     */
    public record EpochStanding(long epochId, String epochName, Instant startsAt, Instant endsAt, long runId,
                                int rank, int contributors, BigDecimal total, BigDecimal share, int contributions,
                                Long proposalId,
                                @Schema(
                                        description = "Payout in whole tokens; absent without a payout proposal")
                                String payoutTokens,
                                @Schema(
                                        type = SchemaType.STRING,
                                        description = "Payout in token base units; absent without a payout proposal")
                                BigInteger payoutBaseUnits, int tokenDecimals,
                                @Schema(description = "The epoch's latest run that scores this contributor, when "
                                        + "it is not runId: a paid epoch scored again since (a dispute's correction, a "
                                        + "bot mark), which pays nothing of the paid period")
                                Long laterRunId,
                                @Schema(description = "The epoch is paid: its payout (proposalId) was executed, from "
                                        + "runId")
                                boolean paid,
                                @Schema(description = "Its payout (proposalId) is on chain and may still pay (pending, "
                                        + "active, succeeded or queued), from runId: a later scoring pays nothing unless "
                                        + "a payout of it replaces that one")
                                boolean onChain,
                                @Schema(description = "This contributor's line in payout proposalId, in the payout "
                                        + "table's words: to pay, held, claimable, paid, returned to the treasury or "
                                        + "nothing to pay; absent without proposalId")
                                String payoutState,
                                @Schema(description = "The transaction that paid this contributor's line (the payout's "
                                        + "claim or release), once paid; absent otherwise")
                                String paidTxHash,
                                @Schema(description = "Without proposalId: the epoch's newest payout proposal, in any "
                                        + "state (a draft, one voted down, withdrawn or replaced); absent when the "
                                        + "epoch has none")
                                ProposalRef latestProposal) {

        /**
         * This standing with what its payout line reads now and the transaction that paid it, and the epoch's newest
         * proposal when none pays it.
         */
        public EpochStanding with(String payoutState, String paidTxHash, ProposalRef latestProposal) {
            return new EpochStanding(epochId, epochName, startsAt, endsAt, runId, rank, contributors, total, share,
                    contributions, proposalId, payoutTokens, payoutBaseUnits, tokenDecimals, laterRunId, paid, onChain,
                    payoutState, paidTxHash, latestProposal);
        }
    }

    /**
     * A payout proposal named by a contributor's history: its id, its state (draft, withdrawn, superseded, or the
     * governor's word) and, when it can never pay, why.
     */
    public record ProposalRef(long id, String state,
                              @Schema(description = "Why it will never pay (voted down, withdrawn, replaced, its "
                                      + "period taken); absent while it may") String neverPaid,
                              @Schema(description = "Another payout had the vault approve pay for its period or a "
                                      + "later one: it can never be paid") boolean periodTaken) {
    }

    /** States of a payout on chain that may still pay (payroll's ProposalState.LIVE: this layer does not read it). */
    private static final List<String> ON_CHAIN = List.of("pending", "active", "succeeded", "queued");

    /**
     * The epoch's payout on chain that may still pay (put to the DAO, not approved, its period not taken), newest
     * first, when its run scores the contributor ({@code ?1}): SQL of {@code column} ("id" or "scoring_run_id") for
     * the epoch of run {@code r}.
     */
    private static String liveOnChain(String column) {
        return "(select p5." + column + " from payout_proposal p5 where p5.epoch_id = r.epoch_id and p5.approved_at is "
                + "null and p5.period_taken = false and p5.status in ('" + String.join("', '", ON_CHAIN) + "') "
                + "and exists (select 1 from contributor_score cs6 where cs6.run_id = p5.scoring_run_id and "
                + "cs6.contributor_id = ?1) order by p5.id desc limit 1)";
    }

    private final ScoringService scoring;

    public ScoreQueries(ScoringService scoring) {
        this.scoring = scoring;
    }

    /**
     * A run's standings, rank 1 first: every one when {@code page} is null, otherwise only that page is read (a DAO of
     * thousands, a phone).
     */
    public List<Standing> standings(long runId, Page page) {
        ScoringRun run = scoring.get(runId);
        var query = ContributorScore.<ContributorScore>find("runId = ?1 order by rank, contributorId", runId);
        List<ContributorScore> scores = (page == null ? query : query.page(page)).list();
        Map<Long, Contributor> people = contributors(scores.stream().map(s -> s.contributorId).toList());
        return scores.stream().map(s -> standing(run, s, people.get(s.contributorId))).toList();
    }

    public Breakdown breakdown(long runId, long contributorId) {
        ScoringRun run = scoring.get(runId);
        ContributorScore total = scored(run, contributorId);
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

    /** A page of the contributor's contributions in the run, filtered and sorted in the database. */
    @SuppressWarnings("unchecked")
    public ContributionPage contributions(long runId, long contributorId, ContributionFilter f) {
        ContributorScore total = scored(scoring.get(runId), contributorId);
        String sort = f.sort() == null || f.sort().isBlank() ? "-score" : f.sort().strip();
        String column = SORTS.get(sort.startsWith("-") ? sort.substring(1) : sort);
        if (column == null) {
            throw ProblemException.invalid("sort is one of " + String.join(", ",
                    SORTS.keySet().stream().sorted().toList()) + ", with a leading '-' for descending; not '" + sort + "'.");
        }
        if (f.factor() != null && !FACTOR_NAME.matcher(f.factor()).matches()) {
            throw ProblemException.invalid("A factor is named in lower case "
                    + "letters, digits and '_' (as a breakdown names it), such as credit_share.");
        }
        StringBuilder filters = new StringBuilder();
        Map<String, Object> params = new java.util.LinkedHashMap<>();
        params.put("run", runId);
        params.put("who", contributorId);
        if (f.type() != null && !f.type().isBlank()) {
            if (!ContributionType.LABELS.contains(f.type().strip())) {
                // A typo filtered everything out: an empty page read as "no such work".
                throw ProblemException.invalid("type is one of " + String.join(", ", ContributionType.LABELS)
                        + ", not '" + dev.merit.problem.Clip.of(f.type().strip()) + "'.");
            }
            filters.append(" and s.contribution_type = :type");
            params.put("type", f.type().strip());
        }
        if (f.repository() != null && !f.repository().isBlank()) {
            filters.append(" and c.repository = :repository");
            params.put("repository", f.repository().strip());
        }
        if (f.from() != null) {
            filters.append(" and c.occurred_at >= :from");
            params.put("from", java.time.OffsetDateTime.ofInstant(f.from(), java.time.ZoneOffset.UTC));
        }
        if (f.to() != null) {
            filters.append(" and c.occurred_at < :to");
            params.put("to", java.time.OffsetDateTime.ofInstant(f.to(), java.time.ZoneOffset.UTC));
        }
        if (f.factor() != null) {
            filters.append(" and s.factors like :factor");
            params.put("factor", "%{\"name\":\"" + f.factor() + "\",\"kind\":\"SCORE\"%");
        }
        // Only an order or a filter on the contribution itself needs its table; the rest is contribution_score's.
        String from = column.startsWith("c.") || filters.indexOf(" c.") >= 0
                ? " from contribution_score s join contribution c on c.id = s.contribution_id" : " from contribution_score s";
        String where = from + " where s.run_id = :run and s.contributor_id = :who" + filters;
        var em = Panache.getEntityManager();
        long matching;
        if (!filters.isEmpty()) {
            var count = em.createNativeQuery("select count(*)" + where);
            params.forEach(count::setParameter);
            matching = ((Number) count.getSingleResult()).longValue();
        } else {
            matching = total.contributions; // the run counted them
        }
        String direction = sort.startsWith("-") ? " desc" : " asc";
        int first = Math.toIntExact(Math.min((long) f.page() * f.size(), Integer.MAX_VALUE));
        String columns = "select c.id, c.source, c.external_id, c.kind, c.repository, c.occurred_at, c.title, "
                + "s.contribution_type, s.score, s.factors, s.explanation, s.effective_lines, g.location, c.committed_at, "
                + "c.late_from";
        // Two steps: the page's ids first, sorting narrow rows (the index alone holds the default order; other orders
        // sort ids and one column, never the factors and explanations of thousands of rows), then the page's details.
        var ids = em.createNativeQuery("select s.contribution_id" + where + " order by " + column + direction
                + ", s.contribution_id");
        params.forEach(ids::setParameter);
        List<Long> page = ((List<?>) ids.setFirstResult(first).setMaxResults(f.size()).getResultList()).stream()
                .map(n -> ((Number) n).longValue()).toList();
        List<Object[]> rows;
        if (page.isEmpty()) {
            rows = List.of();
        } else {
            List<Object[]> found = em.createNativeQuery(columns + " from contribution_score s join contribution c "
                            + "on c.id = s.contribution_id left join git_repository g on g.id = c.repository_id "
                            + "where s.run_id = :run and s.contributor_id = :who and s.contribution_id in (:ids)")
                    .setParameter("run", runId).setParameter("who", contributorId).setParameter("ids", page)
                    .getResultList();
            Map<Long, Object[]> byId = found.stream().collect(Collectors.toMap(r -> ((Number) r[0]).longValue(),
                    Function.identity(), (x, y) -> x));
            rows = page.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
        }
        List<ContributionItem> items = rows.stream().map(r -> {
            BigDecimal score = (BigDecimal) r[8];
            BigDecimal share = total.total.signum() == 0 ? BigDecimal.ZERO
                    : score.divide(total.total, Factor.SCALE, RoundingMode.HALF_EVEN);
            String sha = (String) r[2];
            return new ContributionItem(((Number) r[0]).longValue(), (String) r[1], sha, (String) r[3], (String) r[4],
                    SqlValues.instant(r[5]), r[13] == null ? null : SqlValues.instant(r[13]),
                    r[14] == null ? null : SqlValues.instant(r[14]), (String) r[6], (String) r[7],
                    score, share, ((Number) r[11]).longValue(),
                    "git".equals(r[1]) ? ForgeLinks.commit((String) r[12], sha) : null, (String) r[9], (String) r[10]);
        }).toList();
        return new ContributionPage(matching, f.page(), f.size(), sort, items);
    }

    /**
     * Summaries read lately: a scoring run never changes once stored, so neither does a contributor's summary of it
     * (a contributor with 13,000 contributions takes one pass over all of them to sum up).
     */
    private final Cache<String, Summary> summaries = Caffeine.newBuilder().maximumSize(4_096).build();

    /** The contributor's run at a glance (one pass over their scores, no factor or explanation sent). */
    public Summary summary(long runId, long contributorId) {
        return summaries.get(runId + ":" + contributorId, key -> summarize(runId, contributorId));
    }

    @SuppressWarnings("unchecked")
    private Summary summarize(long runId, long contributorId) {
        ScoringRun run = scoring.get(runId);
        ContributorScore total = scored(run, contributorId);
        List<Object[]> rows = Panache.getEntityManager().createNativeQuery("select s.contribution_type, c.repository, "
                        + "s.score, s.factors, s.explanation like '%\"unsure\":true%' from contribution_score s "
                        + "join contribution c on c.id = s.contribution_id where s.run_id = ?1 and s.contributor_id = ?2")
                .setParameter(1, runId).setParameter(2, contributorId).getResultList();
        Map<String, Tally> byType = new java.util.TreeMap<>();
        Map<String, Tally> byRepository = new java.util.TreeMap<>();
        Map<String, Tally> factors = new java.util.TreeMap<>();
        long unsure = 0;
        for (Object[] r : rows) {
            BigDecimal score = (BigDecimal) r[2];
            add(byType, (String) r[0], score);
            add(byRepository, r[1] == null ? "" : (String) r[1], score);
            java.util.regex.Matcher m = FACTOR_IN_JSON.matcher((String) r[3]);
            java.util.Set<String> seen = new java.util.HashSet<>();
            while (m.find()) {
                String name = m.group(1);
                // A factor that changes nothing (x 1, + 0: graph credit where no later work built on it) does not
                // apply: it is neither counted nor offered as a filter that would match every contribution.
                if (!name.equals("size") && !name.equals("type") && !neutral(m.group(2), m.group(3)) && seen.add(name)) {
                    add(factors, name, score);
                }
            }
            if (Boolean.TRUE.equals(r[4])) {
                unsure++;
            }
        }
        Comparator<Tally> byPoints = Comparator.comparing(Tally::points).reversed().thenComparing(Tally::key);
        Contributor person = Contributor.findById(contributorId);
        return new Summary(run.id, run.epochId, run.modelVersion, run.modelHash, run.policyHash, run.contributorCount,
                standing(run, total, person), byType.values().stream().sorted(byPoints).toList(),
                byRepository.values().stream().sorted(byPoints).toList(),
                factors.values().stream().sorted(Comparator.comparing(Tally::contributions).reversed()
                        .thenComparing(Tally::key)).toList(), unsure);
    }

    static boolean neutral(String op, String value) {
        if (op == null || value == null) {
            return false;
        }
        try {
            BigDecimal v = new BigDecimal(value);
            return op.equals("MULTIPLY") ? v.compareTo(BigDecimal.ONE) == 0 : op.equals("ADD") && v.signum() == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void add(Map<String, Tally> tallies, String key, BigDecimal points) {
        tallies.merge(key, new Tally(key, 1, points), (a, b) -> new Tally(key, a.contributions() + 1,
                a.points().add(b.points())));
    }

    /** The contributor's total in the run; 404 when the contributor does not exist or was not scored in it. */
    private static ContributorScore scored(ScoringRun run, long contributorId) {
        long runId = run.id;
        return ContributorScore.<ContributorScore>find("runId = ?1 and contributorId = ?2",
                runId, contributorId).firstResultOptional().orElseThrow(() -> Contributor.findByIdOptional(contributorId)
                .isEmpty() ? ProblemException.notFound("contributor", contributorId)
                : new ProblemException(ProblemException.Kind.NOT_FOUND, "not-scored", "Not scored", "Contributor "
                + contributorId + " has no contributions in scoring run " + runId + ".", null));
    }

    /** The contributor's standing in every epoch that has been scored, oldest first. */
    @SuppressWarnings("unchecked")
    public List<EpochStanding> history(long contributorId) {
        if (Contributor.findByIdOptional(contributorId).isEmpty()) {
            throw ProblemException.notFound("contributor", contributorId);
        }
        List<Object[]> rows = Panache.getEntityManager().createNativeQuery("select e.id, e.name, e.starts_at, e.ends_at, "
                        + "r.id as run_id, cs.rank, r.contributor_count, cs.total, r.total_score, cs.contributions, "
                        + "p.id as proposal_id, l.amount, e.token_decimals, "
                        + "(select r5.id from scoring_run r5 join contributor_score cs5 on cs5.run_id = r5.id "
                        + "  and cs5.contributor_id = ?1 where r5.epoch_id = r.epoch_id "
                        + "  order by r5.created_at desc, r5.id desc limit 1) as latest_run, p.approved_at, p.status "
                        + "from scoring_run r "
                        + "join epoch e on e.id = r.epoch_id "
                        + "join contributor_score cs on cs.run_id = r.id and cs.contributor_id = ?1 "
                        // A paid epoch shows the payout that paid it and the run it paid from, whatever was scored
                        // since (a dispute's correction asks for a new run, which pays nothing of a paid period).
                        + "left join payout_proposal p on p.id = coalesce((select p3.id from payout_proposal p3 where "
                        + "  p3.epoch_id = r.epoch_id and p3.approved_at is not null order by p3.approved_at desc, p3.id desc "
                        + "  limit 1), " + liveOnChain("id") + ", (select max(p2.id) from payout_proposal p2 where "
                        + "p2.scoring_run_id = r.id "
                        // ... else the run's latest put to the DAO that may still pay (a draft was never ratified; a
                        // payout voted down or replaced pays nothing)
                        + "  and p2.status not in ('draft', 'withdrawn', 'superseded', 'defeated', 'canceled', 'expired') "
                        + "  and p2.period_taken = false)) "
                        + "left join payout_line l on l.proposal_id = p.id and l.contributor_id = ?1 "
                        + "where r.id = coalesce((select p4.scoring_run_id from payout_proposal p4 where p4.epoch_id = "
                        + "r.epoch_id and p4.approved_at is not null order by p4.approved_at desc, p4.id desc limit 1), "
                        // ... else the run a payout on chain pays from, while it may still pay: its vote and timelock
                        // last days, and a scoring made meanwhile (a dispute's correction) pays nothing of it
                        + liveOnChain("scoring_run_id") + ", "
                        + "(select r2.id from scoring_run r2 where r2.epoch_id = r.epoch_id order by r2.created_at desc, "
                        + "r2.id desc limit 1)) "
                        + "order by e.starts_at, e.id")
                .setParameter(1, contributorId).getResultList();
        return rows.stream().map(r -> {
            BigDecimal total = (BigDecimal) r[7];
            BigDecimal runTotal = (BigDecimal) r[8];
            BigDecimal share = runTotal.signum() == 0 ? BigDecimal.ZERO
                    : total.divide(runTotal, Factor.SCALE, RoundingMode.HALF_EVEN);
            BigInteger payout = r[11] == null ? null : ((BigDecimal) r[11]).toBigIntegerExact();
            int decimals = ((Number) r[12]).intValue();
            long runId = ((Number) r[4]).longValue();
            Long later = r[13] == null || ((Number) r[13]).longValue() == runId ? null : ((Number) r[13]).longValue();
            return new EpochStanding(((Number) r[0]).longValue(), (String) r[1], SqlValues.instant(r[2]), SqlValues.instant(r[3]),
                    ((Number) r[4]).longValue(), ((Number) r[5]).intValue(), ((Number) r[6]).intValue(), total, share,
                    ((Number) r[9]).intValue(), r[10] == null ? null : ((Number) r[10]).longValue(),
                    TokenAmounts.format(payout, decimals), payout, decimals, later, r[14] != null,
                    r[14] == null && r[15] != null && ON_CHAIN.contains((String) r[15]), null, null, null);
        }).toList();
    }

    private static Standing standing(ScoringRun run, ContributorScore s, Contributor c) {
        BigDecimal share = run.totalScore.signum() == 0 ? BigDecimal.ZERO
                : s.total.divide(run.totalScore, Factor.SCALE, RoundingMode.HALF_EVEN);
        return new Standing(s.rank, s.contributorId, c == null ? "?" : c.displayName, s.bot, s.total,
                share, s.contributions);
    }

    private static Map<Long, Contributor> contributors(List<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return IdSlices.list(ids, slice -> Contributor.<Contributor>list("id in ?1", slice)).stream()
                .collect(Collectors.toMap(c -> c.id, Function.identity()));
    }
}
