package dev.merit.scoring.policy;

import dev.merit.scoring.CreditedAuthors;
import java.math.BigDecimal;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What a policy document says, in sentences a contributor reads, generated from its data (never hashed). A document
 * stored before policies were data (its rules were sentences) reads as one line that says so.
 */
public final class PolicyText {

    /** A rule and what it means. */
    public record Line(String rule, String text) {
    }

    private PolicyText() {
    }

    public static List<Line> describe(JsonNode doc) {
        List<Line> lines = new ArrayList<>();
        if (doc == null || !PolicyDocument.FORMAT.equals(doc.path("format").asText())) {
            lines.add(new Line("format", "This run's policy was stored before policies were data; the document below "
                    + "is what it applied, and its hash still identifies it."));
            return lines;
        }
        JsonNode s = doc.path("scoring");
        boolean learned = s.path("scorer").asText().startsWith("learned-");
        lines.add(new Line("size-and-type", "A contribution's score is its size points (effective changed lines, one "
                + "for one up to " + s.path("linearLines").asText() + " lines and logarithmically beyond, so a huge dump "
                + "is damped and splitting work gains nothing) times the weight of its type ("
                + (s.path("scorer").asText().equals("learned-v3") ? "the median weight of the classifier's types: the "
                + "highest weight that its likely types reach together with even odds or better, which is the "
                + "type's own weight when the classifier gives one type more than even odds; a commit that reverts "
                + "another is a revert"
                : learned ? "the classifier's probability of each type times that type's weight; a commit that reverts "
                + "another is a revert" : "the weight of the type it was given") + ")."));
        for (JsonNode rule : doc.path("rules")) {
            String text = rule(rule);
            if (text != null) {
                lines.add(new Line(rule.path("rule").asText(), text));
            }
        }
        lines.add(new Line("graph", graph(doc.path("graph"))));
        return lines;
    }

    private static String rule(JsonNode r) {
        String factor = r.path("factor").asText("1");
        return switch (r.path("rule").asText()) {
            case "copy" -> "x" + factor + " for a commit that makes the same change as an earlier one of its repository "
                    + "(a cherry-pick, the same change applied again, or a rebased commit back under a new hash): it is "
                    + "counted once, there." + (r.path("originals").asText().contains("reached the branch")
                    ? " The one counted is the one that reached the branch in an earlier epoch, else the one committed "
                    + "first." : "");
            case "withdrawn" -> "x" + factor + " for an issue or comment the forge reports deleted (maintainers delete "
                    + "spam and abuse).";
            case "declined" -> one(factor) ? "Issues and pull requests the forge declined are paid like any other."
                    : "x" + factor + " for an issue closed as not planned, as a duplicate or with a declining label, or a "
                    + "pull request closed without merge (until reopened).";
            case "trivial" -> !r.path("enabled").asBoolean() ? "Every comment is paid its points, however short."
                    : "x" + factor + " for a comment that is a reaction: fewer than " + r.path("minimumWords").asText()
                    + " words of its own, or a stock phrase such as \"" + first(r.path("stockPhrases")) + "\".";
            case "repeat" -> one(factor) ? "Repeated reviews and comments are paid in full."
                    : "x" + factor + " for each earlier review of the same pull request, or comment on the same thread, "
                    + "by the same person in the epoch (the second counts x" + factor + ", the third its square ...).";
            case "ci" -> "x" + r.path("failureFactor").asText() + " for a commit whose CI failed, x"
                    + r.path("successFactor").asText() + " when it passed; commits without a CI result are not adjusted.";
            case "undone-lines" -> r.path("net").asBoolean()
                    ? "Lines the same authors add in one commit and delete in another in the epoch (or delete and add "
                    + "back) are paid in neither." + (r.has("relanded") ? " Lines a revert took out of a commit and that "
                    + "its authors add back later (the change landed again) are paid once, in that commit." : "")
                    : "Each commit's lines are paid as they are, even if undone later.";
            case "correction" -> "A maintainer's answer to a dispute sets the type of a commit or pull request in every "
                    + "later run.";
            case "credit-share" -> r.path("bots").asText().equals(CreditedAuthors.BOTS_BESIDE_PEOPLE)
                    ? "Co-authors (Co-authored-by) share a contribution's score equally; a bot or coding agent named "
                    + "beside a person takes no share." : "Co-authors (Co-authored-by) share a contribution's score equally.";
            default -> null;
        };
    }

    private static String graph(JsonNode g) {
        if (!g.path("enabled").asBoolean()) {
            return "Graph credit is off.";
        }
        StringBuilder weights = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = g.path("edgeWeights").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            weights.append(weights.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue().asText());
        }
        // Said as the contribution's page says it (built-on credit, the formula its factor shows), PageRank named.
        return "Built-on credit: work that others' later work builds on earns more. A contribution's credit is how "
                + "much later work leads back to it, as a multiple of the epoch's average (PageRank over the links "
                + "between contributions: " + weights + "; damping " + g.path("damping").asText() + "); its factor is "
                + "1 + " + g.path("influence").asText() + " x (credit - 1), kept between " + g.path("floor").asText()
                + " and " + g.path("cap").asText()
                + (g.path("revertsBuildOnNothing").asBoolean() ? "; a revert builds on nothing" : "")
                + (g.path("buildsOnFilesWithEffectiveLinesOnly").asBoolean()
                ? "; a change builds on earlier ones only through files they did work in" : "")
                + (g.has("order") ? "; earlier means reached the branch first (then committed first, then by source and id)"
                : "") + ".";
    }

    private static boolean one(String factor) {
        try {
            return new BigDecimal(factor).compareTo(BigDecimal.ONE) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String first(JsonNode phrases) {
        return phrases.isArray() && !phrases.isEmpty() ? phrases.get(0).asText() : "thanks";
    }
}
