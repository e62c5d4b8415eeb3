package dev.merit.ingest.webhook;

import dev.merit.audit.StoredText;
import dev.merit.ingest.ContributionEvent;
import dev.merit.ingest.OccurredAt;

import java.time.Instant;
import java.util.List;

/**
 * What one webhook delivery means: contributions, links between them, CI outcomes, the forge's verdict on an issue or
 * pull request, or why it was ignored.
 */
public record SourceEvents(List<ContributionEvent> contributions, List<Link> links, List<CiResult> ciResults,
                           List<StateChange> states, String ignored, boolean textIsTheActors) {

    public SourceEvents(List<ContributionEvent> contributions, List<Link> links, List<CiResult> ciResults,
                        List<StateChange> states, String ignored) {
        this(contributions, links, ciResults, states, ignored, true);
    }

    public SourceEvents(List<ContributionEvent> contributions, List<Link> links, List<CiResult> ciResults, String ignored) {
        this(contributions, links, ciResults, List.of(), ignored);
    }

    /**
     * The same events, whose text is not read as its actor's words (a wallet-claim code in it proves nothing): a pull
     * request's description at merge time, which anyone with write access may have edited since its author opened it.
     */
    public SourceEvents notTheActorsWords() {
        return new SourceEvents(contributions, links, ciResults, states, ignored, false);
    }

    /**
     * Most issues one description closes. A description is its author's text ("fixes #1 ... fixes #434259" in 5 MB
     * took 27 s to store, and slowed every later scoring of the epoch); real pull requests close a handful.
     */
    public static final int MAX_CLOSED_ISSUES = 50;

    /**
     * The "closes" links of {@code text} from {@code from}: each distinct issue number {@code closing} finds (its first
     * group), in order of first mention, at most {@link #MAX_CLOSED_ISSUES}; {@code issue} names the issue of a number.
     */
    public static List<Link> closing(String from, String text, java.util.regex.Pattern closing,
                                     java.util.function.Function<String, String> issue) {
        java.util.Set<String> numbers = new java.util.LinkedHashSet<>();
        java.util.regex.Matcher m = closing.matcher(text);
        while (numbers.size() < MAX_CLOSED_ISSUES && m.find()) {
            numbers.add(m.group(1).replaceFirst("^0+(?=.)", ""));
        }
        return numbers.stream().map(n -> new Link(from, issue.apply(n), "closes")).toList();
    }

    /** {@code from} points at {@code to} (a review of a pull request, a pull request closing an issue). */
    public record Link(String fromExternalId, String toExternalId, String kind) {
        public Link {
            fromExternalId = StoredText.key(fromExternalId, 255);
            toExternalId = StoredText.key(toExternalId, 255);
            kind = StoredText.fit(kind, 32); // a Kafka event names its own kinds; an unknown one links nothing
        }
    }

    /** A CI run's outcome for the commit it ran on. */
    public record CiResult(String externalId, String repository, String headSha, String conclusion, Instant completedAt) {
        public CiResult {
            externalId = StoredText.key(externalId, 255);
            repository = StoredText.fit(repository, 512);
            headSha = StoredText.fit(headSha, 64); // a commit id is 40 (SHA-1) or 64 (SHA-256) characters
            conclusion = StoredText.fit(conclusion, 32);
            completedAt = completedAt == null ? null : OccurredAt.clamp(completedAt);
        }
    }

    /**
     * The forge declined {@code externalId} (an issue closed as not planned or duplicate, a pull request closed
     * without merge), or took it back up ({@code declined} false: reopened, completed, merged), at {@code at}.
     */
    public record StateChange(String externalId, boolean declined, String reason, Instant at) {
        public StateChange {
            externalId = StoredText.key(externalId, 255);
            reason = StoredText.fit(reason, 255);
            at = at == null ? null : OccurredAt.clamp(at);
        }
    }

    /**
     * A contribution the forge deleted (spam and abuse are what maintainers delete): a {@code withdraws} link to it,
     * so scoring runs from now on pay it nothing and say why; runs before keep what they paid.
     */
    public static SourceEvents withdrawn(String id) {
        return new SourceEvents(List.of(), List.of(new Link(id + "/deleted", id, "withdraws")), List.of(), null);
    }

    /** Only a change of state: the delivery adds no contribution. */
    public static SourceEvents state(StateChange change) {
        return new SourceEvents(List.of(), List.of(), List.of(), List.of(change), null);
    }

    public static SourceEvents ignored(String why) {
        return new SourceEvents(List.of(), List.of(), List.of(), why);
    }

    public boolean isIgnored() {
        return ignored != null;
    }
}
