package dev.merit.ingest.webhook;

import java.util.Locale;
import java.util.Set;
import com.fasterxml.jackson.databind.JsonNode;
import dev.merit.contributor.ActorRef;
import dev.merit.ingest.ContributionEvent;
import dev.merit.ingest.ContributionMetrics;

import java.time.Instant;
import java.util.List;

/**
 * Jira webhook payloads ({@code webhookEvent}): an issue created counts for its reporter ({@code PROJ-12}); an update
 * that sets a resolution counts for who resolved it ({@code PROJ-12/resolved}, links "closes" -> the issue). A
 * resolution such as Won't Do or Duplicate also declines the issue (scoring gives it the declined factor); another
 * resolution, or the resolution removed (reopened), takes that back. A comment counts for its author
 * ({@code PROJ-12/comment/10050}, links "comments-on" -> the issue). An issue or comment deleted is withdrawn (paid
 * nothing from then on). Other updates are acknowledged and ignored.
 */
public final class JiraEvents {

    public static final String SOURCE = "jira";

    private final WebhookConfig.Points points;
    private final SourceParsing parse = new SourceParsing("Jira");

    public JiraEvents(WebhookConfig.Points points) {
        this.points = points;
    }

    public SourceEvents map(JsonNode p) {
        String event = parse.optionalText(p, "webhookEvent");
        return switch (event) {
            case "jira:issue_created" -> created(p);
            case "jira:issue_updated" -> updated(p);
            case "jira:issue_deleted" -> SourceEvents.withdrawn(parse.name(parse.required(p, "issue"), "key"));
            case "comment_created" -> comment(p);
            case "comment_deleted" -> SourceEvents.withdrawn(commentId(p));
            case "" -> throw parse.invalid("the payload has no 'webhookEvent'");
            default -> SourceEvents.ignored("Jira event '" + event + "' is not a contribution Merit counts");
        };
    }

    private SourceEvents created(JsonNode p) {
        JsonNode issue = parse.required(p, "issue");
        JsonNode fields = parse.required(issue, "fields");
        String key = parse.name(issue, "key");
        JsonNode reporter = fields.hasNonNull("reporter") ? fields.get("reporter") : parse.required(p, "user");
        ContributionEvent e = new ContributionEvent(SOURCE, key, "issue", parse.instant(fields, "created"),
                project(fields), null, actor(reporter), List.of(), parse.optionalText(fields, "summary"),
                text(fields.path("description")),
                ContributionMetrics.ofEffective(points.issueOpened()), List.of(), null);
        return new SourceEvents(List.of(e), List.of(), List.of(), null);
    }

    private SourceEvents updated(JsonNode p) {
        JsonNode issue = parse.required(p, "issue");
        JsonNode fields = parse.required(issue, "fields");
        JsonNode resolution = null;
        for (JsonNode item : p.path("changelog").path("items")) {
            if ("resolution".equals(item.path("field").asText())) {
                resolution = item;
            }
        }
        if (resolution == null) {
            return SourceEvents.ignored("Jira update without a resolution: nothing to count");
        }
        String key = parse.name(issue, "key");
        String who = p.path("user").path("displayName").asText("someone");
        // Jira's event time, in milliseconds: "yesterday" or 1.5 is refused (it was read as 1970, and the resolution
        // dated then went unpaid without a word).
        Instant changed = p.hasNonNull("timestamp") ? millis(p) : Instant.now();
        if (!resolution.hasNonNull("to")) {
            return SourceEvents.state(new SourceEvents.StateChange(key, false, "resolution removed by " + who, changed));
        }
        String name = resolution.path("toString").asText(fields.path("resolution").path("name").asText(""));
        SourceEvents.StateChange state = new SourceEvents.StateChange(key, declines(name),
                "resolved as " + (name.isBlank() ? "(unnamed)" : "\"" + name + "\"") + " by " + who, changed);
        String id = key + "/resolved";
        Instant at = fields.hasNonNull("resolutiondate") ? parse.instant(fields, "resolutiondate")
                : millis(p);
        ContributionEvent e = new ContributionEvent(SOURCE, id, "comment", at, project(fields), null,
                actor(parse.required(p, "user")), List.of(),
                "resolved " + key + ": " + parse.optionalText(fields, "summary"),
                "", ContributionMetrics.ofEffective(points.issueClosed()), List.of(), null);
        return new SourceEvents(List.of(e), List.of(new SourceEvents.Link(id, key, "closes")), List.of(),
                List.of(state), null);
    }

    /**
     * Resolutions that decline an issue, as Jira's defaults spell them (Cloud: Won't Do, Duplicate, Cannot Reproduce;
     * Server and Data Center add Won't Fix, Incomplete), and the usual custom ones; any other resolution completes it.
     */
    static boolean declines(String resolution) {
        String r = resolution.toLowerCase(Locale.ROOT).replace('\u2019', '\'').strip();
        return DECLINING.contains(r);
    }

    private static final Set<String> DECLINING = Set.of("won't do", "won't fix", "wontfix",
            "duplicate", "cannot reproduce", "can't reproduce", "incomplete", "declined", "rejected", "invalid",
            "obsolete", "not a bug", "works as designed", "working as intended");

    /** A comment on an issue ({@code PROJ-12/comment/10050}), by its author; links "comments-on" -> the issue. */
    private SourceEvents comment(JsonNode p) {
        JsonNode comment = parse.required(p, "comment");
        JsonNode issue = parse.required(p, "issue");
        String key = parse.name(issue, "key");
        JsonNode fields = issue.path("fields");
        String id = commentId(p);
        ContributionEvent e = new ContributionEvent(SOURCE, id, "comment", parse.instant(comment, "created"),
                project(fields), null, actor(parse.required(comment, "author")), List.of(),
                "comment on " + key + ": " + parse.optionalText(fields, "summary"), text(comment.path("body")),
                ContributionMetrics.ofEffective(points.comment()), List.of(), null);
        return new SourceEvents(List.of(e), List.of(new SourceEvents.Link(id, key, "comments-on")), List.of(), null);
    }

    private String commentId(JsonNode p) {
        return parse.name(parse.required(p, "issue"), "key") + "/comment/"
                + parse.text(parse.required(p, "comment"), "id");
    }

    /**
     * A Jira text: a string (REST API v2, wiki markup), or an Atlassian Document Format tree (v3), whose text nodes
     * are joined, a paragraph a line.
     */
    static String text(JsonNode body) {
        if (body.isTextual()) {
            return body.asText();
        }
        StringBuilder out = new StringBuilder();
        adf(body, out);
        return out.toString().strip();
    }

    private static void adf(JsonNode node, StringBuilder out) {
        if (node.isArray()) {
            node.forEach(n -> adf(n, out));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        if ("text".equals(node.path("type").asText()) && node.path("text").isTextual()) {
            out.append(node.get("text").asText());
        }
        adf(node.path("content"), out);
        String type = node.path("type").asText();
        if (type.equals("paragraph") || type.equals("heading") || type.equals("codeBlock") || type.equals("hardBreak")) {
            out.append('\n');
        }
    }

    private String project(JsonNode fields) {
        return fields.path("project").path("key").asText(null);
    }

    private ActorRef actor(JsonNode user) {
        String account = parse.login(user, "accountId");
        String name = user.path("displayName").asText(account);
        // Not the profile's emailAddress: on Jira Data Center a user may type any address there, and an e-mail
        // resolves identities (Alice's commits would follow it to whoever typed hers first), as GitLab's profile
        // e-mail never does either. The account id is the person here; a maintainer merges it with their commits.
        return new ActorRef(name, null, "jira:" + account, null, null);
    }

    /** The payload's {@code timestamp}: milliseconds since 1970, a whole number (a date the database holds). */
    private Instant millis(JsonNode p) {
        return dev.merit.ingest.OccurredAt.clamp(Instant.ofEpochMilli(parse.number(p, "timestamp")));
    }
}
