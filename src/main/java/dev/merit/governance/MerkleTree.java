package dev.merit.governance;

import java.util.ArrayDeque;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * OpenZeppelin StandardMerkleTree ("standard-v1") of (address, uint256) leaves, so that existing tooling
 * (@openzeppelin/merkle-tree, MerkleProof.sol) computes the same root and accepts the same proofs. Leaf =
 * keccak256(keccak256(abi.encode(account, amount))); pairs hashed sorted; leaves sorted by hash; the tree is the
 * array layout that library uses, so single proofs and multiproofs are the same as its own.
 */
public final class MerkleTree {

    public record Leaf(String account, BigInteger amount) {
    }

    public record MultiProof(List<Leaf> leaves, List<byte[]> proof, List<Boolean> proofFlags) {
    }

    private final byte[][] tree;
    private final List<Leaf> values;
    /** treeIndex[i]: where value i sits in the tree array. */
    private final int[] treeIndex;

    private MerkleTree(byte[][] tree, List<Leaf> values, int[] treeIndex) {
        this.tree = tree;
        this.values = values;
        this.treeIndex = treeIndex;
    }

    public static MerkleTree of(List<Leaf> leaves) {
        if (leaves.isEmpty()) {
            throw new IllegalArgumentException("a Merkle tree needs at least one leaf");
        }
        int n = leaves.size();
        Integer[] order = new Integer[n];
        byte[][] hashes = new byte[n][];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            hashes[i] = leafHash(leaves.get(i));
        }
        Arrays.sort(order, Comparator.comparing(i -> hashes[i], Arrays::compareUnsigned));
        byte[][] tree = new byte[2 * n - 1][];
        int[] treeIndex = new int[n];
        for (int k = 0; k < n; k++) {
            int at = tree.length - 1 - k;
            tree[at] = hashes[order[k]];
            treeIndex[order[k]] = at;
        }
        for (int i = tree.length - 1 - n; i >= 0; i--) {
            tree[i] = hashPair(tree[2 * i + 1], tree[2 * i + 2]);
        }
        return new MerkleTree(tree, List.copyOf(leaves), treeIndex);
    }

    /**
     * The standard-v1 leaf hash of (address, uint256), or of (bytes32, uint256) when the leaf's "account" is a 32-byte
     * key (held shares: keys derived from contributors, never addresses). Both encode to two 32-byte words.
     */
    public static byte[] leafHash(Leaf leaf) {
        String first = Numeric.cleanHexPrefix(leaf.account()).length() == 64
                ? TypeEncoder.encode(new Bytes32(Numeric.hexStringToByteArray(leaf.account())))
                : TypeEncoder.encode(new Address(leaf.account()));
        String encoded = first + TypeEncoder.encode(new Uint256(leaf.amount()));
        return Hash.sha3(Hash.sha3(Numeric.hexStringToByteArray(encoded)));
    }

    public byte[] root() {
        return tree[0];
    }

    public String rootHex() {
        return Numeric.toHexString(tree[0]);
    }

    /** The proof of the leaf at {@code index} in the list the tree was built from. */
    public List<byte[]> proof(int index) {
        List<byte[]> proof = new ArrayList<>();
        for (int i = treeIndex[index]; i > 0; i = (i - 1) / 2) {
            proof.add(tree[i % 2 == 1 ? i + 1 : i - 1]);
        }
        return proof;
    }

    /** One multiproof for the leaves at {@code indices}; leaves come back in the order the verifier needs. */
    public MultiProof multiProof(List<Integer> indices) {
        List<Integer> positions = new ArrayList<>();
        for (int index : indices) {
            positions.add(treeIndex[index]);
        }
        positions.sort(Comparator.reverseOrder());
        for (int k = 1; k < positions.size(); k++) {
            if (positions.get(k).equals(positions.get(k - 1))) {
                throw new IllegalArgumentException("cannot prove a leaf twice");
            }
        }
        ArrayDeque<Integer> stack = new ArrayDeque<>(positions);
        List<byte[]> proof = new ArrayList<>();
        List<Boolean> flags = new ArrayList<>();
        while (!stack.isEmpty() && stack.peekFirst() > 0) {
            int j = stack.pollFirst();
            int sibling = j % 2 == 1 ? j + 1 : j - 1;
            int parent = (j - 1) / 2;
            if (!stack.isEmpty() && stack.peekFirst() == sibling) {
                flags.add(true);
                stack.pollFirst();
            } else {
                flags.add(false);
                proof.add(tree[sibling]);
            }
            stack.addLast(parent);
        }
        if (indices.isEmpty()) {
            proof.add(tree[0]);
        }
        List<Leaf> leaves = new ArrayList<>();
        int[] valueAt = new int[tree.length];
        Arrays.fill(valueAt, -1);
        for (int v = 0; v < treeIndex.length; v++) {
            valueAt[treeIndex[v]] = v;
        }
        for (int position : positions) {
            leaves.add(values.get(valueAt[position]));
        }
        return new MultiProof(leaves, proof, flags);
    }

    private static byte[] hashPair(byte[] a, byte[] b) {
        byte[] joined = new byte[64];
        boolean aFirst = Arrays.compareUnsigned(a, b) <= 0;
        System.arraycopy(aFirst ? a : b, 0, joined, 0, 32);
        System.arraycopy(aFirst ? b : a, 0, joined, 32, 32);
        return Hash.sha3(joined);
    }
}
