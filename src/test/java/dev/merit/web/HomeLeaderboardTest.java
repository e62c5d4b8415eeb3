package dev.merit.web;

import dev.merit.epoch.Epoch;
import dev.merit.support.Api;
import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The home page's leaderboard follows the epoch under way, not whichever epoch was scored last (years 2081). */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class HomeLeaderboardTest {

    @Test
    void theEpochUnderWayLeadsOnceScoredThoughAnOlderOneWasScoredAgainAfterIt() {
        TestRepo r = TestRepo.create("merit-home", Instant.parse("2081-01-10T00:00:00Z"));
        r.write("a.py", "a = 1\nb = 2\n").commit("feat: january", "Jan Home", "jan@home.example");
        r.write("b.py", "c = 3\n").commitAt(Instant.parse("2081-02-10T00:00:00Z"), "fix: february", "Feb Home",
                "feb@home.example");
        Api.ingest(r);
        BigInteger budget = BigInteger.TEN.pow(20);
        long january = Api.epoch("home-2081-01", "2081-01-01T00:00:00Z", "2081-02-01T00:00:00Z", budget);
        long february = Api.epoch("home-2081-02", "2081-02-01T00:00:00Z", "2081-03-01T00:00:00Z", budget);
        long januaryRun = Api.score(january);
        long februaryRun = Api.score(february);
        long januaryAgain = Api.score(january); // after a dispute, say: the latest run is of an older epoch
        assertThat(januaryAgain).isNotEqualTo(januaryRun);

        // February under way: its scoring leads, not January's newer one.
        assertThat(homeRun(february, "2081-02-15T00:00:00Z")).isEqualTo(februaryRun);
        // In March, before March is scored (no epoch open here): February's, the last to end, not January's newer one.
        assertThat(homeRun(null, "2081-03-02T00:00:00Z")).isEqualTo(februaryRun);
        // In the middle of February, before it is scored: January's latest scoring.
        assertThat(QuarkusTransaction.requiringNew().call(() -> OverviewResource.homeRun(null,
                Instant.parse("2081-01-20T00:00:00Z")).id)).isEqualTo(januaryAgain);
    }

    private static long homeRun(Long openEpoch, String now) {
        return QuarkusTransaction.requiringNew().call(() -> OverviewResource.homeRun(
                openEpoch == null ? null : Epoch.<Epoch>findById(openEpoch), Instant.parse(now)).id);
    }
}
