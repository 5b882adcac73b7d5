package io.quorumvip.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.events.EventDraft;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fold follows the archives: a silent node holds it up to the lag bound, then it folds on without that node; the
 * node's backlog shipped late starts the fold again, and its windows are still exactly the command line's.
 */
class IncidentFollowerTest {

    @TempDir
    Path root;

    @Test
    void shouldFoldOnWithoutASilentNodeAfterTheBoundAndAgainFromTheStartWhenItsBacklogArrives() throws Exception {
        List<List<EventDraft>> drafts = ForensicsJobsTest.handOvers();
        List<byte[]> n1 = AgentJournals.write(root.resolve("agent-n1"), "n1", drafts.get(0));
        List<byte[]> n2 = AgentJournals.write(root.resolve("agent-n2"), "n2", drafts.get(1));
        AtomicLong nanos = new AtomicLong();
        try (ClusterStore store = ClusterStore.open(root.resolve("data"), () -> 0)) {
            // Both nodes are known when the fold starts: a node whose first records come later is a refold too.
            store.ingest("n2", RecordBatch.parse(AgentJournals.body(n2, 1, 5)));
            store.ingest("n1", RecordBatch.parse(AgentJournals.body(n1, 1, n1.size())));
            follow(store, n2, nanos);
        }
    }

    @Test
    void shouldCountEveryStoredRecordAsUnreadUntilTheFoldHasReadIt() throws Exception {
        List<List<EventDraft>> drafts = ForensicsJobsTest.handOvers();
        List<byte[]> n1 = AgentJournals.write(root.resolve("agent-n1"), "n1", drafts.get(0));
        List<byte[]> n2 = AgentJournals.write(root.resolve("agent-n2"), "n2", drafts.get(1));
        try (ClusterStore store = ClusterStore.open(root.resolve("data"), () -> 0)) {
            store.ingest("n1", RecordBatch.parse(AgentJournals.body(n1, 1, n1.size())));
            store.ingest("n2", RecordBatch.parse(AgentJournals.body(n2, 1, n2.size())));
            // As after a restart: the archives hold records the fold has not read. Read at once, before its first
            // turn has ended, the status must not say there is nothing left to fold.
            try (IncidentFollower follower = IncidentFollower.start(store, root.resolve("incidents"), () -> 0)) {
                IncidentFollower.Status first = follower.status();
                assertThat(first.folded() + first.unread()).as("folded + unread at start").isEqualTo(store.version());
                await(() -> follower.status().folded() > 0);
                IncidentFollower.Status later = follower.status();
                assertThat(later.folded() + later.unread()).as("folded + unread later").isEqualTo(store.version());
            }
        }
    }

    private void follow(ClusterStore store, List<byte[]> n2, AtomicLong nanos) throws Exception {
        try (IncidentFollower follower = IncidentFollower.start(store, root.resolve("incidents"), nanos::get);
             ForensicsJobs jobs = new ForensicsJobs(store, follower, Duration.ofSeconds(30), root.resolve("answers"))) {
            // n2 sent nothing after its 5th record: n1's later records wait for it.
            await(() -> follower.status().waitingFor().equals(Set.of("n2")));
            assertThat(follower.status().folded()).isGreaterThanOrEqualTo(5);
            assertThat(follower.status().unread()).isPositive();
            assertThat(follower.status().lagging()).isEmpty();
            long start = AgentJournals.START_MILLIS;
            ForensicsJobsTest.assertAnswersAsTheCommandLine(jobs, root.resolve("data"), new long[] {start, -1});

            nanos.addAndGet(IncidentFollower.LAG_BOUND.toNanos() + 1);
            follower.wake();
            await(() -> follower.status().unread() == 0);
            assertThat(follower.status().lagging()).containsExactly("n2");
            assertThat(follower.status().waitingFor()).isEmpty();

            store.ingest("n2", RecordBatch.parse(AgentJournals.body(n2, 6, n2.size())));
            // n2's backlog comes before what was folded: the fold starts again, and as n1's journal ends before
            // n2's, it holds n2's last records for n1 until the bound passes.
            await(() -> follower.status().refolds() == 1 && follower.status().waitingFor().equals(Set.of("n1")));
            ForensicsJobsTest.assertAnswersAsTheCommandLine(jobs, root.resolve("data"), new long[] {start + 95_000, -1});
            nanos.addAndGet(IncidentFollower.LAG_BOUND.toNanos() + 1);
            follower.wake();
            await(() -> follower.status().unread() == 0);
            assertThat(follower.status().lagging()).containsExactly("n1");
            assertThat(follower.status().failure()).isEmpty();
            for (long[] window : new long[][] {{start + 95_000, start + 185_000}, {start + 390_000, -1}}) {
                ForensicsJobsTest.assertAnswersAsTheCommandLine(jobs, root.resolve("data"), window);
            }
        }
    }

    /** Waits up to 60 s (the machine may be loaded) for {@code condition}. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 60 s for the fold").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
