package dev.merit.scoring.graph;

import dev.merit.scoring.GitRevert;
import java.sql.Timestamp;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.TreeSet;
import ai.djl.ndarray.NDManager;
import dev.merit.scoring.CreditedAuthors;
import dev.merit.scoring.Factor;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Graph credit for an epoch: contributions are nodes; a later contribution by other people that does work in a file
 * (effective lines, so not only reformatting it or regenerating it) an earlier one did work in links back to it
 * ({@code builds-on}), so work that others build on collects credit. Weighted
 * PageRank ({@link GraphCredit}, DJL NDArrays) gives each contribution a share; its factor is
 * {@code 1 + influence x (share x N - 1)}, clamped to [floor, cap]. Links between contributions that share an author
 * are ignored: building on your own work earns your earlier work nothing.
 */
@ApplicationScoped
public class ContributionGraph {

    public static final String BUILDS_ON = "builds-on";

    /**
     * One contribution as the graph sees it: when, who, which files, and whether it undoes another
     * ({@link dev.merit.scoring.GitRevert}), in which case it builds on nothing. {@code written} orders contributions
     * of the same {@code at}: the commits one merge brought onto the branch share its date, and keep the order of
     * their own commit dates. {@code key} (source and external id) orders what is left, the same in any database that
     * ingested the same history; the id only after it.
     */
    public record Node(long id, Instant at, Instant written, String key, Set<Long> authors, List<String> paths,
                       boolean reverts) {
        public Node(long id, Instant at, Set<Long> authors, List<String> paths, boolean reverts) {
            this(id, at, at, "", authors, paths, reverts);
        }

        public Node(long id, Instant at, Set<Long> authors, List<String> paths) {
            this(id, at, authors, paths, false);
        }
    }

    /** Time order: when it reached the branch, then when it was written, then its source and id, then the row's id. */
    static final Comparator<Node> ORDER = Comparator.comparing(Node::at).thenComparing(Node::written)
            .thenComparing(Node::key).thenComparingLong(Node::id);

    /** A link a source reported: {@code from} points at {@code to} (a review of a pull request, ...). */
    public record Link(long fromId, long toId, String kind) {
    }

    /** A contribution's graph factor and how many others built on it. */
    public record Credit(Factor factor, int builtOnBy) {
    }

    private final GraphConfig config;

    public ContributionGraph(GraphConfig config) {
        this.config = config;
        for (Map.Entry<String, BigDecimal> e : config.edgeWeights().entrySet()) {
            if (e.getValue().signum() < 0) {
                throw new IllegalArgumentException("merit.scoring.graph.edge-weights." + e.getKey() + " cannot be negative");
            }
        }
        if (config.floor().compareTo(config.cap()) > 0 || config.floor().signum() < 0) {
            throw new IllegalArgumentException("merit.scoring.graph.floor must be between 0 and merit.scoring.graph.cap");
        }
        if (!(config.damping() > 0 && config.damping() < 1)) {
            throw new IllegalArgumentException("merit.scoring.graph.damping must be between 0 and 1 (exclusive)");
        }
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** The graph part of the scoring policy, for the policy hash. */
    public Map<String, Object> policy() {
        Map<String, Object> m = new TreeMap<>();
        m.put("enabled", config.enabled());
        if (config.enabled()) {
            m.put("edgeWeights", new TreeMap<>(config.edgeWeights()));
            m.put("influence", config.influence());
            m.put("floor", config.floor());
            m.put("cap", config.cap());
            m.put("damping", config.damping());
            m.put("tolerance", config.tolerance());
            m.put("maxIterations", config.maxIterations());
            // A revert builds on nothing. Runs made before this rule hashed their policy without this entry.
            m.put("reverts", "build on nothing");
            // Only files a contribution did work in link it (effective lines > 0): a reformatting, a generated or
            // vendored file, a rename is built on by nothing. Runs made before this rule hashed their policy without it.
            m.put("buildsOn", "files with effective lines");
            // Which of two contributions came first: when each reached the branch, then its own commit date, then its
            // source and id (the same in any database). Runs before it broke ties by database id.
            m.put("order", "landed, committed, source id");
        }
        return m;
    }

    /** Graph factors of the contributions in [from, to), read from the database; a bot beside a person is no author. */
    /**
     * Graph factors of the epoch [{@code from}, {@code to}) over the contributions {@code scored} only: the ones a run
     * read when it began. One ingested or delivered while the run pages through the epoch is in the next run's graph,
     * not half in this one's (in its graph, and so in everyone's shares, but not scored).
     */
    public Map<Long, Credit> credit(Instant from, Instant to, Set<Long> bots, Set<Long> scored) {
        List<Node> nodes = nodes(from, to, bots).stream().filter(n -> scored.contains(n.id())).toList();
        List<Link> links = links(from, to).stream()
                .filter(l -> scored.contains(l.fromId()) && scored.contains(l.toId())).toList();
        return credit(nodes, links);
    }

    public Map<Long, Credit> credit(List<Node> nodes) {
        return credit(nodes, List.of());
    }

    /** Graph factors of the given nodes (any order; time order is what counts) and reported links between them. */
    public Map<Long, Credit> credit(List<Node> nodes, List<Link> links) {
        List<Node> ordered = new ArrayList<>(nodes);
        ordered.sort(ORDER);
        double weight = config.edgeWeights().getOrDefault(BUILDS_ON, BigDecimal.ZERO).doubleValue();
        List<int[]> edges = new ArrayList<>();
        int[] builtOnBy = new int[ordered.size()];
        Map<String, Integer> lastToucher = new HashMap<>();
        for (int b = 0; b < ordered.size(); b++) {
            Node node = ordered.get(b);
            Set<Integer> targets = new TreeSet<>();
            for (String path : node.paths()) {
                Integer a = lastToucher.put(path, b);
                // Reverting someone's change touches its files but does not build on it: no credit for being undone.
                if (a != null && a != b && !node.reverts() && disjoint(ordered.get(a).authors(), node.authors())) {
                    targets.add(a);
                }
            }
            for (int a : targets) {
                edges.add(new int[]{b, a});
                builtOnBy[a]++;
            }
        }
        List<Double> edgeWeight = new ArrayList<>(Collections.nCopies(edges.size(), weight));
        Map<Long, Integer> index = new HashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            index.put(ordered.get(i).id(), i);
        }
        int[] linkedBy = new int[ordered.size()];
        List<Link> sortedLinks = new ArrayList<>(links);
        sortedLinks.sort(Comparator.comparingLong(Link::fromId).thenComparingLong(Link::toId)
                .thenComparing(Link::kind));
        for (Link link : sortedLinks) {
            Integer f = index.get(link.fromId());
            Integer t = index.get(link.toId());
            double w = config.edgeWeights().getOrDefault(link.kind(), BigDecimal.ZERO).doubleValue();
            if (f == null || t == null || f.equals(t) || w == 0) {
                continue;
            }
            edges.add(new int[]{f, t});
            edgeWeight.add(w);
            linkedBy[t]++;
        }
        Map<Long, Credit> out = new LinkedHashMap<>();
        int n = ordered.size();
        if (n == 0) {
            return out;
        }
        double[] credit;
        String method;
        if (edges.isEmpty() || edgeWeight.stream().allMatch(w -> w == 0)) {
            credit = new double[n];
            Arrays.fill(credit, 1.0 / n);
            method = "no links";
        } else {
            int[] f = new int[edges.size()];
            int[] t = new int[edges.size()];
            double[] w = new double[edges.size()];
            for (int i = 0; i < f.length; i++) {
                f[i] = edges.get(i)[0];
                t[i] = edges.get(i)[1];
                w[i] = edgeWeight.get(i);
            }
            try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
                GraphCredit.Result r = GraphCredit.compute(manager, new GraphCredit.Graph(n, f, t, w), config.damping(),
                        config.tolerance(), config.maxIterations());
                credit = r.credit();
                method = "PageRank over " + edges.size() + " links, " + r.iterations() + " iterations";
            }
        }
        for (int i = 0; i < n; i++) {
            BigDecimal relative = new BigDecimal(credit[i] * n).setScale(Factor.SCALE, RoundingMode.HALF_EVEN);
            BigDecimal raw = BigDecimal.ONE.add(config.influence().multiply(relative.subtract(BigDecimal.ONE)));
            BigDecimal value = raw.max(config.floor()).min(config.cap());
            String detail = "graph credit " + relative.stripTrailingZeros().toPlainString() + "x the epoch average ("
                    + (builtOnBy[i] == 0 ? "no later work by others built on it" : "built on by " + builtOnBy[i]
                    + " later contribution" + (builtOnBy[i] == 1 ? "" : "s") + " of others")
                    + (linkedBy[i] == 0 ? "" : "; " + linkedBy[i] + " reported link" + (linkedBy[i] == 1 ? "" : "s")
                    + " to it (reviews, closing, comments)") + "; " + method + "): "
                    + formula(config.influence(), relative, raw, value, config.floor(), config.cap());
            out.put(ordered.get(i).id(), new Credit(Factor.multiply("graph", value, detail), builtOnBy[i]));
        }
        return out;
    }

    /** The factor worked out from the credit: "1 + 0.25 x (1.3 - 1) = 1.075" (and where a bound stopped it). */
    private static String formula(BigDecimal influence, BigDecimal relative, BigDecimal raw, BigDecimal value,
                                  BigDecimal floor, BigDecimal cap) {
        // To the six decimals a factor keeps (so that the figure after "=" is the factor's, not a longer one).
        String text = "1 + " + plain(influence) + " x (" + plain(relative) + " - 1) = "
                + plain(raw.setScale(Factor.SCALE, RoundingMode.HALF_EVEN));
        return value.compareTo(raw) == 0 ? text
                : text + ", held at the " + (value.compareTo(cap) == 0 ? "cap " + plain(cap) : "floor " + plain(floor));
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }

    @SuppressWarnings("unchecked")
    private static List<Link> links(Instant from, Instant to) {
        List<Object[]> rows = Panache.getEntityManager().createNativeQuery("select cf.id, ct.id, l.kind from "
                        + "contribution_link l join contribution cf on cf.source = l.source and cf.external_id = "
                        + "l.from_external_id join contribution ct on ct.source = l.source and ct.external_id = "
                        + "l.to_external_id where cf.occurred_at >= ?1 and cf.occurred_at < ?2 and ct.occurred_at >= ?1 "
                        + "and ct.occurred_at < ?2")
                .setParameter(1, from).setParameter(2, to).getResultList();
        List<Link> links = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            links.add(new Link(((Number) row[0]).longValue(), ((Number) row[1]).longValue(), (String) row[2]));
        }
        return links;
    }

    private static boolean disjoint(Set<Long> a, Set<Long> b) {
        for (Long x : a) {
            if (b.contains(x)) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static List<Node> nodes(Instant from, Instant to, Set<Long> bots) {
        var em = Panache.getEntityManager();
        List<Object[]> rows = em.createNativeQuery("select c.id, coalesce(c.late_from, c.occurred_at), f.path, "
                        + "c.repository_id, c.repository, "
                        + "c.committed_at, c.source, c.external_id from contribution c "
                        + "left join contribution_file f on f.contribution_id = c.id and f.effective_lines > 0 "
                        + "where c.occurred_at >= ?1 and c.occurred_at < ?2 order by c.id, f.position")
                .setParameter(1, from).setParameter(2, to).getResultList();
        Map<Long, Object[]> first = new LinkedHashMap<>(); // a contribution's first row (one per changed file)
        Map<Long, List<String>> paths = new HashMap<>();
        for (Object[] row : rows) {
            long id = ((Number) row[0]).longValue();
            first.putIfAbsent(id, row);
            if (row[2] != null) {
                // A path is a file of its repository: README.md in one repository is not README.md in another.
                String repository = row[3] != null ? "#" + ((Number) row[3]).longValue() : String.valueOf(row[4]);
                paths.computeIfAbsent(id, k -> new ArrayList<>()).add(repository + "\u0000" + row[2]);
            }
        }
        List<Object[]> credits = em.createNativeQuery(CreditedAuthors.SELECT
                        + " join contribution c on c.id = cc.contribution_id where c.occurred_at >= ?1 and c.occurred_at < ?2")
                .setParameter(1, from).setParameter(2, to).getResultList();
        Map<Long, Set<Long>> authors = CreditedAuthors.of(credits, bots);
        // Reverts, found by the messages git and the forges write (the LIKE only narrows what is read).
        List<Object[]> candidates = em.createNativeQuery("select c.id, c.title, c.body from contribution c "
                        + "where c.occurred_at >= ?1 and c.occurred_at < ?2 and (lower(c.title) like 'revert%' "
                        + "or c.body like '%This reverts commit%' or c.body like '%Reverts %')")
                .setParameter(1, from).setParameter(2, to).getResultList();
        Set<Long> reverts = new HashSet<>();
        for (Object[] row : candidates) {
            if (GitRevert.of((String) row[1], (String) row[2]).isPresent()) {
                reverts.add(((Number) row[0]).longValue());
            }
        }
        List<Node> nodes = new ArrayList<>(first.size());
        first.forEach((id, row) -> {
            Instant at = instant(row[1]);
            nodes.add(new Node(id, at, row[5] == null ? at : instant(row[5]), row[6] + ":" + row[7],
                    authors.getOrDefault(id, Set.of()), paths.getOrDefault(id, List.of()), reverts.contains(id)));
        });
        return nodes;
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof ZonedDateTime z) {
            return z.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }
}
