package dev.merit.ingest.webhook;

import java.util.Optional;
import java.util.Set;
import com.fasterxml.jackson.databind.JsonNode;
import dev.merit.contributor.ActorRef;
import dev.merit.ingest.ContributionEvent;
import dev.merit.ingest.ContributionMetrics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * GitHub webhook payloads as contributions. External ids name the thing, not the delivery, so the same pull request
 * seen at "opened" and at "closed, merged" is one contribution:
 * <pre>
 * owner/repo#pr/12              pull request (opened, or merged)      by its author
 * owner/repo#pr/12/review/345   review (approved, changes requested, commented)   links "reviews" -> the pull request
 * owner/repo#issue/7            issue opened                          by its author
 * owner/repo#issue/7/closed     issue closed                          by who closed it; links "closes" -> the issue
 * owner/repo#comment/678        comment on an issue or pull request   links "comments-on" -> it
 * </pre>
 * Closing an issue as not planned or as a duplicate (by a person; a stale bot's timeout is no verdict), or with a
 * declining label (duplicate, invalid, wontfix, ...), or a pull request without merge, declines it: a state, not a contribution, which scoring pays with the declined factor.
 * Reopening, completing or merging takes that back.
 * A pull request whose body says "closes #7" (fixes, resolves) links "closes" -> owner/repo#issue/7. Commits arrive
 * through git ingestion, so a push or a pull request's diff adds no lines here; workflow_run and check_suite
 * outcomes are kept as CI results of their head commit.
 */
public final class GitHubEvents {

    public static final String SOURCE = "github";
    /**
     * "Fixes #12", "closes: #12": whitespace, or a colon and whitespace, before the number. Possessive, so that a verb
     * followed by a megabyte of blanks and no number costs one pass, not one per blank (it was quadratic).
     */
    static final Pattern CLOSING = Pattern.compile(
            "\\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)(?:\\s*+:)?\\s++#(\\d+)", Pattern.CASE_INSENSITIVE);

    private final WebhookConfig.Points points;
    private final SourceParsing parse = new SourceParsing("GitHub");

    private final Set<String> decliningLabels;

    public GitHubEvents(WebhookConfig.Points points, Set<String> decliningLabels) {
        this.points = points;
        this.decliningLabels = decliningLabels;
    }

    public SourceEvents map(String event, JsonNode p) {
        return switch (event) {
            case "pull_request" -> pullRequest(p);
            case "pull_request_review" -> review(p);
            case "issues" -> issue(p);
            case "issue_comment" -> comment(p);
            case "workflow_run" -> ci(p, "workflow_run", "run");
            case "check_suite" -> ci(p, "check_suite", "suite");
            case "push" -> SourceEvents.ignored("push noted: its commits are ingested from git (merit ingest, or the CI hook)");
            case "ping" -> SourceEvents.ignored("ping");
            default -> SourceEvents.ignored("event '" + event + "' is not a contribution Merit counts");
        };
    }

    private SourceEvents pullRequest(JsonNode p) {
        String action = text(p, "action");
        JsonNode pr = required(p, "pull_request");
        String repo = repository(p);
        boolean merged = parse.flag(pr, "merged");
        String id = repo + "#pr/" + parse.number(pr, "number");
        if (action.equals("closed") && !merged) {
            return SourceEvents.state(new SourceEvents.StateChange(id, true, "pull request closed without merge by "
                    + login(p), at(pr, "closed_at")));
        }
        if (action.equals("reopened")) {
            return SourceEvents.state(new SourceEvents.StateChange(id, false, "pull request reopened by " + login(p),
                    at(pr, "updated_at")));
        }
        if (!action.equals("opened") && !action.equals("closed")) {
            return SourceEvents.ignored("pull_request " + action + ": nothing to count (a pull request counts when "
                    + "opened or merged; its commits come from git)");
        }
        String title = parse.optionalText(pr, "title");
        String body = parse.optionalText(pr, "body");
        Instant at = instant(pr, "created_at");
        ContributionEvent e = new ContributionEvent(SOURCE, id, "pull_request", at, repo, null, actor(required(pr, "user")),
                List.of(), title, title + (body.isBlank() ? "" : "\n\n" + body),
                ContributionMetrics.ofEffective(points.pullRequest()), List.of(), null);
        List<SourceEvents.Link> links = SourceEvents.closing(id, title + "\n" + body, CLOSING, n -> repo + "#issue/" + n);
        List<SourceEvents.StateChange> states = merged
                ? List.of(new SourceEvents.StateChange(id, false, "pull request merged", at(pr, "closed_at")))
                : List.of();
        SourceEvents events = new SourceEvents(List.of(e), links, List.of(), states, null);
        // Opened, the description is its author's; merged, it is what it became, and collaborators may edit it.
        return merged ? events.notTheActorsWords() : events;
    }

    private SourceEvents review(JsonNode p) {
        String action = text(p, "action");
        if (!action.equals("submitted")) {
            return SourceEvents.ignored("pull_request_review " + action + ": only submitted reviews count");
        }
        JsonNode review = required(p, "review");
        JsonNode pr = required(p, "pull_request");
        String repo = repository(p);
        String prId = repo + "#pr/" + parse.number(pr, "number");
        String state = parse.optionalText(review, "state").toLowerCase(Locale.ROOT);
        int size = switch (state) {
            case "approved" -> points.reviewApproved();
            case "changes_requested" -> points.reviewChangesRequested();
            case "commented" -> points.reviewCommented();
            default -> 0;
        };
        if (size == 0) {
            return SourceEvents.ignored("review state '" + state + "' does not count");
        }
        String id = prId + "/review/" + parse.number(review, "id");
        String title = "review (" + state.replace('_', ' ') + ") of #" + pr.path("number").asLong() + ": "
                + parse.optionalText(pr, "title");
        ContributionEvent e = new ContributionEvent(SOURCE, id, "review", instant(review, "submitted_at"), repo, null,
                actor(required(review, "user")), List.of(), title, parse.optionalText(review, "body"),
                ContributionMetrics.ofEffective(size), List.of(), null);
        return new SourceEvents(List.of(e), List.of(new SourceEvents.Link(id, prId, "reviews")), List.of(), null);
    }

    private SourceEvents issue(JsonNode p) {
        String action = text(p, "action");
        JsonNode issue = required(p, "issue");
        String repo = repository(p);
        String issueId = repo + "#issue/" + parse.number(issue, "number");
        String title = parse.optionalText(issue, "title");
        if (action.equals("opened")) {
            ContributionEvent e = new ContributionEvent(SOURCE, issueId, "issue", instant(issue, "created_at"), repo, null,
                    actor(required(issue, "user")), List.of(), title, parse.optionalText(issue, "body"),
                    ContributionMetrics.ofEffective(points.issueOpened()), List.of(), null);
            return new SourceEvents(List.of(e), List.of(), List.of(), null);
        }
        if (action.equals("closed")) {
            String id = issueId + "/closed";
            ContributionEvent e = new ContributionEvent(SOURCE, id, "comment", instant(issue, "closed_at"), repo, null,
                    actor(required(p, "sender")), List.of(), "closed issue #" + issue.path("number").asLong() + ": " + title,
                    "", ContributionMetrics.ofEffective(points.issueClosed()), List.of(), null);
            // GitHub's reason: completed, not_planned, duplicate (absent before 2022, and then completed).
            // A stale bot closes what nobody answered as not planned: a timeout, not a maintainer's verdict.
            String reason = parse.optionalText(issue, "state_reason");
            reason = reason.isEmpty() ? "completed" : reason;
            boolean bot = p.path("sender").path("type").asText("").equals("Bot") || login(p).endsWith("[bot]");
            // A declining label ("duplicate", "invalid", "wontfix") is a maintainer's verdict whoever closes.
            boolean byReason = !bot && (reason.equals("not_planned") || reason.equals("duplicate"));
            List<String> labels = new ArrayList<>();
            parse.optionalList(issue, "labels").forEach(l -> labels.add(parse.optionalText(l, "name")));
            Optional<String> label = byReason ? Optional.empty()
                    : SourceParsing.decliningLabel(labels, decliningLabels);
            SourceEvents.StateChange state = new SourceEvents.StateChange(issueId, byReason || label.isPresent(),
                    "issue closed as " + reason.replace('_', ' ') + label.map(l -> " with label '" + l + "'").orElse("")
                            + " by " + login(p) + (bot && !byReason && label.isEmpty() && !reason.equals("completed")
                            ? " (a bot: not a maintainer's verdict)" : ""),
                    e.occurredAt());
            return new SourceEvents(List.of(e), List.of(new SourceEvents.Link(id, issueId, "closes")), List.of(),
                    List.of(state), null);
        }
        if (action.equals("reopened")) {
            return SourceEvents.state(new SourceEvents.StateChange(issueId, false, "issue reopened by " + login(p),
                    at(issue, "updated_at")));
        }
        if (action.equals("deleted")) {
            return SourceEvents.withdrawn(issueId);
        }
        return SourceEvents.ignored("issues " + action + ": only opened, closed, reopened and deleted count");
    }

    private SourceEvents comment(JsonNode p) {
        String action = text(p, "action");
        if (action.equals("deleted")) {
            String id = repository(p) + "#comment/" + parse.number(required(p, "comment"), "id");
            return SourceEvents.withdrawn(id);
        }
        if (!action.equals("created")) {
            return SourceEvents.ignored("issue_comment " + action + ": only new comments count");
        }
        JsonNode comment = required(p, "comment");
        JsonNode issue = required(p, "issue");
        String repo = repository(p);
        boolean onPullRequest = issue.has("pull_request");
        String target = repo + (onPullRequest ? "#pr/" : "#issue/") + parse.number(issue, "number");
        String id = repo + "#comment/" + parse.number(comment, "id");
        String body = parse.optionalText(comment, "body");
        String title = "comment on #" + issue.path("number").asLong() + ": " + parse.optionalText(issue, "title");
        ContributionEvent e = new ContributionEvent(SOURCE, id, "comment", instant(comment, "created_at"), repo, null,
                actor(required(comment, "user")), List.of(), title, body,
                ContributionMetrics.ofEffective(points.comment()), List.of(), null);
        return new SourceEvents(List.of(e), List.of(new SourceEvents.Link(id, target, "comments-on")), List.of(), null);
    }

    private SourceEvents ci(JsonNode p, String field, String prefix) {
        String action = text(p, "action");
        if (!action.equals("completed")) {
            return SourceEvents.ignored(field + " " + action + ": only completed runs have an outcome");
        }
        JsonNode run = required(p, field);
        // Real completed payloads sometimes carry no conclusion yet; kept as "unknown" rather than refused.
        String conclusion = run.hasNonNull("conclusion") ? run.get("conclusion").asText() : "unknown";
        String repo = repository(p);
        Instant at = run.hasNonNull("updated_at") ? instant(run, "updated_at") : Instant.now();
        return new SourceEvents(List.of(), List.of(), List.of(new SourceEvents.CiResult(
                repo + "#" + prefix + "/" + parse.number(run, "id"), repo, text(run, "head_sha"), conclusion, at)), null);
    }

    /** Who acted ({@code sender}), for the reason a state change gives. */
    private static String login(JsonNode p) {
        return p.path("sender").path("login").asText("someone");
    }

    /** When a state changed: the field's time, else now (a payload without it still changes the state). */
    private Instant at(JsonNode n, String field) {
        return n.hasNonNull(field) ? instant(n, field) : Instant.now();
    }

    private ActorRef actor(JsonNode user) {
        String login = parse.login(user, "login");
        // The account's id never changes; its login may, and may then be taken by someone else.
        return new ActorRef(login, null, login, null, null, parse.optionalId(user, "id"));
    }

    private String repository(JsonNode p) {
        return parse.name(required(p, "repository"), "full_name");
    }

    private JsonNode required(JsonNode n, String field) {
        return parse.required(n, field);
    }

    private String text(JsonNode n, String field) {
        return parse.text(n, field);
    }

    private Instant instant(JsonNode n, String field) {
        return parse.instant(n, field);
    }
}
