package dev.merit.ingest.kafka;

import dev.merit.ingest.OccurredAt;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.contributor.ActorRef;
import dev.merit.contributor.Identity;
import dev.merit.ingest.ContributionEvent;
import dev.merit.ingest.ContributionMetrics;
import dev.merit.ingest.webhook.SourceEvents;
import io.cloudevents.CloudEvent;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Contribution events on Kafka: CloudEvents 1.0 of type {@value #TYPE} whose data (JSON) is
 * <pre>
 * {"externalId": "pr-42", "kind": "pull_request|review|issue|comment|commit", "occurredAt": "2026-01-02T03:04:05Z",
 *  "repository": "org/repo", "actor": {"name": "Ann", "email": "ann@example.com", "login": "github:ann"},
 *  "coActors": [...], "title": "...", "body": "...", "size": 10,
 *  "links": [{"to": "issue-7", "kind": "closes"}]}
 * </pre>
 * The contribution's identity is ({@code kafka}, ce-source + "|" + externalId): redelivery and republishing store
 * it once. Events of type {@value #VERDICT} decline, reinstate or withdraw a contribution published before (same
 * ce-source). Anything else is rejected with a reason (dead-lettered by the consumer).
 */
public final class ContributionCloudEvents {

    public static final String TYPE = "dev.merit.contribution.v1";
    /** A verdict on a contribution: {@code {"externalId", "verdict": "declined|reinstated|withdrawn", "reason", "at"}}. */
    public static final String VERDICT = "dev.merit.contribution-verdict.v1";
    public static final String SOURCE = "kafka";
    private static final Pattern ADDRESS = Pattern.compile("[^@]+@[^@]+");
    /** A forge ("github", "gitlab.example.com"; in any case, as logins are) and its login. */
    private static final Pattern FORGE_LOGIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}:.+");
    /** A link's kind, as edge weights name it (merit.scoring.graph.edge-weights.KIND). */
    private static final Pattern LINK_KIND = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    /** More co-actors than a contribution has people: a publisher's fault, refused (and bounded). */
    static final int MAX_CO_ACTORS = 100;
    private static final Set<String> KINDS = Set.of("commit", "pull_request", "review", "issue", "comment");

    /** A rejected event and why. */
    public static final class Invalid extends Exception {
        public Invalid(String reason) {
            super(reason);
        }
    }

    private final ObjectMapper json;
    /** Plain JSON, numbers as numbers: none of the API's settings (exact numbers written as text) applies. */
    private static final ObjectMapper PLAIN = new ObjectMapper();
    /** Keys sorted, every character past ASCII escaped: the same data always reads back the same from any column. */
    private static final com.fasterxml.jackson.databind.ObjectWriter CANONICAL = PLAIN.writer()
            .with(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII);

    public ContributionCloudEvents(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The event's data as stored with its contribution ({@code raw}): the evidence of what the publisher said (an
     * {@code occurredAt} out of range is kept as sent), and what a republish is compared with.
     */
    private static String canonical(JsonNode data) throws Invalid {
        try {
            return CANONICAL.writeValueAsString(PLAIN.treeToValue(data, Object.class));
        } catch (IOException e) {
            throw new Invalid("data cannot be read back: " + e.getMessage());
        }
    }

    /**
     * Whether two events' data ({@code raw}) say the same of their contribution: equal as JSON, links apart (a
     * republish may add a link, stored as before). Unreadable stored data is taken as the same (nothing to compare).
     */
    static boolean sameContent(String stored, String sent) {
        if (stored.equals(sent)) {
            return true;
        }
        try {
            JsonNode a = PLAIN.readTree(stored);
            JsonNode b = PLAIN.readTree(sent);
            if (a instanceof com.fasterxml.jackson.databind.node.ObjectNode x
                    && b instanceof com.fasterxml.jackson.databind.node.ObjectNode y) {
                x.remove("links");
                y.remove("links");
            }
            return a.equals(b);
        } catch (IOException e) {
            return true;
        }
    }

    public SourceEvents parse(CloudEvent event) throws Invalid {
        if (!TYPE.equals(event.getType()) && !VERDICT.equals(event.getType())) {
            throw new Invalid("unknown event type '" + event.getType() + "' (expected " + TYPE + " or " + VERDICT + ")");
        }
        if (event.getData() == null) {
            throw new Invalid("the event has no data");
        }
        JsonNode d;
        try {
            d = json.readTree(event.getData().toBytes());
        } catch (IOException e) {
            throw new Invalid("data is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (d == null || !d.isObject()) {
            throw new Invalid("data must be a JSON object");
        }
        String prefix = event.getSource().toString() + "|";
        String externalId = prefix + text(d, "externalId");
        if (externalId.length() > 255) {
            throw new Invalid("source + externalId is longer than 255 characters");
        }
        if (VERDICT.equals(event.getType())) {
            return verdict(d, externalId);
        }
        String kind = text(d, "kind");
        if (!KINDS.contains(kind)) {
            throw new Invalid("kind '" + kind + "' is not one of " + KINDS);
        }
        Instant at;
        try {
            at = OccurredAt.clamp(Instant.parse(text(d, "occurredAt")));
        } catch (DateTimeParseException e) {
            throw new Invalid("occurredAt is not an ISO-8601 instant");
        }
        ActorRef actor = actor(d.get("actor"), "actor");
        List<ActorRef> co = new ArrayList<>();
        JsonNode coActors = d.path("coActors");
        if (!coActors.isMissingNode() && !coActors.isNull() && !coActors.isArray()) {
            throw new Invalid("coActors must be a list");
        }
        if (coActors.size() > MAX_CO_ACTORS) {
            throw new Invalid("coActors lists " + coActors.size() + " actors; at most " + MAX_CO_ACTORS);
        }
        for (JsonNode c : coActors) {
            co.add(actor(c, "coActors[]"));
        }
        // Absent or null: 0. Anything else must be a whole number in range: "12abc", 1e100, true or 2^32 + 10 was read
        // as 0, 0, 1 and 10 before, and stored.
        JsonNode sizeNode = d.get("size");
        if (sizeNode != null && !sizeNode.isNull() && !(sizeNode.isIntegralNumber() && sizeNode.canConvertToInt())) {
            throw new Invalid("size must be a whole number from 0 to 100000");
        }
        int size = sizeNode == null ? 0 : sizeNode.asInt(0);
        if (size < 0 || size > 100_000) {
            throw new Invalid("size must be a whole number from 0 to 100000");
        }
        String title = optionalText(d, "title", "data");
        String body = optionalText(d, "body", "data");
        ContributionEvent contribution = new ContributionEvent(SOURCE, externalId, kind, at,
                optionalText(d, "repository", "data"), null, actor, co, title == null ? "" : title,
                body == null ? "" : body, ContributionMetrics.ofEffective(size), List.of(), canonical(d));
        List<SourceEvents.Link> links = new ArrayList<>();
        JsonNode linkList = d.path("links");
        if (!linkList.isMissingNode() && !linkList.isNull() && !linkList.isArray()) {
            throw new Invalid("links must be a list");
        }
        for (JsonNode l : linkList) {
            String linkKind = text(l, "kind");
            if (!LINK_KIND.matcher(linkKind).matches() || linkKind.equalsIgnoreCase("withdraws")) {
                throw new Invalid("link kind '" + linkKind + "' is not one: a word such as closes or reviews (a "
                        + "withdrawal is a verdict, " + VERDICT + ")");
            }
            links.add(new SourceEvents.Link(externalId, prefix + text(l, "to"), linkKind));
        }
        return new SourceEvents(List.of(contribution), links, List.of(), null);
    }

    /**
     * A verdict on a contribution published before: {@code declined} (scoring gives it the declined factor),
     * {@code reinstated} (takes that back; the newest verdict by {@code at} wins) or {@code withdrawn} (paid nothing
     * from then on, as a deletion on a forge).
     */
    private static SourceEvents verdict(JsonNode d, String externalId) throws Invalid {
        String verdict = text(d, "verdict");
        String reason = d.path("reason").asText("").strip();
        Instant at;
        try {
            at = OccurredAt.clamp(Instant.parse(text(d, "at")));
        } catch (DateTimeParseException e) {
            throw new Invalid("at is not an ISO-8601 instant");
        }
        return switch (verdict) {
            case "declined", "reinstated" -> SourceEvents.state(new SourceEvents.StateChange(externalId,
                    verdict.equals("declined"), reason.isEmpty() ? verdict : reason, at));
            case "withdrawn" -> SourceEvents.withdrawn(externalId);
            default -> throw new Invalid("verdict '" + verdict + "' is not one of [declined, reinstated, withdrawn]");
        };
    }

    /**
     * An actor: an e-mail address, a login that names its forge ("github:ann"), or both, and a name. The publisher's
     * word pairs the two ({@link ActorRef#asserted}): the work is credited to whom either names, and neither is linked
     * to the other.
     */
    private static ActorRef actor(JsonNode a, String where) throws Invalid {
        if (a == null || !a.isObject()) {
            throw new Invalid(where + " is missing or not an object");
        }
        String email = optionalText(a, "email", where);
        String login = optionalText(a, "login", where);
        if (email == null && login == null) {
            throw new Invalid(where + " needs an e-mail address or a login (unknown contributor format)");
        }
        if (email != null && (!ADDRESS.matcher(email).matches() || !Identity.wellFormedLogin(email))) {
            throw new Invalid(where + ".email is not an e-mail address");
        }
        if (login != null && !FORGE_LOGIN.matcher(login).matches()) {
            throw new Invalid(where + ".login must name its forge, e.g. github:ann");
        }
        if (login != null && !Identity.wellFormedLogin(login)) {
            throw new Invalid(where + ".login holds a space, a control or invisible character or half of a character");
        }
        String name = optionalText(a, "name", where);
        return ActorRef.asserted(name != null ? name : login != null ? login : email, email, login);
    }

    /** A text field, absent or null for none; blank is none too. Another kind of value refuses the event. */
    private static String optionalText(JsonNode n, String field, String where) throws Invalid {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new Invalid(where + "." + field + " must be text");
        }
        return v.asText().isBlank() ? null : v.asText();
    }

    private static String text(JsonNode n, String field) throws Invalid {
        JsonNode v = n.get(field);
        if (v == null || !v.isValueNode() || v.asText().isBlank()) {
            throw new Invalid("'" + field + "' is missing");
        }
        return v.asText();
    }

    /**
     * The CloudEvent a record carries: binary mode (its {@code ce_} headers) or structured (with or without a
     * content-type header); a value over {@code maxBytes} is refused before it is read.
     */
    static CloudEvent decode(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record, int maxBytes,
                             io.cloudevents.kafka.CloudEventDeserializer cloudEvents,
                             io.cloudevents.core.format.EventFormat structured) throws Invalid {
        byte[] value = record.value();
        if (value != null && value.length > maxBytes) {
            throw new Invalid("oversize: " + value.length + " bytes, the limit is " + maxBytes
                    + " (merit.kafka.max-event-bytes)");
        }
        boolean hasCloudEventHeaders = record.headers().lastHeader("ce_specversion") != null
                || record.headers().lastHeader("content-type") != null;
        if (hasCloudEventHeaders) {
            return cloudEvents.deserialize(record.topic(), record.headers(), value);
        }
        if (value == null) {
            throw new Invalid("empty record and no CloudEvent headers");
        }
        // A structured event published without a content-type header.
        return structured.deserialize(value);
    }
}
