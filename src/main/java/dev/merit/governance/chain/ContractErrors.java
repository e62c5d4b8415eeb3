package dev.merit.governance.chain;

import java.util.LinkedHashMap;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says in words what a revert of Merit's contracts means. The build lists every custom error the contracts can
 * revert with (their own and OpenZeppelin's, {@code contract-errors.json}); revert data is matched by selector and
 * its arguments decoded. Merit's own errors and the governance errors a DAO meets get a sentence; the rest read as
 * {@code Name(argument=value, ...)}, never as raw hex.
 */
public final class ContractErrors {

    /** A decoded revert: the error's name, its arguments by name, and a sentence for a person. */
    public record Decoded(String name, Map<String, Object> arguments, String words) {
    }

    private record ErrorAbi(String name, List<String> argumentNames, List<String> types) {
    }

    private static final Map<String, ErrorAbi> BY_SELECTOR = load();
    private static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F]{8,}");
    private static final String[] PROPOSAL_STATES = {"pending", "active", "canceled", "defeated", "succeeded",
            "queued", "expired", "executed"};

    private ContractErrors() {
    }

    /** The decoded error of revert data ({@code 0x} + selector + arguments), if it is one of the contracts'. */
    public static Optional<Decoded> decode(String revertData) {
        if (revertData == null) {
            return Optional.empty();
        }
        String hex = Numeric.cleanHexPrefix(revertData.strip().replace("\"", ""));
        if (hex.length() < 8) {
            return Optional.empty();
        }
        ErrorAbi abi = BY_SELECTOR.get(hex.substring(0, 8).toLowerCase());
        if (abi == null) {
            return Optional.empty();
        }
        Map<String, Object> arguments = new LinkedHashMap<>();
        try {
            List<TypeReference<Type>> refs = new ArrayList<>();
            for (String type : abi.types()) {
                refs.add(TypeReference.makeTypeReference(type));
            }
            List<Type> values = FunctionReturnDecoder.decode("0x" + hex.substring(8), refs);
            for (int i = 0; i < values.size(); i++) {
                arguments.put(abi.argumentNames().get(i), plain(values.get(i).getValue()));
            }
        } catch (ClassNotFoundException | RuntimeException e) {
            return Optional.of(new Decoded(abi.name(), Map.of(), abi.name() + " (its arguments could not be read)"));
        }
        return Optional.of(new Decoded(abi.name(), arguments, words(abi.name(), arguments)));
    }

    /**
     * A node's error message and data in words: the decoded custom error when the data (or the message) holds one of
     * the contracts' errors, else the message as the node gave it.
     */
    public static String explain(String message, Object data) {
        Optional<Decoded> decoded = decode(data == null ? null : String.valueOf(data));
        if (decoded.isEmpty() && message != null) {
            Matcher m = HEX.matcher(message);
            while (m.find() && decoded.isEmpty()) {
                decoded = decode(m.group());
            }
        }
        return decoded.map(Decoded::words).orElse(message);
    }

    private static Object plain(Object value) {
        if (value instanceof byte[] bytes) {
            return Numeric.toHexString(bytes);
        }
        return value;
    }

    /** The sentence for error {@code name} with these arguments (for a refusal Merit predicts before sending). */
    public static String words(String name, Map<String, Object> a) {
        return switch (name) {
            case "PeriodAlreadyApproved" -> "The vault has already approved pay up to " + date(a.get("approvedUntil"))
                    + "; a payout for a period starting " + date(a.get("periodStart"))
                    + " would pay part of that time twice (PeriodAlreadyApproved).";
            case "EmptyPeriod" -> "The pay period from " + date(a.get("periodStart")) + " to " + date(a.get("periodEnd"))
                    + " is empty or backwards (EmptyPeriod).";
            case "EpochAlreadyApproved" -> "The vault has already approved this payout (content hash "
                    + hex(a.get("epoch")) + "); it is never approved twice (EpochAlreadyApproved).";
            case "EpochNotApproved" -> "The vault has not approved payout " + hex(a.get("epoch"))
                    + " (yet): its proposal has not been executed (EpochNotApproved).";
            case "EmptyRoot" -> "The payout has no Merkle root (EmptyRoot).";
            case "TotalTooLarge" -> "The payout total " + a.get("total") + " base units is more than the vault can "
                    + "account (2^128 - 1) (TotalTooLarge).";
            case "InsufficientUnreservedBalance" -> "The vault holds " + a.get("available") + " base units not "
                    + "reserved for earlier payouts, less than the " + a.get("requested")
                    + " this payout needs: fund the vault first (InsufficientUnreservedBalance).";
            case "InvalidProof" -> "A claim's Merkle proof does not match the approved root of payout "
                    + hex(a.get("epoch")) + " (InvalidProof).";
            case "AlreadyClaimed" -> a.get("account") + " has already been paid " + a.get("amount")
                    + " base units by this payout (AlreadyClaimed).";
            case "ClaimsExceedTotal" -> "Claims would pay more than payout " + hex(a.get("epoch"))
                    + " approved (ClaimsExceedTotal).";
            case "LengthMismatch" -> "A batch claim lists " + a.get("accounts") + " accounts but " + a.get("amounts")
                    + " amounts (LengthMismatch).";
            case "OwnableUnauthorizedAccount" -> a.get("account") + " may not do this: only the contract's owner may, "
                    + "and the DAO's timelock owns the vault and the governance token (OwnableUnauthorizedAccount).";
            case "GovernorUnexpectedProposalState" -> "The proposal is " + proposalState(a.get("current"))
                    + ", which does not allow this (GovernorUnexpectedProposalState).";
            case "GovernorNonexistentProposal" -> "The governor has no proposal " + a.get("proposalId")
                    + " (GovernorNonexistentProposal).";
            case "GovernorAlreadyCastVote" -> a.get("voter") + " has already voted on this proposal "
                    + "(GovernorAlreadyCastVote).";
            case "GovernorInvalidSignature" -> "The ballot signature is not " + a.get("voter")
                    + "'s, or was already used (GovernorInvalidSignature).";
            case "GovernorInsufficientProposerVotes" -> a.get("proposer") + " has " + a.get("votes")
                    + " votes, fewer than the " + a.get("threshold") + " needed to propose "
                    + "(GovernorInsufficientProposerVotes).";
            case "GovernorRestrictedProposer" -> a.get("proposer") + " may not propose (GovernorRestrictedProposer).";
            case "TimelockUnexpectedOperationState" -> "The timelock operation is not in a state that allows this: "
                    + "not yet ready, or already done (TimelockUnexpectedOperationState).";
            case "TimelockUnauthorizedCaller" -> a.get("caller") + " may not call the timelock directly "
                    + "(TimelockUnauthorizedCaller).";
            case "ERC20InsufficientBalance" -> a.get("sender") + " holds " + a.get("balance") + " base units, "
                    + "less than the " + a.get("needed") + " to transfer (ERC20InsufficientBalance).";
            default -> generic(name, a);
        };
    }

    private static String generic(String name, Map<String, Object> a) {
        StringBuilder s = new StringBuilder(name).append('(');
        a.forEach((k, v) -> s.append(s.charAt(s.length() - 1) == '(' ? "" : ", ").append(k).append('=').append(v));
        return s.append(')').toString();
    }

    private static String date(Object seconds) {
        if (!(seconds instanceof BigInteger s) || s.bitLength() > 62) {
            return String.valueOf(seconds);
        }
        return Instant.ofEpochSecond(s.longValue()).toString();
    }

    private static String hex(Object value) {
        return value instanceof BigInteger b ? Numeric.toHexStringWithPrefixZeroPadded(b, 64) : String.valueOf(value);
    }

    private static String proposalState(Object ordinal) {
        return ordinal instanceof BigInteger b && b.intValue() >= 0 && b.intValue() < PROPOSAL_STATES.length
                ? PROPOSAL_STATES[b.intValue()] : String.valueOf(ordinal);
    }

    private static Map<String, ErrorAbi> load() {
        Map<String, ErrorAbi> errors = new HashMap<>();
        try (InputStream in = ContractErrors.class.getResourceAsStream("contract-errors.json")) {
            if (in == null) {
                throw new IllegalStateException("contract-errors.json is missing from the classpath: the build "
                        + "writes it when it compiles contracts/");
            }
            for (JsonNode e : new ObjectMapper().readTree(in)) {
                List<String> names = new ArrayList<>();
                List<String> types = new ArrayList<>();
                for (JsonNode input : e.get("inputs")) {
                    names.add(input.get("name").asText());
                    types.add(input.get("type").asText());
                }
                String selector = Hash.sha3String(e.get("signature").asText()).substring(2, 10);
                errors.put(selector, new ErrorAbi(e.get("name").asText(), names, types));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(errors);
    }
}
