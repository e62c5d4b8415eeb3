package dev.merit.governance;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.payroll.PayoutLine;
import dev.merit.payroll.PayoutProposal;
import dev.merit.payroll.ProposalCheck;
import jakarta.enterprise.context.ApplicationScoped;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * Verification of what a payout became on chain: the stored Merkle leaves are the ones its stored lines make (one
 * per wallet, in wallet order; held shares by key, in line order), each root is the root of its leaves, and the
 * approve call carries that root, total and the proposal's content hash. Claims prove leaves by their index, so the
 * order of the leaves is checked, not only the set.
 */
@ApplicationScoped
public class ChainRecordCheck implements ProposalCheck {

    private final ObjectMapper json;

    public ChainRecordCheck(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public List<String> differences(PayoutProposal proposal, List<PayoutLine> lines, LongFunction<String> name) {
        ChainProposal cp = ChainProposal.<ChainProposal>find("payoutProposalId", proposal.id).firstResult();
        if (cp == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        Map<String, BigInteger> byWallet = new TreeMap<>();
        Map<String, List<Long>> whoseWallet = new TreeMap<>();
        List<MerkleTree.Leaf> held = new ArrayList<>();
        for (PayoutLine line : lines) {
            if (line.amount.signum() <= 0) {
                continue;
            }
            if (line.heldKey != null) {
                held.add(new MerkleTree.Leaf(line.heldKey.toLowerCase(Locale.ROOT), line.amount));
            } else if (line.wallet != null) {
                String w = line.wallet.toLowerCase(Locale.ROOT);
                byWallet.merge(w, line.amount, BigInteger::add);
                whoseWallet.computeIfAbsent(w, k -> new ArrayList<>()).add(line.contributorId);
            } else {
                out.add("line of " + name.apply(line.contributorId) + ": amount " + line.amount
                        + " is neither paid to a wallet nor held on chain");
            }
        }
        List<MerkleTree.Leaf> paid = new ArrayList<>();
        byWallet.forEach((w, amount) -> paid.add(new MerkleTree.Leaf(w, amount)));
        List<MerkleTree.Leaf> storedPaid = lower(cp.leafList(json));
        LeafCheck.leaves("Merkle leaf", storedPaid, paid, w -> "line of " + String.join(", line of ",
                whoseWallet.getOrDefault(w, List.of()).stream().map(name::apply).toList()) + ": wallet " + w, out);
        LeafCheck.root("Merkle root", storedPaid, cp.merkleRoot, out);
        total("paid total", storedPaid, cp.total, out);
        approveCall(cp, proposal, out);

        List<MerkleTree.Leaf> storedHeld = lower(cp.heldLeafList(json));
        LeafCheck.leaves("held leaf", storedHeld, held, key -> "held key " + key, out);
        if (!storedHeld.isEmpty() || cp.heldRoot != null) {
            LeafCheck.root("held root", storedHeld, cp.heldRoot, out);
            total("held total", storedHeld, cp.heldTotal, out);
        }
        return out;
    }

    private static void total(String what, List<MerkleTree.Leaf> leaves, BigInteger storedTotal, List<String> out) {
        BigInteger sum = leaves.stream().map(MerkleTree.Leaf::amount).reduce(BigInteger.ZERO, BigInteger::add);
        if (!sum.equals(storedTotal)) {
            out.add(what + ": stored " + storedTotal + ", the stored leaves sum to " + sum);
        }
    }

    /** approveEpoch(uint256 epoch, bytes32 root, uint256 total, bytes32 contentHash, ...): static words after the selector. */
    private static void approveCall(ChainProposal cp, PayoutProposal proposal, List<String> out) {
        String data = Numeric.cleanHexPrefix(cp.calldata);
        if (data.length() < 8 + 4 * 64) {
            out.add("approveEpoch call: " + data.length() / 2 + " bytes, too short to carry a root and a content hash");
            return;
        }
        String root = "0x" + word(data, 1);
        String total = new BigInteger(word(data, 2), 16).toString();
        String contentHash = word(data, 3);
        if (!root.equalsIgnoreCase(cp.merkleRoot)) {
            out.add("approveEpoch call: Merkle root " + root + ", stored root " + cp.merkleRoot);
        }
        if (!total.equals(String.valueOf(cp.total))) {
            out.add("approveEpoch call: total " + total + ", stored paid total " + cp.total);
        }
        if (!contentHash.equalsIgnoreCase(proposal.contentHash)) {
            out.add("approveEpoch call: content hash " + contentHash + ", the proposal's " + proposal.contentHash);
        }
    }

    private static String word(String data, int index) {
        return data.substring(8 + index * 64, 8 + (index + 1) * 64);
    }

    private static List<MerkleTree.Leaf> lower(List<MerkleTree.Leaf> leaves) {
        return leaves.stream().map(l -> new MerkleTree.Leaf(l.account().toLowerCase(Locale.ROOT), l.amount())).toList();
    }

}
