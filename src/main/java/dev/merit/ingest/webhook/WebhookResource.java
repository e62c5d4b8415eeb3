package dev.merit.ingest.webhook;

import dev.merit.security.Access;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.problem.ProblemException;
import dev.merit.problem.ProblemMappers;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

@Path("/api/webhooks")
@Access(Access.Role.SOURCE)
@Tag(name = "Webhooks", description = "Contributions from forges and CI, verified and de-duplicated")
public class WebhookResource {

    private static final Logger LOG = Logger.getLogger(WebhookResource.class);

    /** What Merit did with a delivery. */
    public record Receipt(String delivery, String event, String outcome, int contributions, String detail) {
    }

    private final WebhookConfig config;
    private final WebhookService service;
    private final ObjectMapper json;
    private final GitHubEvents github;
    private final GitLabEvents gitlab;
    private final JiraEvents jira;

    private final ForgeRepositories repositories;

    public WebhookResource(WebhookConfig config, WebhookService service, ObjectMapper json,
                           ForgeRepositories repositories) {
        this.repositories = repositories;
        this.config = config;
        this.service = service;
        this.json = json;
        Set<String> declining = config.decliningLabels().stream().map(SourceParsing::labelKey)
                .collect(Collectors.toUnmodifiableSet());
        this.github = new GitHubEvents(config.points(), declining);
        this.gitlab = new GitLabEvents(config.points(), declining);
        this.jira = new JiraEvents(config.points());
    }

    @POST
    @Path("/github")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "GitHub webhook", description = "Verifies X-Hub-Signature-256 (HMAC-SHA256 of the body with "
            + "merit.webhooks.github.secret, compared in constant time), de-duplicates by X-GitHub-Delivery, and maps "
            + "pull_request, pull_request_review, issues, issue_comment, workflow_run and check_suite to contributions, "
            + "links and CI results. Content type application/json, or GitHub's form (payload=<JSON>), whose "
            + "signature covers the form as sent.")
    @APIResponse(responseCode = "200", description = "Stored, or a replay of a delivery already processed (nothing stored)")
    @APIResponse(responseCode = "202", description = "Accepted and ignored: an event or action Merit does not count")
    @APIResponse(responseCode = "400", description = "Malformed JSON, missing headers or fields")
    @APIResponse(responseCode = "401", description = "Missing or wrong signature; nothing stored")
    @APIResponse(responseCode = "413", description = "Body larger than merit.webhooks.max-body-bytes")
    @APIResponse(responseCode = "503", description = "No GitHub webhook secret configured")
    public Response github(@HeaderParam("X-GitHub-Event") String event,
                           @HeaderParam("X-GitHub-Delivery") String delivery,
                           @HeaderParam("X-Hub-Signature-256") String signature,
                           @HeaderParam("Content-Type") String contentType,
                           byte[] body) throws JsonProcessingException {
        String secret = configured(config.github().secret(), "GitHub", "merit.webhooks.github.secret");
        byte[] payload = limited(body);
        if (!validSignature(secret, payload, signature)) {
            throw badSignature(signature == null, "X-Hub-Signature-256", "GitHub");
        }
        requireHeaders(event, delivery, "X-GitHub-Event", "X-GitHub-Delivery");
        if (contentType != null && contentType.strip().toLowerCase(Locale.ROOT)
                .startsWith(MediaType.APPLICATION_FORM_URLENCODED)) {
            payload = formPayload(payload);
        }
        return handle(GitHubEvents.SOURCE, event, delivery, payload, root -> inScope(
                root.path("repository").path("full_name").asText(""), () -> {
                    repositories.keyByFirstName(GitHubEvents.SOURCE, root, "repository", "full_name");
                    return github.map(event, root);
                }));
    }

    @POST
    @Path("/gitlab")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "GitLab webhook", description = "Checks X-Gitlab-Token against merit.webhooks.gitlab.token "
            + "(constant time), de-duplicates by Idempotency-Key (else X-Gitlab-Event-UUID with the body's digest), and maps merge_request "
            + "(opened, merged, approved), issue (opened, closed), note and pipeline to contributions, links and CI results.")
    @APIResponse(responseCode = "200", description = "Stored, or a replay (nothing stored)")
    @APIResponse(responseCode = "202", description = "Accepted and ignored")
    @APIResponse(responseCode = "400", description = "Malformed JSON, missing headers or fields")
    @APIResponse(responseCode = "401", description = "Missing or wrong token; nothing stored")
    @APIResponse(responseCode = "413", description = "Body too large")
    @APIResponse(responseCode = "503", description = "No GitLab token configured")
    public Response gitlab(@HeaderParam("X-Gitlab-Event") String event,
                           @HeaderParam("X-Gitlab-Event-UUID") String uuid,
                           @HeaderParam("Idempotency-Key") String idempotencyKey,
                           @HeaderParam("X-Gitlab-Token") String token,
                           byte[] body) throws JsonProcessingException {
        String expected = configured(config.gitlab().token(), "GitLab", "merit.webhooks.gitlab.token");
        byte[] payload = limited(body);
        if (token == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8))) {
            throw badSignature(token == null, "X-Gitlab-Token", "GitLab");
        }
        requireHeaders(event, idempotencyKey != null && !idempotencyKey.isBlank() ? idempotencyKey : uuid,
                "X-Gitlab-Event", "Idempotency-Key or X-Gitlab-Event-UUID");
        return handle(GitLabEvents.SOURCE, event, gitlabDelivery(idempotencyKey, uuid, payload), payload, root -> inScope(
                root.path("project").path("path_with_namespace").asText(""), () -> {
                    repositories.keyByFirstName(GitLabEvents.SOURCE, root, "project", "path_with_namespace");
                    return gitlab.map(root);
                }));
    }

    /**
     * The events of a repository merit.webhooks.repositories names (all, when it is not set): an organisation's or a
     * group's hook sends every repository's, and a sandbox repository a member made would otherwise be paid.
     */
    private SourceEvents inScope(String repository, java.util.function.Supplier<SourceEvents> map) {
        Optional<List<String>> scope = config.repositories();
        if (scope.isEmpty() || scope.get().stream().anyMatch(pattern -> matches(pattern.strip(), repository))) {
            return map.get();
        }
        return SourceEvents.ignored("repository '" + (repository.isEmpty() ? "(none named)" : repository)
                + "' is not one of merit.webhooks.repositories: its events count for nothing here");
    }

    /** owner/name, or owner/* for every repository of the owner (GitLab: group/*, subgroups included); no case. */
    public static boolean matches(String pattern, String repository) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String r = repository.toLowerCase(Locale.ROOT);
        return p.endsWith("/*") ? r.startsWith(p.substring(0, p.length() - 1)) && r.length() > p.length() - 1
                : !p.isEmpty() && p.equals(r);
    }

    /**
     * What identifies one GitLab delivery across its retries: Idempotency-Key, which GitLab keeps for every retry of a
     * delivery (recent GitLab versions send it). X-Gitlab-Event-UUID is not enough alone: it is GitLab's recursion detection, passed on
     * to every hook an API call made while handling a hook fires (a bot closing the issue it was told about), so two
     * different events can carry it; without an Idempotency-Key it is taken with the body's digest.
     */
    static String gitlabDelivery(String idempotencyKey, String uuid, byte[] payload) {
        if (idempotencyKey != null && !idempotencyKey.isBlank()) {
            return idempotencyKey.strip();
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(payload);
            String id = uuid.strip();
            return (id.length() > 90 ? id.substring(0, 90) : id) + ":" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @POST
    @Path("/jira")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Jira webhook", description = "Verifies X-Hub-Signature (sha256=HMAC-SHA256 of the body with "
            + "merit.webhooks.jira.secret), de-duplicates by X-Atlassian-Webhook-Identifier, and maps issue created "
            + "and resolved to contributions.")
    @APIResponse(responseCode = "200", description = "Stored, or a replay (nothing stored)")
    @APIResponse(responseCode = "202", description = "Accepted and ignored")
    @APIResponse(responseCode = "400", description = "Malformed JSON, missing headers or fields")
    @APIResponse(responseCode = "401", description = "Missing or wrong signature; nothing stored")
    @APIResponse(responseCode = "413", description = "Body too large")
    @APIResponse(responseCode = "503", description = "No Jira secret configured")
    public Response jira(@HeaderParam("X-Atlassian-Webhook-Identifier") String delivery,
                         @HeaderParam("X-Hub-Signature") String signature,
                         byte[] body) throws JsonProcessingException {
        String secret = configured(config.jira().secret(), "Jira", "merit.webhooks.jira.secret");
        byte[] payload = limited(body);
        if (!validSignature(secret, payload, signature)) {
            throw badSignature(signature == null, "X-Hub-Signature", "Jira");
        }
        requireHeaders("jira", delivery, "-", "X-Atlassian-Webhook-Identifier");
        return handle(JiraEvents.SOURCE, "jira", delivery, payload, jira::map);
    }

    private Response handle(String source, String event, String delivery, byte[] payload,
                            Function<JsonNode, SourceEvents> mapper) throws JsonProcessingException {
        if (service.seen(source, delivery)) {
            return Response.ok(new Receipt(delivery, event, "duplicate", 0,
                    "delivery " + delivery + " was processed before; nothing stored again")).build();
        }
        JsonNode root;
        try {
            // Not JSON: the API's own malformed-json problem, with where the parser stopped.
            root = json.readTree(payload);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw ProblemException.invalid("The body could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw ProblemException.invalid("The body must be a JSON object.");
        }
        SourceEvents mapped = mapper.apply(root);
        WebhookService.Outcome outcome = null;
        for (int attempt = 1; outcome == null; attempt++) {
            try {
                outcome = service.record(source, delivery, event, mapped);
            } catch (RuntimeException e) {
                if (service.seen(source, delivery)) {
                    outcome = new WebhookService.Outcome("duplicate", "delivery " + delivery
                            + " was processed concurrently; nothing stored again", 0);
                } else if (attempt >= 3 || ProblemMappers.uniqueConflict(e).isEmpty()) {
                    throw e;
                }
                // Another delivery stored the same new account or contribution at this moment, and nothing of this one
                // was kept: stored again, it finds theirs. Forges do not all send a refused delivery again by themselves.
            }
        }
        if (outcome.outcome().equals("ignored")) {
            LOG.infof("%s delivery %s (%s) ignored: %s", source, delivery, event, outcome.detail());
        }
        Receipt receipt = new Receipt(delivery, event, outcome.outcome(), outcome.contributions(), outcome.detail());
        return Response.status(outcome.outcome().equals("ignored") ? 202 : 200).entity(receipt).build();
    }

    private static String configured(Optional<String> secret, String forge, String key) {
        return secret.filter(s -> !s.isBlank()).orElseThrow(() -> new ProblemException(ProblemException.Kind.UNAVAILABLE, "webhook-not-configured",
                forge + " webhooks are off", "Set " + key + " (" + key.toUpperCase(Locale.ROOT)
                .replace('.', '_').replace('-', '_') + ") to the secret configured on the " + forge + " webhook.", null));
    }

    /**
     * The JSON of a GitHub delivery sent as a form (a hook's content type left at GitHub's default): the value of its
     * {@code payload} field. The signature was checked over the form as sent, as GitHub signs it.
     */
    static byte[] formPayload(byte[] form) {
        for (String field : new String(form, StandardCharsets.UTF_8).split("&")) {
            if (field.startsWith("payload=")) {
                try {
                    return java.net.URLDecoder.decode(field.substring("payload=".length()), StandardCharsets.UTF_8)
                            .getBytes(StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw ProblemException.invalid("The form's 'payload' is not URL-encoded: " + e.getMessage() + ".");
                }
            }
        }
        throw ProblemException.invalid("A form delivery carries its JSON in a field named 'payload', and this one has "
                + "none. Set the webhook's content type to application/json, or send payload=<JSON>.");
    }

    private byte[] limited(byte[] body) {
        byte[] payload = body == null ? new byte[0] : body;
        if (payload.length > config.maxBodyBytes()) {
            throw new ProblemException(ProblemException.Kind.TOO_LARGE, "payload-too-large", "Payload too large", "The body has " + payload.length
                    + " bytes; the limit is " + config.maxBodyBytes() + " (merit.webhooks.max-body-bytes).", null);
        }
        return payload;
    }

    private static ProblemException badSignature(boolean missing, String header, String forge) {
        return new ProblemException(ProblemException.Kind.NOT_SIGNED_IN, "bad-signature", "Signature does not match", missing
                ? header + " is missing. Configure a secret on the " + forge + " webhook."
                : header + " does not match the configured secret; check that " + forge + " and Merit have the same "
                + "secret.", null);
    }

    private static void requireHeaders(String event, String delivery, String eventHeader, String deliveryHeader) {
        if (event == null || event.isBlank() || delivery == null || delivery.isBlank()) {
            throw ProblemException.invalid("-".equals(eventHeader) ? deliveryHeader + " is required."
                    : eventHeader + " and " + deliveryHeader + " are required.");
        }
        if (delivery.length() > 128) {
            throw ProblemException.invalid(deliveryHeader + " is longer than 128 characters.");
        }
        if (event.length() > 64) {
            throw ProblemException.invalid(("-".equals(eventHeader) ? "The event name" : eventHeader)
                    + " is longer than 64 characters.");
        }
    }

    static boolean validSignature(String secret, byte[] body, String header) {
        if (header == null || !header.startsWith("sha256=")) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.substring("sha256=".length()).strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmac(secret, body), given);
    }

    /** HMAC-SHA256 of a body with a webhook secret, as forges sign deliveries. */
    public static byte[] hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
