package dev.merit.governance;

import dev.merit.problem.Redaction;
import dev.merit.governance.chain.DaoContracts;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.math.BigInteger;

@Path("/api/chain")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Chain", description = "The DAO's contracts and the chain they live on")
public class ChainResource {

    public record ChainView(long chainId, String rpcUrl, BigInteger blockNumber, DaoContracts contracts,
                            @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "How far the "
                                    + "vault has approved pay: a payout of a period starting before this can never go "
                                    + "on chain (periods are paid once, in order); absent before the first payout, or "
                                    + "when the vault could not be read")
                            java.time.Instant paidUntil) {
    }

    /** What the next payout put on chain would release and return besides its own lines. */
    public record NextView(
            @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "Held shares of earlier payouts "
                    + "whose contributors have linked a wallet since: the next payout's vote releases them there")
            java.util.List<ChainProposalResource.ReleaseView> releases,
            @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "Payouts that have held shares "
                    + "longer than merit.payroll.held-epochs payouts: the next vote returns what they hold to the "
                    + "treasury") java.util.List<Long> returnsHeldOf,
            @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "Held shares linked since that "
                    + "wait for a later vote: one vote releases at most merit.payroll.releases-per-vote (200 by "
                    + "default), so that its execution fits in a block") int releasesWaiting) {
    }

    private final ChainService chain;
    private final PayoutPlans plans;

    public ChainResource(ChainService chain, PayoutPlans plans) {
        this.chain = chain;
        this.plans = plans;
    }

    @GET
    @Path("/next-releases")
    @Operation(summary = "What the next payout would also release", description = "As a payout put on chain now would "
            + "carry them (before any draft is put there): earlier payouts' held shares it releases to wallets linked "
            + "since, and payouts whose held shares it returns to the treasury. Read from Merit's record and the "
            + "vault; nothing is sent.")
    @APIResponse(responseCode = "200", description = "Releases and returns")
    @APIResponse(responseCode = "422", description = "The chain is off")
    @APIResponse(responseCode = "503", description = "The chain cannot be read")
    public NextView next() throws IOException {
        PayoutPlans.Pending pending = plans.pending(chain.readVault(chain.dao().vault()));
        return new NextView(pending.releases().stream().map(r -> {
            dev.merit.payroll.PayoutProposal from = dev.merit.payroll.PayoutProposal.findById(
                    r.from().payoutProposalId);
            int decimals = dev.merit.epoch.Epoch.<dev.merit.epoch.Epoch>findById(from.epochId).tokenDecimals;
            return new ChainProposalResource.ReleaseView(r.contributorId(), r.name(), r.wallet(),
                    dev.merit.audit.TokenAmounts.format(r.leaf().amount(), decimals), r.leaf().amount(), from.id);
        }).toList(), pending.returns().stream().map(cp -> cp.payoutProposalId).toList(), pending.releasesWaiting());
    }

    @GET
    @Operation(summary = "Chain and contract addresses", description = "Starts the embedded local chain on first use.")
    @APIResponse(responseCode = "200", description = "Chain id, RPC URL, latest block and the DAO's contract addresses")
    @APIResponse(responseCode = "422", description = "The chain is off or cannot be started")
    public ChainView get() throws IOException {
        DaoContracts dao = chain.dao();
        java.time.Instant paidUntil = null;
        try {
            BigInteger until = GovernanceService.call(() -> chain.readVault(dao.vault()).approvedUntil().send());
            paidUntil = until.signum() == 0 ? null : java.time.Instant.ofEpochSecond(until.longValueExact());
        } catch (IOException | RuntimeException e) {
            // The addresses and the block still answer; the dashboard then says nothing of the vault's periods.
        }
        return new ChainView(dao.chainId(), Redaction.endpoint(chain.rpcUrl()), chain.blockNumber(), dao, paidUntil);
    }
}
