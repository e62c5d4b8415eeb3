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

    private final ChainService chain;

    public ChainResource(ChainService chain) {
        this.chain = chain;
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
