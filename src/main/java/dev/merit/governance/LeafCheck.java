package dev.merit.governance;

import org.web3j.utils.Numeric;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Stored Merkle leaves and roots against what the stored lines make: each difference named. */
final class LeafCheck {

    private static final String ZERO_ROOT = Numeric.toHexString(new byte[32]);

    private LeafCheck() {
    }

    /** Stored leaves against the leaves the lines make: the same leaves in the same order. */
    static void leaves(String what, List<MerkleTree.Leaf> stored, List<MerkleTree.Leaf> expected,
                       Function<String, String> owner, List<String> out) {
        if (stored.equals(expected)) {
            return;
        }
        if (counts(stored).equals(counts(expected))) {
            for (int i = 0; i < stored.size(); i++) {
                if (!stored.get(i).equals(expected.get(i))) {
                    out.add(what + " " + i + ": stored " + text(stored.get(i)) + ", the lines put "
                            + text(expected.get(i)) + " there (the leaves are stored out of order; claims prove a leaf "
                            + "by its index)");
                }
            }
            return;
        }
        Map<MerkleTree.Leaf, Integer> storedLeft = counts(stored);
        for (MerkleTree.Leaf leaf : expected) {
            if (storedLeft.merge(leaf, -1, Integer::sum) < 0) {
                out.add(owner.apply(leaf.account()) + ", amount " + leaf.amount() + ": no stored " + what + " pays it");
            }
        }
        Map<MerkleTree.Leaf, Integer> expectedLeft = counts(expected);
        for (int i = 0; i < stored.size(); i++) {
            if (expectedLeft.merge(stored.get(i), -1, Integer::sum) < 0) {
                out.add(what + " " + i + " " + text(stored.get(i)) + ": no stored line is paid that");
            }
        }
    }

    private static Map<MerkleTree.Leaf, Integer> counts(List<MerkleTree.Leaf> leaves) {
        Map<MerkleTree.Leaf, Integer> out = new HashMap<>();
        leaves.forEach(l -> out.merge(l, 1, Integer::sum));
        return out;
    }

    static void root(String what, List<MerkleTree.Leaf> leaves, String storedRoot, List<String> out) {
        String recomputed = leaves.isEmpty() ? ZERO_ROOT : MerkleTree.of(leaves).rootHex();
        if (storedRoot == null || !recomputed.equalsIgnoreCase(storedRoot)) {
            out.add(what + ": stored " + storedRoot + ", recomputed from the stored leaves " + recomputed);
        }
    }

    private static String text(MerkleTree.Leaf leaf) {
        return "(" + leaf.account() + ", " + leaf.amount() + ")";
    }
}
