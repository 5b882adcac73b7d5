package io.quorumvip.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.forensics.ForensicsSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForensicsJobsTest {

    @TempDir
    Path root;

    private ClusterStore storeWithOneOwner() throws IOException {
        List<byte[]> frames = AgentJournals.write(root.resolve("agent"), "n1", AgentJournals.owner("n1", 0, 7));
        ClusterStore store = ClusterStore.open(root.resolve("data"), () -> 0);
        store.ingest("n1", RecordBatch.parse(AgentJournals.body(frames, 1, frames.size())));
        return store;
    }

    @Test
    void shouldAnswerFromTheCacheUntilSomethingNewIsStored() throws Exception {
        try (ClusterStore store = storeWithOneOwner(); ForensicsJobs jobs = new ForensicsJobs(store, Duration.ofSeconds(30))) {
            LinkedBlockingQueue<ForensicsJobs.Outcome> outcomes = new LinkedBlockingQueue<>();
            jobs.submit(ForensicsSettings.DEFAULT, outcomes::add);
            ForensicsJobs.Outcome outcome = outcomes.poll(30, TimeUnit.SECONDS);

            assertThat(outcome).isInstanceOf(ForensicsJobs.Outcome.Done.class);
            assertThat(jobs.cached(ForensicsSettings.DEFAULT)).isEqualTo(((ForensicsJobs.Outcome.Done) outcome).json());
            assertThat(jobs.cached(ForensicsSettings.DEFAULT.withWindow(0, 1))).isNull();

            List<byte[]> more = AgentJournals.write(root.resolve("agent2"), "n2", AgentJournals.owner("n2", 0, 0));
            store.ingest("n2", RecordBatch.parse(AgentJournals.body(more, 1, more.size())));
            assertThat(jobs.cached(ForensicsSettings.DEFAULT)).isNull();
        }
    }

    @Test
    void shouldNeverStartAJobCancelledWhileQueued() throws Exception {
        try (ClusterStore store = storeWithOneOwner(); ForensicsJobs jobs = new ForensicsJobs(store, Duration.ofSeconds(30))) {
            CountDownLatch release = new CountDownLatch(1);
            LinkedBlockingQueue<ForensicsJobs.Outcome> outcomes = new LinkedBlockingQueue<>();
            // The worker is busy with a first job whose caller holds it in its completion.
            jobs.submit(ForensicsSettings.DEFAULT, outcome -> awaitQuietly(release));
            FutureTask<String> queued = jobs.submit(ForensicsSettings.DEFAULT.withWindow(0, 1), outcomes::add);

            queued.cancel(true);
            release.countDown();

            assertThat(outcomes.poll(30, TimeUnit.SECONDS)).isInstanceOf(ForensicsJobs.Outcome.Cancelled.class);
            assertThat(jobs.cached(ForensicsSettings.DEFAULT.withWindow(0, 1))).isNull();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
