package dev.merit.support;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/**
 * The test application for tests whose settings the shared one cannot have: a data directory of its own (so an
 * embedded chain of its own, whose vault and paid periods no other test touches), held shares returned at the very next
 * payout ({@code merit.payroll.held-epochs=0}), one held share released a vote ({@code releases-per-vote=1}), and a
 * Kafka broker that Merit consumes from ({@link KafkaResource}). Each test application is built when the tests are
 * discovered and started when its first test runs, about 15 s of the suite on 2 cores, so the tests that need one share
 * this one wherever their settings do not conflict ({@code HeldLinesTest}, {@code KafkaIngestionTest}, the opt-in
 * {@code SourcesBenchTest}).
 * <p>
 * Its chain is {@code HeldLinesTest}'s: the vault approves 1974-05 to 1974-08, 1975-05, 1997-03 and 2019-01 to 2019-03
 * there, in that order. A test that joins may draft payouts, but puts none on this chain: one executed here would take
 * a period {@code HeldLinesTest} pays, whichever runs first.
 */
public class OwnApplication implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("merit.payroll.held-epochs", "0", "merit.payroll.releases-per-vote", "1",
                "merit.data-dir", "target/test-data-own");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaResource.class));
    }
}
