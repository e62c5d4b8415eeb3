package dev.merit.ingest.git;

import dev.merit.support.TestRepo;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A commit is dated by when it reached the branch: the merge that brought it, or its own commit on the line. */
class GitHistoryReaderTest {

    private static Map<String, CommitRecord> read(TestRepo r, ObjectId known) throws IOException {
        GitHistoryReader reader = new GitHistoryReader(r.git().getRepository(), PathClassifier.builtIn(), 1 << 20, 2);
        Map<String, CommitRecord> out = new HashMap<>();
        reader.read(r.git().getRepository().resolve("HEAD"), known, records -> records.forEach(c -> out.put(c.sha(), c)));
        return out;
    }

    @Test
    void commitsAMergeBroughtAreDatedByTheMergeAndTheLineByItself() throws IOException {
        try (TestRepo r = TestRepo.create("merit-landing-unit", Instant.parse("2030-01-01T00:00:00Z"))) {
            RevCommit base = r.write("a.txt", "a\n").commit("base", "Ann", "ann@example.com");
            RevCommit topic1 = r.branch("topic").write("b.txt", "b\n").commit("topic one", "Ben", "ben@example.com");
            // A topic that merged main into itself: main's commit it brought is main's, not the topic's.
            RevCommit mainWork = r.checkout("main").write("c.txt", "c\n").commit("main work", "Ann", "ann@example.com");
            RevCommit syncMain = r.checkout("topic").merge("main", "Ben", "ben@example.com");
            // A branch of the topic, merged into the topic: nested, it lands with the outer merge.
            RevCommit nested = r.branch("nested").write("d.txt", "d\n").commit("nested", "Cid", "cid@example.com");
            RevCommit nestedMerge = r.checkout("topic").merge("nested", "Ben", "ben@example.com");
            RevCommit topic2 = r.write("b.txt", "b2\n").commit("topic two", "Ben", "ben@example.com");
            r.checkout("main");
            Instant mergedAt = Instant.parse("2030-02-03T09:00:00Z");
            RevCommit merge = r.mergeAt(mergedAt, "topic", "Ann", "ann@example.com");
            ObjectId beforeMerge = mainWork.getId();

            Map<String, CommitRecord> all = read(r, null);
            assertThat(all).hasSize(8);
            for (RevCommit brought : new RevCommit[]{topic1, syncMain, nested, nestedMerge, topic2}) {
                CommitRecord c = all.get(brought.name());
                assertThat(c.landedWith()).as(c.message()).isEqualTo(merge.name());
                assertThat(c.reachedBranchAt()).as(c.message()).isEqualTo(mergedAt);
                assertThat(c.committedAt()).as(c.message()).isBefore(mergedAt);
            }
            for (RevCommit line : new RevCommit[]{base, mainWork, merge}) {
                CommitRecord c = all.get(line.name());
                assertThat(c.landedWith()).as(c.message()).isNull();
                assertThat(c.reachedBranchAt()).as(c.message()).isEqualTo(c.committedAt());
            }

            // Read from where an earlier ingest stopped (main before the merge): the same dates.
            Map<String, CommitRecord> since = read(r, beforeMerge);
            assertThat(since.keySet()).containsExactlyInAnyOrder(topic1.name(), syncMain.name(), nested.name(),
                    nestedMerge.name(), topic2.name(), merge.name());
            assertThat(since.get(topic1.name()).reachedBranchAt()).isEqualTo(mergedAt);
            assertThat(since.get(merge.name()).landedWith()).isNull();
        }
    }

    @Test
    void aMergeAfter2038IsDatedByItsOwnDate() throws IOException {
        // git's commit time is a 32-bit number of seconds in some APIs: a merge of 2097 must not land in 1961.
        try (TestRepo r = TestRepo.create("merit-landing-2097", Instant.parse("2097-02-20T00:00:00Z"))) {
            r.write("a.txt", "a\n").commit("base", "Ann", "ann@example.com");
            RevCommit topic = r.branch("topic").write("b.txt", "b\n").commit("topic", "Ben", "ben@example.com");
            Instant mergedAt = Instant.parse("2097-03-02T09:00:00Z");
            r.checkout("main").mergeAt(mergedAt, "topic", "Ann", "ann@example.com");
            assertThat(read(r, null).get(topic.name()).reachedBranchAt()).isEqualTo(mergedAt);
        }
    }

    @Test
    void aFastForwardKeepsEveryCommitsOwnDate() throws IOException {
        try (TestRepo r = TestRepo.create("merit-landing-ff", Instant.parse("2030-03-01T00:00:00Z"))) {
            r.write("a.txt", "a\n").commit("base", "Ann", "ann@example.com");
            RevCommit topic = r.branch("topic").write("b.txt", "b\n").commit("topic", "Ben", "ben@example.com");
            r.checkout("main");
            try {
                r.git().merge().include(topic).call(); // fast-forward: topic's commit is on the line now
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            Map<String, CommitRecord> all = read(r, null);
            assertThat(all).hasSize(2).allSatisfy((sha, c) -> {
                assertThat(c.landedWith()).isNull();
                assertThat(c.reachedBranchAt()).isEqualTo(c.committedAt());
            });
        }
    }
}
