package dev.merit.scoring.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scoring policy as data: a versioned document of the model's part (scorer, type weights, size curve), graph
 * credit's parameters and the rules beyond the model, each with its parameters. Stored with every run and hashed in
 * canonical JSON; nothing in it is prose, so rewording what a person reads ({@link PolicyText}) never changes a hash.
 */
public final class PolicyDocument {

    public static final String FORMAT = "merit-policy-v2";

    /** One rule beyond the model: its name and parameters. */
    public record Rule(String name, Map<String, Object> parameters) {
    }

    private PolicyDocument() {
    }

    /**
     * The document: {@code scoring} as the model states it, {@code graph} as graph credit states it (its older prose
     * entries made flags), and {@code rules} in the order their factors apply.
     */
    public static Map<String, Object> of(Map<String, Object> scoring, Map<String, Object> graph, List<Rule> rules) {
        Map<String, Object> doc = new TreeMap<>();
        doc.put("format", FORMAT);
        doc.put("scoring", scoring);
        doc.put("graph", graph(graph));
        List<Map<String, Object>> list = new ArrayList<>();
        for (Rule rule : rules) {
            Map<String, Object> entry = new TreeMap<>(rule.parameters());
            entry.put("rule", rule.name());
            list.add(entry);
        }
        doc.put("rules", list);
        return doc;
    }

    /** Graph credit's part, its two rules as flags rather than the sentences earlier runs stored. */
    static Map<String, Object> graph(Map<String, Object> graph) {
        Map<String, Object> g = new LinkedHashMap<>(graph);
        if (g.remove("reverts") != null) {
            g.put("revertsBuildOnNothing", true);
        }
        if (g.remove("buildsOn") != null) {
            g.put("buildsOnFilesWithEffectiveLinesOnly", true);
        }
        return new TreeMap<>(g);
    }
}
