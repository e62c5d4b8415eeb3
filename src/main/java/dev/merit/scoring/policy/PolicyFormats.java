package dev.merit.scoring.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Earlier policy documents stated their rules as sentences; these read them back as data, so that a run comparison
 * can tell a change of the document's format (a new hash, the same rules) from a change of its rules.
 */
public final class PolicyFormats {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TRIVIAL = Pattern.compile("x(\\S+) below (\\d+) words.*?: \\[(.*)]");
    private static final Pattern DECLINED = Pattern.compile("x(\\S+) .*");

    private PolicyFormats() {
    }

    /** Whether two stored policy documents apply the same rules, whatever format each was stored in. */
    public static boolean sameRules(JsonNode a, JsonNode b) {
        return a != null && b != null && asData(a).equals(asData(b));
    }

    /** The document as data: a current one as it is, an earlier one (rules as sentences) read back. */
    public static JsonNode asData(JsonNode doc) {
        if (PolicyDocument.FORMAT.equals(doc.path("format").asText())) {
            return doc;
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("format", PolicyDocument.FORMAT);
        out.set("scoring", doc.path("scoring"));
        ObjectNode graph = doc.path("graph").deepCopy();
        if (graph.remove("reverts") != null) {
            graph.put("revertsBuildOnNothing", true);
        }
        if (graph.remove("buildsOn") != null) {
            graph.put("buildsOnFilesWithEffectiveLinesOnly", true);
        }
        out.set("graph", graph);
        ArrayNode rules = out.putArray("rules");
        if (doc.has("copies")) {
            rules.addObject().put("rule", "copy").put("factor", "0");
        }
        if (doc.has("withdrawn")) {
            rules.addObject().put("rule", "withdrawn").put("factor", "0");
        }
        if (doc.has("declined")) {
            Matcher m = DECLINED.matcher(doc.get("declined").asText());
            rules.addObject().put("rule", "declined").put("factor", m.matches() ? m.group(1) : "1");
        }
        if (doc.has("trivialComments")) {
            Matcher m = TRIVIAL.matcher(doc.get("trivialComments").asText());
            ObjectNode trivial = rules.addObject().put("rule", "trivial").put("enabled", m.matches());
            if (m.matches()) {
                trivial.put("factor", m.group(1)).put("minimumWords", Integer.parseInt(m.group(2)));
                ArrayNode phrases = trivial.putArray("stockPhrases");
                for (String phrase : m.group(3).split(", ")) {
                    phrases.add(phrase);
                }
            }
        }
        if (doc.has("repeatFactor")) {
            rules.addObject().put("rule", "repeat").put("factor", plain(doc.get("repeatFactor").asText()));
        }
        if (doc.has("ciFailureFactor")) {
            rules.addObject().put("rule", "ci").put("failureFactor", doc.get("ciFailureFactor").asText())
                    .put("successFactor", doc.path("ciSuccessFactor").asText("1.0"));
        }
        if (doc.has("undoneLines")) {
            rules.addObject().put("rule", "undone-lines").put("net", doc.get("undoneLines").asText().startsWith("paid in neither"));
        }
        if (doc.has("corrections")) {
            rules.addObject().put("rule", "correction").put("by", "dispute");
        }
        rules.addObject().put("rule", "credit-share").put("split", "equal");
        return out;
    }

    private static String plain(String number) {
        try {
            return new BigDecimal(number).stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
            return number;
        }
    }
}
