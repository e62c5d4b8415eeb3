package dev.merit.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.contributor.WalletImport;
import dev.merit.problem.ProblemException;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.AbstractMap;
import java.util.List;
import java.util.Locale;

@Path("/api/wallets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Wallets", description = "Where contributors' payouts go")
public class WalletResource {

    public record ImportRow(@Schema(description = "A contributor id (#12), a login (github:ada, gitlab:ada; a bare "
            + "login is GitHub's), or an e-mail", examples = "github:ada") String identity,
                            @Schema(description = "0x and 40 hex digits; mixed case must be the EIP-55 checksum",
                                    examples = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed") String address) {
    }

    public record ImportRequest(@Schema(description = "At most 10,000 rows") List<ImportRow> rows) {
    }

    private final WalletImport walletImport;
    private final ObjectMapper json;

    public WalletResource(WalletImport walletImport, ObjectMapper json) {
        this.walletImport = walletImport;
        this.json = json;
    }

    @POST
    @Path("/import")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Link wallets in bulk (maintainers)", description = "A CSV file (text/csv) whose header names "
            + "the columns identity and address, or JSON {rows: [{identity, address}]}. Each row is resolved to a "
            + "contributor and its address checked; a contributor who has another wallet, or a wallet linked to someone "
            + "else, is a conflict, reported and never overwritten. With dryRun=true (or a bare dryRun) nothing "
            + "changes; otherwise the rows that are fine are linked in one transaction (settling the contributors' "
            + "open wallet claims) and the rest reported. The answer lists every row (line, identity, contributor, address, outcome: linked, unchanged, "
            + "conflict or error, and why) with counts. At most 10,000 rows and 2 MB.")
    @RequestBody(content = {
            @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING,
                    examples = "identity,address\ngithub:ada,0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\n")),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ImportRequest.class))})
    @APIResponse(responseCode = "200", description = "The report: what changed (or would), row by row")
    @APIResponse(responseCode = "400", description = "Not a CSV with the header identity,address (or not the JSON "
            + "shape), not UTF-8, or dryRun neither true nor false")
    @APIResponse(responseCode = "413", description = "More than 10,000 rows or 2 MB")
    public WalletImport.Report importWallets(
            @Parameter(description = "true: report what would change, change nothing") @QueryParam("dryRun") String dryRun,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body,
            @jakarta.ws.rs.core.Context jakarta.ws.rs.core.UriInfo uri) {
        boolean dry = dev.merit.problem.QueryParams.flag("dryRun", dryRun, uri);
        byte[] bytes = body == null ? new byte[0] : body;
        if (bytes.length > WalletImport.MAX_BYTES) {
            throw new ProblemException(ProblemException.Kind.TOO_LARGE, "import-too-large", "Import too large",
                    "The body has " + bytes.length + " bytes; a wallet import takes at most " + WalletImport.MAX_BYTES
                            + " (2 MB). Split it.", null);
        }
        List<WalletImport.Row> rows;
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).matches("\\s*application/([a-z0-9.+-]*\\+)?json.*")) {
            ImportRequest request;
            try {
                request = json.readValue(bytes, ImportRequest.class);
            } catch (JsonProcessingException e) {
                throw new BadRequestException(e); // a malformed-json problem (ProblemMappers)
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (request == null || request.rows() == null) {
                throw ProblemException.invalid("The body needs rows: {\"rows\": [{\"identity\": \"github:ada\", "
                        + "\"address\": \"0x...\"}]}.");
            }
            rows = WalletImport.numbered(request.rows().stream()
                    .map(r -> r == null ? null : new AbstractMap.SimpleImmutableEntry<>(r.identity(), r.address()))
                    .toList());
        } else {
            rows = WalletImport.parseCsv(bytes);
        }
        return walletImport.run(rows, dry);
    }
}
