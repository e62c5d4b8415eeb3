package dev.merit.ingest.webhook;

import java.util.Set;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.merit.contributor.ActorRef;
import dev.merit.ingest.ContributionEvent;
import dev.merit.ingest.ContributionMetrics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * GitLab webhook payloads (by {@code object_kind}) as contributions, with the same shapes as GitHub's:
 * <pre>
 * group/project!12                merge request (opened, or merged)     by its author
 * group/project!12/approval/<user> approval                              links "reviews" -> the merge request
 * group/project#7                 issue opened                          by its author
 * group/project#7/closed          issue closed                          links "closes" -> the issue
 * group/project/note/678          note on a merge request or issue      links "comments-on" -> it
 * </pre>
 * A merge request closed without merge is declined (scoring gives it the declined factor) until reopened or merged.
 * GitLab's issue hooks do not say why an issue was closed: an issue closed with a declining label (duplicate,
 * wontfix, ...) is declined, until reopened.
 * Pipelines are CI results of their commit; pushes are ingested from git.
 */
public final class GitLabEvents {

    public static final String SOURCE = "gitlab";
    /**
     * "Fixes #12", "closes: #12": whitespace, or a colon and whitespace, before the number. Possessive, so that a verb
     * followed by a megabyte of blanks and no number costs one pass, not one per blank (it was quadratic).
     */
    static final Pattern CLOSING = Pattern.compile(
            "\\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?|implement(?:s|ed)?)(?:\\s*+:)?\\s++#(\\d+)", Pattern.CASE_INSENSITIVE);

    private final WebhookConfig.Points points;
    private final SourceParsing parse = new SourceParsing("GitLab");

    private final Set<String> decliningLabels;

    public GitLabEvents(WebhookConfig.Points points, Set<String> decliningLabels) {
        this.points = points;
        this.decliningLabels = decliningLabels;
    }

    public SourceEvents map(JsonNode p) {
        String kind = parse.optionalText(p, "object_kind");
        return switch (kind) {
            case "merge_request" -> mergeRequest(p);
            case "issue" -> issue(p);
            case "note" -> note(p);
            case "pipeline" -> pipeline(p);
            case "push", "tag_push" -> SourceEvents.ignored(kind + " noted: its commits are ingested from git");
            // Group and system hooks name some events by event_name only (a member added to a group, a project
            // created): authenticated, and nothing to count. Answered 202, not 400, which GitLab counts as a failing
            // hook and may disable the hook for.
            case "" -> p.hasNonNull("event_name") && p.get("event_name").isTextual()
                    ? SourceEvents.ignored("event_name '" + dev.merit.audit.StoredText.fit(p.get("event_name").asText(), 64)
                            + "' is not a contribution Merit counts")
                    : parseFailure();
            default -> SourceEvents.ignored("object_kind '" + kind + "' is not a contribution Merit counts");
        };
    }

    private SourceEvents parseFailure() {
        throw parse.invalid("the payload has neither 'object_kind' nor 'event_name'");
    }

    private SourceEvents mergeRequest(JsonNode p) {
        JsonNode mr = parse.required(p, "object_attributes");
        String action = parse.optionalText(mr, "action");
        String project = project(p);
        String id = project + "!" + parse.number(mr, "iid");
        // "approval": one reviewer approved (sent for each approval short of the rule's count); "approved": the
        // approval that met the rule. Each approver is credited once, under either.
        if (action.equals("approved") || action.equals("approval")) {
            String user = parse.login(parse.required(p, "user"), "username");
            // Keyed by the username as GitLab writes it (approvals stored so since the first version; lower-cased, one
            // stored before and sent again after would be paid twice).
            String approval = id + "/approval/" + user;
            ContributionEvent e = new ContributionEvent(SOURCE, approval, "review", parse.instant(mr, "updated_at"),
                    project, null, actor(parse.required(p, "user")), List.of(),
                    "review (approved) of !" + mr.path("iid").asLong() + ": " + parse.optionalText(mr, "title"), "",
                    ContributionMetrics.ofEffective(points.reviewApproved()), List.of(), seen(p));
            return new SourceEvents(List.of(e), List.of(new SourceEvents.Link(approval, id, "reviews")), List.of(), null);
        }
        if (action.equals("close") || action.equals("reopen")) {
            String who = p.path("user").path("username").asText("someone");
            Instant at = mr.hasNonNull("updated_at") ? parse.instant(mr, "updated_at") : Instant.now();
            return SourceEvents.state(action.equals("close")
                    ? new SourceEvents.StateChange(id, true, "merge request closed without merge by " + who, at)
                    : new SourceEvents.StateChange(id, false, "merge request reopened by " + who, at));
        }
        if (!action.equals("open") && !action.equals("merge")) {
            return SourceEvents.ignored("merge_request " + action + ": a merge request counts when opened or merged "
                    + "(its commits come from git)");
        }
        String title = parse.optionalText(mr, "title");
        String body = parse.optionalText(mr, "description");
        // The author of a merge request is author_id; the payload's user is who acted (the merger, on merge). A merge
        // by someone else names no author: the merge request is not credited to the merger (its author's open event
        // credits it), and its text is not read as the merger's words (a wallet-claim code in it is the author's).
        JsonNode author = action.equals("open") ? parse.required(p, "user") : p.path("user");
        boolean byAuthor = action.equals("open") || (mr.hasNonNull("author_id") && author.hasNonNull("id")
                && mr.path("author_id").asLong() == author.path("id").asLong());
        List<ContributionEvent> contributions = byAuthor ? List.of(new ContributionEvent(SOURCE, id, "pull_request",
                parse.instant(mr, "created_at"), project, null, actor(author), List.of(), title,
                title + (body.isBlank() ? "" : "\n\n" + body), ContributionMetrics.ofEffective(points.pullRequest()),
                List.of(), seen(p))) : List.of();
        List<SourceEvents.Link> links = SourceEvents.closing(id, title + "\n" + body, CLOSING, n -> project + "#" + n);
        List<SourceEvents.StateChange> states = action.equals("merge")
                ? List.of(new SourceEvents.StateChange(id, false, "merge request merged",
                        mr.hasNonNull("updated_at") ? parse.instant(mr, "updated_at") : Instant.now()))
                : List.of();
        SourceEvents events = new SourceEvents(contributions, links, List.of(), states, null);
        // Opened, the description is its author's; merged, it is what it became, and Developers may edit it.
        return action.equals("merge") ? events.notTheActorsWords() : events;
    }

    private SourceEvents issue(JsonNode p) {
        JsonNode issue = parse.required(p, "object_attributes");
        String action = parse.optionalText(issue, "action");
        String project = project(p);
        String id = project + "#" + parse.number(issue, "iid");
        String title = parse.optionalText(issue, "title");
        if (action.equals("open")) {
            ContributionEvent e = new ContributionEvent(SOURCE, id, "issue", parse.instant(issue, "created_at"), project,
                    null, actor(parse.required(p, "user")), List.of(), title, parse.optionalText(issue, "description"),
                    ContributionMetrics.ofEffective(points.issueOpened()), List.of(), seen(p));
            return new SourceEvents(List.of(e), List.of(), List.of(), null);
        }
        if (action.equals("close")) {
            String closed = id + "/closed";
            Instant at = issue.hasNonNull("closed_at") ? parse.instant(issue, "closed_at") : parse.instant(issue, "updated_at");
            ContributionEvent e = new ContributionEvent(SOURCE, closed, "comment", at, project, null,
                    actor(parse.required(p, "user")), List.of(), "closed issue #" + issue.path("iid").asLong() + ": " + title,
                    "", ContributionMetrics.ofEffective(points.issueClosed()), List.of(), seen(p));
            // GitLab does not say why an issue was closed; a declining label ("duplicate", "wontfix") does.
            List<String> labels = new ArrayList<>();
            parse.optionalList(p.has("labels") ? p : issue, "labels")
                    .forEach(l -> labels.add(parse.optionalText(l, "title")));
            String who = p.path("user").path("username").asText("someone");
            SourceEvents.StateChange state = SourceParsing.decliningLabel(labels, decliningLabels)
                    .map(l -> new SourceEvents.StateChange(id, true, "issue closed with label '" + l + "' by " + who, at))
                    .orElse(new SourceEvents.StateChange(id, false, "issue closed by " + who, at));
            return new SourceEvents(List.of(e), List.of(new SourceEvents.Link(closed, id, "closes")), List.of(),
                    List.of(state), null);
        }
        if (action.equals("reopen")) {
            Instant at = issue.hasNonNull("updated_at") ? parse.instant(issue, "updated_at") : Instant.now();
            return SourceEvents.state(new SourceEvents.StateChange(id, false, "issue reopened by "
                    + p.path("user").path("username").asText("someone"), at));
        }
        return SourceEvents.ignored("issue " + action + ": only opened, closed and reopened count");
    }

    private SourceEvents note(JsonNode p) {
        JsonNode note = parse.required(p, "object_attributes");
        String project = project(p);
        String type = parse.optionalText(note, "noteable_type");
        String target = switch (type) {
            case "MergeRequest" -> project + "!" + parse.number(parse.required(p, "merge_request"), "iid");
            case "Issue" -> project + "#" + parse.number(parse.required(p, "issue"), "iid");
            default -> null;
        };
        if (target == null) {
            return SourceEvents.ignored("note on a " + type + ": only notes on merge requests and issues count");
        }
        String id = project + "/note/" + parse.number(note, "id");
        ContributionEvent e = new ContributionEvent(SOURCE, id, "comment", parse.instant(note, "created_at"), project, null,
                actor(parse.required(p, "user")), List.of(), "note on " + target.substring(project.length()),
                parse.optionalText(note, "note"), ContributionMetrics.ofEffective(points.comment()), List.of(),
                seen(p));
        return new SourceEvents(List.of(e), List.of(new SourceEvents.Link(id, target, "comments-on")), List.of(), null);
    }

    private SourceEvents pipeline(JsonNode p) {
        JsonNode pipeline = parse.required(p, "object_attributes");
        String status = parse.text(pipeline, "status");
        if (!List.of("success", "failed", "canceled", "skipped").contains(status)) {
            return SourceEvents.ignored("pipeline " + status + ": only finished pipelines have an outcome");
        }
        String project = project(p);
        Instant at = pipeline.hasNonNull("finished_at") ? parse.instant(pipeline, "finished_at") : Instant.now();
        return new SourceEvents(List.of(), List.of(), List.of(new SourceEvents.CiResult(project + "/pipeline/"
                + parse.number(pipeline, "id"), project, parse.text(pipeline, "sha"), status, at)), null);
    }

    private String project(JsonNode p) {
        return parse.name(parse.required(p, "project"), "path_with_namespace");
    }

    /**
     * What the payload says of who acted beyond their account, kept as the contribution's raw record: the e-mail of
     * their GitLab profile. It never resolves identities (see {@link #actor}); a maintainer may be shown it as a hint
     * that a login and a git author e-mail are one person (merge suggestions), and decides.
     */
    private static String seen(JsonNode p) {
        JsonNode user = p.path("user");
        String email = user.path("email").asText("").strip(); // a hint: anything else is no e-mail
        if (email.length() > 320 || email.indexOf('@') <= 0 || email.chars().anyMatch(Character::isISOControl)) {
            return null; // absent, or "[REDACTED]" as GitLab sends it unless the user made it public
        }
        ObjectNode raw = JsonNodeFactory.instance.objectNode();
        raw.putObject("user").put("username", user.path("username").asText("")).put("email", email);
        return raw.toString();
    }

    /**
     * Who acted: GitLab vouches for the account (its username), not for the e-mail on its profile, which any user
     * types in (the e-mail stays in the raw payload). Resolving by it would let anyone take someone's identity, and
     * with it their wallet claims.
     */
    private ActorRef actor(JsonNode user) {
        String username = parse.login(user, "username");
        String name = user.path("name").asText(username);
        return new ActorRef(name, null, "gitlab:" + username, null, null,
                parse.optionalId(user, "id"));
    }
}
