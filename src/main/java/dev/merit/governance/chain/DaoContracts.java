package dev.merit.governance.chain;

/** Addresses of one deployment of the DAO's contracts. */
public record DaoContracts(long chainId, String governanceToken, String timelock, String governor, String vault,
                           String payoutToken) {
}
