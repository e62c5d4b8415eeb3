package dev.merit.governance.chain;

import dev.merit.governance.contracts.MeritGovernor;
import dev.merit.governance.contracts.MeritTimelock;
import dev.merit.governance.contracts.MeritToken;
import dev.merit.governance.contracts.PayoutToken;
import dev.merit.governance.contracts.PayrollVault;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

import java.math.BigInteger;
import java.util.List;

/**
 * Deploys the DAO's contracts the way a real DAO wires them: the timelock's proposer and canceller is the
 * governor, anyone may execute, the deployer renounces admin; the timelock owns the vault and the token.
 */
public final class Deployment {

    /** Governance timing and money. Voting delay and period are in blocks, the timelock delay in seconds. */
    public record Settings(long votingDelayBlocks, long votingPeriodBlocks, long quorumPercent, long timelockDelaySeconds,
                           BigInteger votesPerMember, BigInteger vaultFunding, int payoutDecimals) {
        public static Settings local() {
            return new Settings(1, 20, 4, 60, BigInteger.TEN.pow(20), BigInteger.TEN.pow(24), 18);
        }
    }

    /** 2 gwei, and a gas limit that lets batch claims of a few hundred recipients fit in one transaction. */
    public static final ContractGasProvider GAS = new StaticGasProvider(BigInteger.valueOf(2_000_000_000L),
            BigInteger.valueOf(29_000_000L));

    private Deployment() {
    }

    public static TransactionManager transactions(Web3j web3j, Credentials credentials, long chainId) {
        return new RawTransactionManager(web3j, credentials, chainId,
                new PollingTransactionReceiptProcessor(web3j, 50, 1200));
    }

    /** Deploys everything with {@code deployer}; each member gets votes and delegates them to itself. */
    public static DaoContracts deploy(Web3j web3j, long chainId, Credentials deployer, List<Credentials> members,
                                      Settings settings) throws Exception {
        TransactionManager tx = transactions(web3j, deployer, chainId);
        String me = deployer.getAddress();
        MeritToken token = MeritToken.deploy(web3j, tx, GAS, "Merit Governance", "MGOV", me).send();
        for (Credentials member : members) {
            token.mint(member.getAddress(), settings.votesPerMember()).send();
            MeritToken.load(token.getContractAddress(), web3j, transactions(web3j, member, chainId), GAS)
                    .delegate(member.getAddress()).send();
        }
        MeritTimelock timelock = MeritTimelock.deploy(web3j, tx, GAS, BigInteger.valueOf(settings.timelockDelaySeconds()),
                List.of(), List.of("0x0000000000000000000000000000000000000000"), me).send();
        MeritGovernor governor = MeritGovernor.deploy(web3j, tx, GAS, token.getContractAddress(),
                timelock.getContractAddress(), BigInteger.valueOf(settings.votingDelayBlocks()),
                BigInteger.valueOf(settings.votingPeriodBlocks()), BigInteger.valueOf(settings.quorumPercent())).send();
        timelock.grantRole(timelock.PROPOSER_ROLE().send(), governor.getContractAddress()).send();
        timelock.grantRole(timelock.CANCELLER_ROLE().send(), governor.getContractAddress()).send();
        PayoutToken payout = PayoutToken.deploy(web3j, tx, GAS, "Merit Payout", "MPAY",
                BigInteger.valueOf(settings.payoutDecimals()), me).send();
        PayrollVault vault = PayrollVault.deploy(web3j, tx, GAS, payout.getContractAddress(),
                timelock.getContractAddress()).send();
        payout.mint(vault.getContractAddress(), settings.vaultFunding()).send();
        token.transferOwnership(timelock.getContractAddress()).send();
        timelock.renounceRole(timelock.DEFAULT_ADMIN_ROLE().send(), me).send();
        return new DaoContracts(chainId, token.getContractAddress(), timelock.getContractAddress(),
                governor.getContractAddress(), vault.getContractAddress(), payout.getContractAddress());
    }
}
