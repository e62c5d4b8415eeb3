package dev.merit.ingest.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.problem.Problem;
import dev.merit.problem.ProblemException;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
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

    public WebhookResource(WebhookConfig config, WebhookService service, ObjectMapper json) {
        this.config = config;
        this.service = service;
        this.json = json;
        this.github = new GitHubEvents(config.points());
    }

    @POST
    @Path("/github")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "GitHub webhook", description = "Verifies X-Hub-Signature-256 (HMAC-SHA256 of the body with "
            + "merit.webhooks.github.secret, compared in constant time), de-duplicates by X-GitHub-Delivery, and maps "
            + "pull_request, pull_request_review, issues, issue_comment, workflow_run and check_suite to contributions, "
            + "links and CI results. Content type application/json.")
    @APIResponse(responseCode = "200", description = "Stored, or a replay of a delivery already processed (nothing stored)")
    @APIResponse(responseCode = "202", description = "Accepted and ignored: an event or action Merit does not count")
    @APIResponse(responseCode = "400", description = "Malformed JSON, missing headers or fields",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "Missing or wrong signature; nothing stored",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body larger than merit.webhooks.max-body-bytes",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "No GitHub webhook secret configured",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response github(@HeaderParam("X-GitHub-Event") String event,
                           @HeaderParam("X-GitHub-Delivery") String delivery,
                           @HeaderParam("X-Hub-Signature-256") String signature,
                           byte[] body) {
        String secret = config.github().secret().filter(s -> !s.isBlank()).orElseThrow(() -> new ProblemException(503,
                "webhook-not-configured", "GitHub webhooks are off", "Set merit.webhooks.github.secret "
                + "(MERIT_WEBHOOKS_GITHUB_SECRET) to the secret configured on the GitHub webhook.", null));
        byte[] payload = body == null ? new byte[0] : body;
        if (payload.length > config.maxBodyBytes()) {
            throw new ProblemException(413, "payload-too-large", "Payload too large", "The body has " + payload.length
                    + " bytes; the limit is " + config.maxBodyBytes() + " (merit.webhooks.max-body-bytes).", null);
        }
        if (!validSignature(secret, payload, signature)) {
            throw new ProblemException(401, "bad-signature", "Signature does not match", signature == null
                    ? "X-Hub-Signature-256 is missing. Configure a secret on the GitHub webhook."
                    : "X-Hub-Signature-256 does not match the body signed with the configured secret; check that "
                    + "GitHub and Merit have the same secret.", null);
        }
        if (event == null || event.isBlank() || delivery == null || delivery.isBlank()) {
            throw ProblemException.invalid("X-GitHub-Event and X-GitHub-Delivery are required.");
        }
        if (delivery.length() > 128) {
            throw ProblemException.invalid("X-GitHub-Delivery is longer than 128 characters.");
        }
        if (service.seen(GitHubEvents.SOURCE, delivery)) {
            return Response.ok(new Receipt(delivery, event, "duplicate", 0,
                    "delivery " + delivery + " was processed before; nothing stored again")).build();
        }
        JsonNode root;
        try {
            root = json.readTree(payload);
        } catch (JsonProcessingException e) {
            throw ProblemException.invalid("The body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ProblemException.invalid("The body could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw ProblemException.invalid("The body must be a JSON object.");
        }
        SourceEvents mapped = github.map(event, root);
        WebhookService.Outcome outcome;
        try {
            outcome = service.record(GitHubEvents.SOURCE, delivery, event, mapped);
        } catch (PersistenceException e) {
            if (service.seen(GitHubEvents.SOURCE, delivery)) {
                outcome = new WebhookService.Outcome("duplicate", "delivery " + delivery
                        + " was processed concurrently; nothing stored again", 0);
            } else {
                throw e;
            }
        }
        if (outcome.outcome().equals("ignored")) {
            LOG.infof("GitHub delivery %s (%s) ignored: %s", delivery, event, outcome.detail());
        }
        Receipt receipt = new Receipt(delivery, event, outcome.outcome(), outcome.contributions(), outcome.detail());
        return Response.status(outcome.outcome().equals("ignored") ? 202 : 200).entity(receipt).build();
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

    static byte[] hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
