package dev.merit.payroll;

import dev.merit.contributor.BotMarks;
import dev.merit.contributor.Contributor;
import dev.merit.contributor.ContributorMerge;
import dev.merit.contributor.Identity;
import dev.merit.contributor.Wallets;
import dev.merit.support.PostgresResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL takes at most 65,535 bound values in one statement (and Hibernate pads an {@code in} list to a power of
 * two): what Merit reads of every contributor of a payout (their wallets, whom they were merged into, their names, a
 * maintainer's marks) and the lock on their rows while wallets are linked work for 70,000 contributors, not refused by
 * the driver. The ids are made up but for one real contributor at the end of the list, with a wallet.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class LongIdListsTest {

    private static final int MANY = 70_000;

    @Inject
    Wallets wallets;

    @Inject
    PayrollService payroll;

    @Test
    void whatAPayoutReadsOfEachContributorIsReadForMoreContributorsThanTheDriverBindsInOneStatement() {
        String address = "0x00000000000000000000000000000000000a7000";
        long real = QuarkusTransaction.requiringNew().call(() -> {
            Contributor c = new Contributor();
            c.displayName = "Many Lists";
            c.createdAt = Instant.parse("2040-01-01T00:00:00Z");
            c.persist();
            Identity.of(c.id, Identity.Kind.WALLET, address, Identity.LinkedBy.MANUAL).persist();
            return c.id;
        });
        List<Long> ids = new ArrayList<>(LongStream.rangeClosed(1, MANY).map(i -> -i).boxed().toList());
        ids.add(real);
        List<PayoutLine> lines = ids.stream().map(id -> {
            PayoutLine l = new PayoutLine();
            l.contributorId = id;
            l.score = BigDecimal.ONE;
            l.amount = BigInteger.ONE;
            return l;
        }).toList();
        QuarkusTransaction.requiringNew().run(() -> {
            assertThat(wallets.of(ids)).hasSize(1)
                    .containsEntry(real, org.web3j.crypto.Keys.toChecksumAddress(address));
            assertThat(ContributorMerge.currentOf(ids)).isEmpty();
            assertThat(payroll.contributors(lines)).containsOnlyKeys(real);
            wallets.lock(ids);
            List<Contributor> page = ids.stream().map(id -> {
                Contributor c = new Contributor();
                c.id = id;
                c.displayName = "Contributor " + id;
                return c;
            }).toList();
            assertThat(BotMarks.lastMarks(page)).isEmpty();
        });
    }
}
