package dev.merit.scoring.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.audit.CanonicalJson;
import dev.merit.scoring.TrivialComments;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The policy is data: hashed as data, read by people as generated sentences, earlier documents still understood. */
class PolicyDocumentTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, Object> scoring() {
        Map<String, Object> s = new TreeMap<>();
        s.put("scorer", "learned-v2");
        s.put("linearLines", 200);
        s.put("scale", 6);
        s.put("typeWeights", new TreeMap<>(Map.of("feature", new BigDecimal("1.0"), "chore", new BigDecimal("0.3"))));
        return s;
    }

    private static Map<String, Object> graph() {
        Map<String, Object> g = new TreeMap<>();
        g.put("enabled", true);
        g.put("edgeWeights", new TreeMap<>(Map.of("builds-on", new BigDecimal("1.0"), "comments-on", new BigDecimal("0.5"))));
        g.put("influence", new BigDecimal("0.25"));
        g.put("floor", new BigDecimal("0.5"));
        g.put("cap", new BigDecimal("2.0"));
        g.put("damping", new BigDecimal("0.85"));
        g.put("tolerance", new BigDecimal("1e-12"));
        g.put("maxIterations", 200);
        g.put("reverts", "build on nothing");
        g.put("buildsOn", "files with effective lines");
        return g;
    }

    /** The rules as ScoringService states them under the default settings. */
    private static List<PolicyDocument.Rule> rules(String repeatFactor) {
        return List.of(new PolicyDocument.Rule("copy", Map.of("factor", "0")),
                new PolicyDocument.Rule("withdrawn", Map.of("factor", "0")),
                new PolicyDocument.Rule("declined", Map.of("factor", "0")),
                new PolicyDocument.Rule("trivial", Map.of("enabled", true, "factor", "0", "minimumWords", 3,
                        "stockPhrases", new TreeSet<>(TrivialComments.STOCK_PHRASES))),
                new PolicyDocument.Rule("repeat", Map.of("factor", repeatFactor)),
                new PolicyDocument.Rule("ci", Map.of("failureFactor", "0.8", "successFactor", "1.0")),
                new PolicyDocument.Rule("undone-lines", Map.of("net", true)),
                new PolicyDocument.Rule("correction", Map.of("by", "dispute")),
                new PolicyDocument.Rule("credit-share", Map.of("split", "equal")));
    }

    /** What runs stored before policies were data, under the same settings: rules as sentences. */
    private static Map<String, Object> earlierFormat() {
        Map<String, Object> p = new TreeMap<>();
        p.put("scoring", scoring());
        p.put("graph", graph());
        p.put("ciFailureFactor", new BigDecimal("0.8"));
        p.put("ciSuccessFactor", new BigDecimal("1.0"));
        p.put("repeatFactor", new BigDecimal("0.5"));
        p.put("trivialComments", "x0 below 3 words of their own, or a stock phrase: "
                + new TreeSet<>(TrivialComments.STOCK_PHRASES));
        p.put("copies", "paid once per epoch");
        p.put("corrections", "a maintainer's answer to a dispute sets the type of a commit or pull request");
        p.put("withdrawn", "x0 for what the forge reports deleted");
        p.put("declined", "x0 for issues closed as not planned or duplicate or with a declining label, and pull "
                + "requests closed without merge, until reopened");
        p.put("undoneLines", "paid in neither commit (same authors, same epoch)");
        return p;
    }

    private static JsonNode stored(Map<String, Object> doc) throws Exception {
        return JSON.readTree(CanonicalJson.write(doc));
    }

    @Test
    void theDocumentIsDataAndItsHashDoesNotDependOnWording() throws Exception {
        Map<String, Object> doc = PolicyDocument.of(scoring(), graph(), rules("0.5"));
        JsonNode node = stored(doc);
        assertThat(node.path("format").asText()).isEqualTo(PolicyDocument.FORMAT);
        assertThat(node.path("graph").path("revertsBuildOnNothing").asBoolean()).isTrue();
        assertThat(node.path("graph").has("reverts")).isFalse();
        assertThat(node.path("rules")).extracting(r -> r.path("rule").asText()).containsExactly("copy", "withdrawn",
                "declined", "trivial", "repeat", "ci", "undone-lines", "correction", "credit-share");
        // The sentences are generated, not stored: the hash is a function of the data alone.
        List<PolicyText.Line> text = PolicyText.describe(node);
        assertThat(CanonicalJson.write(doc)).doesNotContain(text.get(1).text());
        assertThat(CanonicalJson.hash(doc)).isEqualTo(CanonicalJson.hash(PolicyDocument.of(scoring(), graph(), rules("0.5"))));
    }

    @Test
    void everyRuleReadsAsASentenceWithItsParameters() throws Exception {
        List<PolicyText.Line> text = PolicyText.describe(stored(PolicyDocument.of(scoring(), graph(), rules("0.5"))));
        assertThat(text).extracting(PolicyText.Line::rule).containsExactly("size-and-type", "copy", "withdrawn",
                "declined", "trivial", "repeat", "ci", "undone-lines", "correction", "credit-share", "graph");
        assertThat(text).allSatisfy(l -> assertThat(l.text()).doesNotContain("null").endsWith("."));
        assertThat(text.get(5).text()).startsWith("x0.5 for each earlier review");
        assertThat(text.get(6).text()).startsWith("x0.8 for a commit whose CI failed, x1.0 when it passed");
        assertThat(text.get(4).text()).contains("fewer than 3 words");
        assertThat(text.get(10).text()).contains("damping 0.85").contains("a revert builds on nothing");
    }

    @Test
    void aRunStoredInTheEarlierFormatAppliesTheSameRulesAsTheSameSettingsNow() throws Exception {
        JsonNode before = stored(earlierFormat());
        JsonNode now = stored(PolicyDocument.of(scoring(), graph(), rules("0.5")));
        assertThat(CanonicalJson.hash(earlierFormat())).isNotEqualTo(CanonicalJson.hash(PolicyDocument.of(scoring(),
                graph(), rules("0.5"))));
        assertThat(PolicyFormats.sameRules(before, now)).as("the format changed, not the rules").isTrue();
        assertThat(PolicyFormats.sameRules(before, stored(PolicyDocument.of(scoring(), graph(), rules("0.25")))))
                .as("another repeat factor is another rule").isFalse();
        assertThat(PolicyText.describe(before)).singleElement().satisfies(l -> assertThat(l.text())
                .contains("stored before policies were data"));
    }
}
