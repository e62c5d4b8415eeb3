package dev.merit.payroll;

import dev.merit.contributor.ActorRef;
import dev.merit.contributor.BotMarks;
import dev.merit.contributor.Contributor;
import dev.merit.contributor.ContributorMerge;
import dev.merit.contributor.Identity;
import dev.merit.contributor.Wallets;
import dev.merit.ingest.ContributionEvent;
import dev.merit.ingest.ContributionMetrics;
import dev.merit.ingest.Ingestor;
import dev.merit.support.Api;
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
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static io.restassured.RestAssured.given;
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
    /** Lines of a payout read by the proposal rather than by id: more than one slice of ids. */
    private static final int LARGE = dev.merit.audit.IdSlices.SIZE + 200;

    @Inject
    Ingestor ingestor;

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

    @Test
    void aLargePayoutReadsItsContributorsByTheProposalAndFindsWhatTheirIdsFind() {
        // 1,200 people with a pull request each in September 1987 (a month no other class's epoch covers), a payout
        // of them: more lines than one slice of ids.
        List<ContributionEvent> work = IntStream.range(0, LARGE).mapToObj(i -> new ContributionEvent("large-read",
                "pr-" + i, "pull_request", Instant.parse("1987-09-02T00:00:00Z").plusSeconds(i), "large/read", null,
                ActorRef.of("Large Reader " + i, "reader" + i + "@large-read.example"), List.of(), "Add check " + i,
                null, new ContributionMetrics(10, 0, 1, 0, 0, Map.of(), 0, 0, 0, 10), List.of(), null)).toList();
        QuarkusTransaction.requiringNew().run(() -> ingestor.open().store(work));
        long epoch = Api.epoch("large-read-1987-09", "1987-09-01T00:00:00Z", "1987-10-01T00:00:00Z",
                BigInteger.TEN.pow(21));
        Api.score(epoch);
        long payout = Api.propose(epoch).getLong("id");
        long[] id = IntStream.range(0, 6).mapToLong(i -> Api.contributor("reader" + i + "@large-read.example"))
                .toArray();
        String wallet0 = "0x00000000000000000000000000000000000b7000";
        String wallet3 = "0x00000000000000000000000000000000000b7003";
        String wallet5 = "0x00000000000000000000000000000000000b7005";
        QuarkusTransaction.requiringNew().run(() -> {
            Identity.of(id[0], Identity.Kind.WALLET, wallet0, Identity.LinkedBy.MANUAL).persist();
            Identity.of(id[3], Identity.Kind.WALLET, wallet3, Identity.LinkedBy.MANUAL).persist();
            Identity.of(id[5], Identity.Kind.WALLET, wallet5, Identity.LinkedBy.MANUAL).persist();
            merge(id[1], id[0], null); // paid to 0's wallet
            merge(id[3], id[2], null); // 2 has no wallet: nor has 3 now, its own not used
            merge(id[4], id[5], Instant.parse("1987-11-01T00:00:00Z")); // undone: 4 has no wallet of its own
        });

        try {
            readsAsByIds(payout, id, wallet0, wallet5);
        } finally { // nothing of it for the classes after this one: no draft, no merge, no wallet
            given().delete("/api/payout-proposals/{id}", payout).then().statusCode(200);
            QuarkusTransaction.requiringNew().run(() -> {
                ContributorMerge.delete("fromId in ?1", List.of(id[1], id[3], id[4]));
                Identity.delete("kind = ?1 and contributorId in ?2", Identity.Kind.WALLET,
                        List.of(id[0], id[3], id[5]));
            });
        }
    }

    private void readsAsByIds(long payout, long[] id, String wallet0, String wallet5) {
        List<Map<String, Object>> lines = given().get("/api/payout-proposals/{id}", payout).then().statusCode(200)
                .extract().jsonPath().getList("lines");
        assertThat(lines).hasSize(LARGE).allSatisfy(l -> assertThat(l.get("displayName")).asString()
                .startsWith("Large Reader "));
        Map<Long, Object> shown = new java.util.HashMap<>();
        lines.forEach(l -> shown.put(((Number) l.get("contributorId")).longValue(), l.get("wallet")));
        List<Long> ids = List.copyOf(shown.keySet());
        Map<Long, String> byIds = QuarkusTransaction.requiringNew().call(() -> wallets.of(ids));
        Map<Long, String> bySelection = QuarkusTransaction.requiringNew().call(() -> wallets.ofSelected(
                PayoutLedger.LINES_OF, Map.of("proposal", payout)));
        String checksum0 = org.web3j.crypto.Keys.toChecksumAddress(wallet0);
        assertThat(bySelection).isEqualTo(byIds).containsOnlyKeys(id[0], id[1], id[5])
                .containsEntry(id[0], checksum0).containsEntry(id[1], checksum0)
                .containsEntry(id[5], org.web3j.crypto.Keys.toChecksumAddress(wallet5));
        ids.forEach(c -> assertThat(shown.get(c)).as("line of %s", c).isEqualTo(byIds.get(c)));
        assertThat(QuarkusTransaction.requiringNew().call(() -> ContributorMerge.currentOfSelected(
                PayoutLedger.LINES_OF, Map.of("proposal", payout)))).isEqualTo(Map.of(id[1], id[0], id[3], id[2]));
    }

    private static void merge(long from, long into, Instant undone) {
        ContributorMerge m = new ContributorMerge();
        m.fromId = from;
        m.intoId = into;
        m.mergedBy = "test";
        m.mergedAt = Instant.parse("1987-10-15T00:00:00Z");
        m.unmergedAt = undone;
        m.unmergedBy = undone == null ? null : "test";
        m.persist();
    }
}
