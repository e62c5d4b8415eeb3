package dev.merit.governance;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Stored leaves and roots against what the lines make: order, membership and roots, each named. */
class LeafCheckTest {

    private static final MerkleTree.Leaf A = new MerkleTree.Leaf("0x" + "0".repeat(39) + "a", BigInteger.valueOf(5));
    private static final MerkleTree.Leaf B = new MerkleTree.Leaf("0x" + "0".repeat(39) + "b", BigInteger.valueOf(7));
    private static final MerkleTree.Leaf C = new MerkleTree.Leaf("0x" + "0".repeat(39) + "c", BigInteger.valueOf(9));

    private static List<String> leaves(List<MerkleTree.Leaf> stored, List<MerkleTree.Leaf> expected) {
        List<String> out = new ArrayList<>();
        LeafCheck.leaves("Merkle leaf", stored, expected, w -> "owner of " + w, out);
        return out;
    }

    @Test
    void theSameLeavesInTheSameOrderPass() {
        assertThat(leaves(List.of(A, B), List.of(A, B))).isEmpty();
        assertThat(leaves(List.of(), List.of())).isEmpty();
    }

    @Test
    void anotherOrderIsNamedLeafByLeaf() {
        assertThat(leaves(List.of(B, A, C), List.of(A, B, C))).containsExactly(
                "Merkle leaf 0: stored (" + B.account() + ", 7), the lines put (" + A.account() + ", 5) there (the leaves "
                        + "are stored out of order; claims prove a leaf by its index)",
                "Merkle leaf 1: stored (" + A.account() + ", 5), the lines put (" + B.account() + ", 7) there (the leaves "
                        + "are stored out of order; claims prove a leaf by its index)");
    }

    @Test
    void aChangedOrMissingLeafIsNamedFromBothSides() {
        MerkleTree.Leaf forged = new MerkleTree.Leaf(A.account(), BigInteger.valueOf(6));
        assertThat(leaves(List.of(forged, B), List.of(A, B))).containsExactly(
                "owner of " + A.account() + ", amount 5: no stored Merkle leaf pays it",
                "Merkle leaf 0 (" + A.account() + ", 6): no stored line is paid that");
        assertThat(leaves(List.of(A, B), List.of(A, B, C))).containsExactly(
                "owner of " + C.account() + ", amount 9: no stored Merkle leaf pays it");
        assertThat(leaves(List.of(A, B, B), List.of(A, B))).as("a leaf stored twice")
                .containsExactly("Merkle leaf 2 (" + B.account() + ", 7): no stored line is paid that")
                .hasSize(1);
    }

    @Test
    void aRootIsTheRootOfItsLeavesAndAnEmptyPayoutHasTheZeroRoot() {
        String root = MerkleTree.of(List.of(A, B)).rootHex();
        List<String> out = new ArrayList<>();
        LeafCheck.root("Merkle root", List.of(B, A), root.toUpperCase().replace("0X", "0x"), out);
        LeafCheck.root("Merkle root", List.of(), "0x" + "0".repeat(64), out);
        assertThat(out).isEmpty();
        LeafCheck.root("Merkle root", List.of(A), root, out);
        LeafCheck.root("held root", List.of(A), null, out);
        assertThat(out).containsExactly(
                "Merkle root: stored " + root + ", recomputed from the stored leaves " + MerkleTree.of(List.of(A)).rootHex(),
                "held root: stored null, recomputed from the stored leaves " + MerkleTree.of(List.of(A)).rootHex());
    }

    @Test
    void aTreeGivesItsRootAsBytesAndRefusesToProveALeafTwice() {
        MerkleTree tree = MerkleTree.of(List.of(A, B, C));
        assertThat(org.web3j.utils.Numeric.toHexString(tree.root())).isEqualTo(tree.rootHex());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> tree.multiProof(List.of(1, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cannot prove a leaf twice");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MerkleTree.of(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
