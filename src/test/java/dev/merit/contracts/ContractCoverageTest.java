package dev.merit.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the contract tests whole as the contracts change, from what the build compiled (target/contracts/*.abi):
 * every function of each contract's ABI is called in its test class, every error of its ABI is asserted there or is
 * listed below as one its functions cannot raise (with the reason), and every external or public function and public
 * variable declared in contracts/src has a NatSpec notice.
 */
class ContractCoverageTest {

    private static final Path ABIS = Path.of("target/contracts");
    private static final Path SOURCES = Path.of("contracts/src");
    private static final Path TESTS = Path.of("src/test/java/dev/merit/contracts");
    private static final List<String> CONTRACTS = List.of("MeritToken", "PayoutToken", "MeritTimelock", "MeritGovernor",
            "PayrollVault");

    private static final String SHORT_STRINGS = "EIP-712 names are stored with a fallback for long strings "
            + "(ShortStrings.toShortStringWithFallback), which never reverts";
    private static final String CHECKPOINTS = "checkpoints are keyed by the block number, which never goes back";
    private static final String BLOCK_CLOCK = "the clock is the block number, which is what CLOCK_MODE checks for";

    /** Errors in a contract's ABI that its functions cannot raise as written, and why. */
    private static final Map<String, Map<String, String>> UNREACHABLE = Map.of(
            "MeritToken", Map.of(
                    "ECDSAInvalidSignatureLength(uint256)", "permit and delegateBySig take (v, r, s): no signature "
                            + "bytes whose length could be wrong",
                    "ERC6372InconsistentClock()", BLOCK_CLOCK,
                    "CheckpointUnorderedInsertion()", CHECKPOINTS,
                    "SafeCastOverflowedUintDowncast(uint8,uint256)", "the supply is capped at 2^208 - 1 "
                            + "(ERC20ExceededSafeSupply) before votes are cast to 208 bits, and a lookup beyond the "
                            + "clock fails with ERC5805FutureLookup before it is cast to 48 bits",
                    "InvalidShortString()", SHORT_STRINGS,
                    "StringTooLong(string)", SHORT_STRINGS),
            "MeritGovernor", Map.of(
                    "GovernorAlreadyQueuedProposal(uint256)", "raised by GovernorTimelockCompound only; a second "
                            + "queue of a proposal here is GovernorUnexpectedProposalState",
                    "GovernorInvalidVoteParams()", "raised by GovernorCountingFractional only; simple counting "
                            + "ignores a vote's params",
                    "GovernorProposalQueueingFailed(uint256)", "GovernorTimelockControl always queues with an ETA "
                            + "after now",
                    "GovernorProposalQueueingNotRequired(uint256)", "with a timelock every proposal needs queuing",
                    "InvalidAccountNonce(address,uint256)", "votes by signature spend the nonce unchecked; a stale "
                            + "nonce makes the signature GovernorInvalidSignature",
                    "ERC6372InconsistentClock()", BLOCK_CLOCK,
                    "CheckpointUnorderedInsertion()", "the quorum's history is keyed by the block number, which "
                            + "never goes back",
                    "InvalidShortString()", SHORT_STRINGS,
                    "StringTooLong(string)", SHORT_STRINGS),
            "PayrollVault", Map.of(
                    "SafeERC20FailedOperation(address)", "only a token whose transfer returns false, or that is no "
                            + "contract, fails this way; Merit's tokens revert with their own errors, and approveEpoch "
                            + "cannot succeed for an address without balanceOf"));

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode abi(String contract) throws IOException {
        Path file = ABIS.resolve(contract + ".abi");
        assertThat(file).as("compiled by the build (contracts/compile.mjs)").exists();
        return JSON.readTree(file.toFile());
    }

    private static String testOf(String contract) throws IOException {
        return Files.readString(TESTS.resolve(contract + "Test.java"));
    }

    private static String signature(JsonNode entry) {
        List<String> types = new ArrayList<>();
        entry.get("inputs").forEach(i -> types.add(i.get("type").asText()));
        return entry.get("name").asText() + "(" + String.join(",", types) + ")";
    }

    @Test
    void everyFunctionOfEachContractIsCalledInItsTest() throws IOException {
        List<String> untested = new ArrayList<>();
        for (String contract : CONTRACTS) {
            String test = testOf(contract);
            for (JsonNode entry : abi(contract)) {
                String type = entry.get("type").asText();
                if (type.equals("function") && !test.contains("." + entry.get("name").asText() + "(")) {
                    untested.add(contract + "." + signature(entry));
                } else if ((type.equals("receive") || type.equals("fallback")) && !test.contains(type + "()")) {
                    untested.add(contract + " " + type + "() (say so where the test sends it ether)");
                }
            }
        }
        assertThat(untested).as("functions no test calls").isEmpty();
    }

    @Test
    void everyErrorOfEachContractIsAssertedInItsTestOrCannotBeRaised() throws IOException {
        List<String> untested = new ArrayList<>();
        List<String> misfiled = new ArrayList<>();
        for (String contract : CONTRACTS) {
            String test = testOf(contract);
            Map<String, String> unreachable = UNREACHABLE.getOrDefault(contract, Map.of());
            TreeSet<String> errors = new TreeSet<>();
            for (JsonNode entry : abi(contract)) {
                if (entry.get("type").asText().equals("error")) {
                    errors.add(signature(entry));
                }
            }
            for (String error : errors) {
                boolean asserted = test.contains("\"" + error + "\"");
                if (!asserted && !unreachable.containsKey(error)) {
                    untested.add(contract + ": " + error);
                } else if (asserted && unreachable.containsKey(error)) {
                    misfiled.add(contract + ": " + error + " is raised in its test, yet listed as unreachable");
                }
            }
            unreachable.keySet().stream().filter(e -> !errors.contains(e))
                    .forEach(e -> misfiled.add(contract + ": " + e + " is listed as unreachable but not in its ABI"));
        }
        assertThat(untested).as("errors no test raises (assert one, or list it in UNREACHABLE with the reason)")
                .isEmpty();
        assertThat(misfiled).as("stale UNREACHABLE entries").isEmpty();
    }

    private static final Pattern FUNCTION = Pattern.compile("^\\s*function\\s+(\\w+)\\s*\\(");
    private static final Pattern PUBLIC_VARIABLE = Pattern.compile("^\\s*[\\w\\[\\]().=> ]+\\s+public\\s+[\\w ]*?(\\w+)\\s*;");

    @Test
    void everyExternalOrPublicFunctionAndVariableOfOurContractsHasANotice() throws IOException {
        List<String> undocumented = new ArrayList<>();
        List<Path> sources;
        try (Stream<Path> files = Files.list(SOURCES)) {
            sources = files.filter(f -> f.toString().endsWith(".sol")).sorted().toList();
        }
        assertThat(sources).hasSize(CONTRACTS.size());
        for (Path source : sources) {
            List<String> lines = Files.readAllLines(source);
            for (int i = 0; i < lines.size(); i++) {
                Matcher function = FUNCTION.matcher(lines.get(i));
                Matcher variable = PUBLIC_VARIABLE.matcher(lines.get(i));
                String name;
                if (function.find()) {
                    StringBuilder header = new StringBuilder();
                    for (int j = i; j < lines.size() && header.indexOf("{") < 0 && header.indexOf(";") < 0; j++) {
                        header.append(lines.get(j)).append(' ');
                    }
                    if (!header.toString().matches(".*\\b(external|public)\\b.*")) {
                        continue;
                    }
                    name = function.group(1);
                } else if (variable.find() && !lines.get(i).contains("constant")) {
                    name = variable.group(1);
                } else {
                    continue;
                }
                StringBuilder doc = new StringBuilder();
                for (int j = i - 1; j >= 0 && lines.get(j).strip().startsWith("///"); j--) {
                    doc.insert(0, lines.get(j).strip() + "\n");
                }
                if (!doc.toString().contains("@notice")) {
                    undocumented.add(source.getFileName() + ": " + name);
                }
            }
        }
        assertThat(undocumented).as("external or public declarations without a NatSpec @notice").isEmpty();
    }
}
