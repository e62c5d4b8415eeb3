package dev.merit.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Merit's tree equals OpenZeppelin's @openzeppelin/merkle-tree (the reference, run with node). */
class MerkleTreeTest {

    private static final String SCRIPT = """
            import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
            const input = JSON.parse(process.argv[1]);
            const tree = StandardMerkleTree.of(input.values, ['address', 'uint256']);
            const multi = tree.getMultiProof(input.indices);
            console.log(JSON.stringify({ root: tree.root, proof: tree.getProof(input.single), multi }));
            """;

    @Test
    void rootsAndProofsMatchOpenZeppelinsLibrary() throws Exception {
        Random random = new Random(7);
        ObjectMapper json = new ObjectMapper();
        for (int round = 0; round < 8; round++) {
            int n = 1 + random.nextInt(round < 4 ? 8 : 200);
            List<MerkleTree.Leaf> leaves = new ArrayList<>();
            List<List<String>> values = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String account = Numeric.toHexStringWithPrefixZeroPadded(new BigInteger(160, random), 40);
                BigInteger amount = new BigInteger(96, random);
                leaves.add(new MerkleTree.Leaf(account, amount));
                values.add(List.of(account, amount.toString()));
            }
            List<Integer> indices = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (random.nextBoolean()) {
                    indices.add(i);
                }
            }
            int single = random.nextInt(n);
            String input = json.writeValueAsString(java.util.Map.of("values", values, "indices", indices, "single", single));
            JsonNode reference = json.readTree(node(input));

            MerkleTree tree = MerkleTree.of(leaves);
            assertThat(tree.rootHex()).isEqualTo(reference.get("root").asText());
            assertThat(tree.proof(single).stream().map(Numeric::toHexString).toList())
                    .isEqualTo(texts(reference.get("proof")));
            MerkleTree.MultiProof multi = tree.multiProof(indices);
            assertThat(multi.proof().stream().map(Numeric::toHexString).toList())
                    .isEqualTo(texts(reference.get("multi").get("proof")));
            List<Boolean> flags = new ArrayList<>();
            reference.get("multi").get("proofFlags").forEach(f -> flags.add(f.asBoolean()));
            assertThat(multi.proofFlags()).isEqualTo(flags);
            List<String> leafAccounts = new ArrayList<>();
            reference.get("multi").get("leaves").forEach(l -> leafAccounts.add(l.get(0).asText().toLowerCase()));
            assertThat(multi.leaves().stream().map(l -> l.account().toLowerCase()).toList()).isEqualTo(leafAccounts);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String node(String input) throws Exception {
        Process p = new ProcessBuilder("node", "--input-type=module", "-e", SCRIPT, input)
                .directory(Path.of("contracts").toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
