package dev.merit.payroll;

import java.util.List;
import java.util.function.LongFunction;

/**
 * A check {@code verify} runs beyond payroll's own, owned here and implemented by a higher layer: governance compares
 * what went on chain (Merkle leaves, wallets, root, the approve call) with the stored lines.
 */
public interface ProposalCheck {

    /**
     * The differences found in {@code proposal}, each a sentence that names what differs; empty when none.
     *
     * @param lines the proposal's stored lines, by rank
     * @param name  a contributor's name as verification prints it ("Ada Lovelace (merit:3)")
     */
    List<String> differences(PayoutProposal proposal, List<PayoutLine> lines, LongFunction<String> name);
}
