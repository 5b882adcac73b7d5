package io.quorumvip.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.events.EventDraft;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

    @Test
    void shouldResumeAfterARestartMidHistoryAndAnswerWindowsAsTheCommandLineRightAway() throws Exception {
        List<List<EventDraft>> drafts = ForensicsJobsTest.handOvers();
        List<byte[]> n1 = AgentJournals.write(root.resolve("agent-n1"), "n1", drafts.get(0));
        List<byte[]> n2 = AgentJournals.write(root.resolve("agent-n2"), "n2", drafts.get(1));
        Path incidents = root.resolve("incidents");
        long start = AgentJournals.START_MILLIS;
        long[][] windows = {{start, -1}, {start + 95_000, start + 185_000}};
        long savedFolded;
        try (ClusterStore store = ClusterStore.open(root.resolve("data"), () -> 0)) {
            store.ingest("n1", RecordBatch.parse(AgentJournals.body(n1, 1, n1.size() / 2)));
            store.ingest("n2", RecordBatch.parse(AgentJournals.body(n2, 1, n2.size() / 2)));
            try (IncidentFollower follower = IncidentFollower.start(store, incidents, () -> 0, 1_000_000)) {
                await(() -> !follower.status().waitingFor().isEmpty());
                savedFolded = follower.status().folded();
            }
        }
        assertThat(incidents.resolve(IncidentFollower.STATE_FILE)).exists();
        // A restart of the whole coordinator: the archives reopen from their own saved states, the fold from its.
        try (ClusterStore store = ClusterStore.open(root.resolve("data"), () -> 0);
             IncidentFollower follower = IncidentFollower.start(store, incidents, () -> 0, 1_000_000);
             ForensicsJobs jobs = new ForensicsJobs(store, follower, Duration.ofSeconds(30), root.resolve("answers"))) {
            assertThat(follower.status().folded()).as("folded right after start").isEqualTo(savedFolded);
            for (long[] window : windows) {
                ForensicsJobsTest.assertAnswersAsTheCommandLine(jobs, root.resolve("data"), window);
            }
            store.ingest("n1", RecordBatch.parse(AgentJournals.body(n1, n1.size() / 2 + 1, n1.size())));
            store.ingest("n2", RecordBatch.parse(AgentJournals.body(n2, n2.size() / 2 + 1, n2.size())));
            await(() -> follower.status().folded() > savedFolded);
            for (long[] window : windows) {
                ForensicsJobsTest.assertAnswersAsTheCommandLine(jobs, root.resolve("data"), window);
            }
            assertThat(follower.status().refolds()).isZero();
        }
    }

    @Test
    void shouldResumeFromAnOlderSaveCuttingOffWhatWasSettledAfterIt() throws Exception {
        List<List<EventDraft>> drafts = ForensicsJobsTest.handOvers();
        List<byte[]> n1 = AgentJournals.write(root.resolve("agent-n1"), "n1", drafts.get(0));
        List<byte[]> n2 = AgentJournals.write(root.resolve("agent-n2"), "n2", drafts.get(1));
        Path incidents = root.resolve("incidents");
        Path stateFile = incidents.resolve(IncidentFollower.STATE_FILE);
        Path older = root.resolve("older-state");
        try (ClusterStore store = ClusterStore.open(root.resolve("data"), () -> 0)) {
            store.ingest("n1", RecordBatch.parse(AgentJournals.body(n1, 1, n1.size() / 3)));
            store.ingest("n2", RecordBatch.parse(AgentJournals.body(n2, 1, n2.size() / 3)));
            // Saved every 50 records: a crash after a save and before the next leaves the files ahead of the state.
            try (IncidentFollower follower = IncidentFollower.start(store, incidents, () -> 0, 50)) {
                await(() -> Files.exists(stateFile));
                Files.copy(stateFile, older);
                store.ingest("n1", RecordBatch.parse(AgentJournals.body(n1, n1.size() / 3 + 1, n1.size())));
                store.ingest("n2", RecordBatch.parse(AgentJournals.body(n2, n2.size() / 3 + 1, n2.size())));
                await(() -> follower.status().intervals() > 0 && follower.status().waitingFor().equals(Set.of("n1")));
            }
            Files.copy(older, stateFile, StandardCopyOption.REPLACE_EXISTING);
            long[] olderFolded = new long[1];
            try (IncidentFollower follower = IncidentFollower.start(store, incidents, () -> 0, 50);
                 ForensicsJobs jobs = new ForensicsJobs(store, follower, Duration.ofSeconds(30),
                         root.resolve("answers"))) {
                olderFolded[0] = follower.status().folded();
                assertThat(olderFolded[0]).as("folded right after start").isPositive().isLessThan(store.version());
                await(() -> follower.status().waitingFor().equals(Set.of("n1")));
                long start = AgentJournals.START_MILLIS;
                for (long[] window : new long[][] {{start, -1}, {start + 95_000, start + 185_000}}) {
                    ForensicsJobsTest.assertAnswersAsTheCommandLine(jobs, root.resolve("data"), window);
                }
                assertThat(follower.status().refolds()).isZero();
            }
        }
    }

    @Test
    void shouldFoldFromTheBeginningWhenTheSavedStateIsDamaged() throws Exception {
        List<List<EventDraft>> drafts = ForensicsJobsTest.handOvers();
        List<byte[]> n1 = AgentJournals.write(root.resolve("agent-n1"), "n1", drafts.get(0));
        List<byte[]> n2 = AgentJournals.write(root.resolve("agent-n2"), "n2", drafts.get(1));
        Path incidents = root.resolve("incidents");
        Path stateFile = incidents.resolve(IncidentFollower.STATE_FILE);
        try (ClusterStore store = ClusterStore.open(root.resolve("data"), () -> 0)) {
            store.ingest("n1", RecordBatch.parse(AgentJournals.body(n1, 1, n1.size())));
            store.ingest("n2", RecordBatch.parse(AgentJournals.body(n2, 1, n2.size() / 2)));
            try (IncidentFollower follower = IncidentFollower.start(store, incidents, () -> 0)) {
                await(() -> follower.status().waitingFor().equals(Set.of("n2")));
            }
            byte[] bytes = Files.readAllBytes(stateFile);
            bytes[bytes.length - 1] ^= 1;
            Files.write(stateFile, bytes);
            try (IncidentFollower follower = IncidentFollower.start(store, incidents, () -> 0);
                 ForensicsJobs jobs = new ForensicsJobs(store, follower, Duration.ofSeconds(30),
                         root.resolve("answers"))) {
                // Not "nothing folded right after start": the fold's thread may have folded all of it by then.
                assertThat(stateFile).as("the damaged state, deleted instead of resumed from").doesNotExist();
                await(() -> follower.status().waitingFor().equals(Set.of("n2")));
                ForensicsJobsTest.assertAnswersAsTheCommandLine(jobs, root.resolve("data"),
                        new long[] {AgentJournals.START_MILLIS, -1});
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
