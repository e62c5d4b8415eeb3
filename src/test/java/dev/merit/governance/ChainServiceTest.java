package dev.merit.governance;

import dev.merit.governance.chain.DaoContracts;
import dev.merit.governance.contracts.MeritGovernor;
import dev.merit.governance.chain.Deployment;
import dev.merit.governance.chain.DevAccounts;
import dev.merit.governance.chain.AnvilNode;
import dev.merit.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.DefaultBlockParameterName;

import java.math.BigInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class ChainServiceTest {

    @Inject
    ChainService chain;

    @Test
    void embeddedChainStartsWithTheContractsDeployedAndKeepsThemAcrossRestarts() throws Exception {
        DaoContracts dao = given().when().get("/api/chain").then().statusCode(200)
                .body("chainId", equalTo(31337))
                .body("rpcUrl", startsWith("http://127.0.0.1:"))
                .extract().jsonPath().getObject("contracts", DaoContracts.class);
        assertThat(chain.web3j().ethGetCode(dao.vault(), DefaultBlockParameterName.LATEST).send().getCode())
                .isNotEqualTo("0x");
        MeritGovernor governor = MeritGovernor.load(dao.governor(), chain.web3j(),
                Deployment.transactions(chain.web3j(), DevAccounts.account(0), AnvilNode.CHAIN_ID), Deployment.GAS);
        assertThat(governor.votingPeriod().send()).isEqualTo(BigInteger.valueOf(20));

        chain.stop();
        DaoContracts again = chain.dao();
        assertThat(again).isEqualTo(dao);
        assertThat(chain.web3j().ethGetCode(again.governor(), DefaultBlockParameterName.LATEST).send().getCode())
                .isNotEqualTo("0x");
    }
}
