package dev.merit.contributor;

import java.time.OffsetDateTime;
import dev.merit.problem.ProblemException;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Sign-In with Ethereum message (EIP-4361), parsed strictly: the header line with the domain, the address, an
 * optional statement, then the fields in the order the standard gives them. Anything else is refused with the line
 * that is wrong, so a wallet user sees why.
 */
public record SiweMessage(String scheme, String domain, String address, String statement, String uri, String version,
                          long chainId, String nonce, Instant issuedAt, Instant expirationTime, Instant notBefore,
                          String requestId, List<String> resources) {

    private static final String HEADER = " wants you to sign in with your Ethereum account:";
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final Pattern DECIMAL = Pattern.compile("[1-9][0-9]{0,17}|0");
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9]{8,}");
    private static final List<String> FIELDS = List.of("URI", "Version", "Chain ID", "Nonce", "Issued At",
            "Expiration Time", "Not Before", "Request ID");
    private static final List<String> REQUIRED = List.of("URI", "Version", "Chain ID", "Nonce", "Issued At");

    public static SiweMessage parse(String text) {
        if (text == null || text.isBlank()) {
            throw bad("the message is empty");
        }
        List<String> lines = List.of(text.replace("\r\n", "\n").split("\n", -1));
        for (int n = 0; n < lines.size(); n++) {
            // What a wallet shows must be what is signed: no NUL, no direction override, no zero-width character.
            if (lines.get(n).codePoints().anyMatch(dev.merit.audit.RecordedText::unseen)) {
                throw bad("line " + (n + 1) + " holds a control or invisible character");
            }
        }
        String header = lines.get(0);
        if (!header.endsWith(HEADER)) {
            throw bad("the first line must be '<domain> wants you to sign in with your Ethereum account:'");
        }
        String domain = header.substring(0, header.length() - HEADER.length());
        String scheme = null;
        int schemeEnd = domain.indexOf("://");
        if (schemeEnd > 0) {
            scheme = domain.substring(0, schemeEnd);
            domain = domain.substring(schemeEnd + 3);
        }
        if (domain.isEmpty() || domain.contains(" ") || domain.contains("/")) {
            throw bad("'" + domain + "' is not a domain (host and optional port)");
        }
        if (lines.size() < 4 || !ADDRESS.matcher(lines.get(1)).matches()) {
            throw bad("the second line must be the 0x address");
        }
        String address = lines.get(1);
        if (!lines.get(2).isEmpty()) {
            throw bad("a blank line must follow the address");
        }
        int i = 3;
        String statement = null;
        if (!lines.get(i).isEmpty() && !lines.get(i).startsWith("URI: ")) {
            statement = lines.get(i++);
            if (statement.contains("\n")) {
                throw bad("the statement must be one line");
            }
        }
        if (i < lines.size() && lines.get(i).isEmpty()) {
            i++;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        List<String> resources = new ArrayList<>();
        int order = -1;
        for (; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty() && i == lines.size() - 1) {
                break; // a trailing newline
            }
            if (line.equals("Resources:")) {
                for (i++; i < lines.size() && lines.get(i).startsWith("- "); i++) {
                    resources.add(lines.get(i).substring(2));
                }
                if (i < lines.size() && !(lines.get(i).isEmpty() && i == lines.size() - 1)) {
                    throw bad("nothing may follow the resources, found '" + lines.get(i) + "'");
                }
                break;
            }
            int colon = line.indexOf(": ");
            String key = colon < 0 ? line : line.substring(0, colon);
            int at = FIELDS.indexOf(key);
            if (colon < 0 || at < 0) {
                throw bad("'" + line + "' is not a field of a Sign-In with Ethereum message");
            }
            if (at <= order) {
                throw bad("field '" + key + "' is repeated or out of order");
            }
            order = at;
            fields.put(key, line.substring(colon + 2));
        }
        for (String required : REQUIRED) {
            if (!fields.containsKey(required)) {
                throw bad("the '" + required + "' field is missing");
            }
        }
        if (!"1".equals(fields.get("Version"))) {
            throw bad("Version must be 1, got '" + fields.get("Version") + "'");
        }
        long chainId = number(fields.get("Chain ID"), "Chain ID");
        String nonce = fields.get("Nonce");
        if (!NONCE.matcher(nonce).matches()) {
            throw bad("Nonce must be at least 8 letters or digits");
        }
        return new SiweMessage(scheme, domain, address, statement, fields.get("URI"), "1", chainId, nonce,
                time(fields, "Issued At"), time(fields, "Expiration Time"), time(fields, "Not Before"),
                fields.get("Request ID"), List.copyOf(resources));
    }

    /** The contributor a {@code urn:merit:contributor:<id>} resource asks to link the wallet to, if any. */
    public Optional<Long> contributorToLink() {
        for (String r : resources) {
            if (r.startsWith(SiweService.CONTRIBUTOR_RESOURCE)) {
                return Optional.of(number(r.substring(SiweService.CONTRIBUTOR_RESOURCE.length()),
                        "resource '" + r + "'"));
            }
        }
        return Optional.empty();
    }

    /**
     * A number as people write it: ASCII digits, no sign, no leading zero (Java's parser also takes "+31337",
     * "031337" and digits of other scripts, which a person checking the message would not read as the same number).
     */
    private static long number(String value, String what) {
        if (!DECIMAL.matcher(value).matches()) {
            throw bad(what + " must be a number in digits 0-9 without sign or leading zero, got '" + value + "'");
        }
        return Long.parseLong(value);
    }

    private static Instant time(Map<String, String> fields, String key) {
        String value = fields.get(key);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e2) {
                throw bad(key + " must be an RFC 3339 time, got '" + value + "'");
            }
        }
    }

    private static ProblemException bad(String why) {
        return new ProblemException(ProblemException.Kind.INVALID, "siwe-malformed", "Not a Sign-In with Ethereum message",
                "The message cannot be read as EIP-4361: " + why + ".", null);
    }
}
