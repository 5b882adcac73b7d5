package io.quorumvip.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorumvip.events.EventDraft;
import io.quorumvip.forensics.ForensicsCommand;
import io.quorumvip.forensics.ForensicsSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ForensicsJobsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

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
        try (ClusterStore store = storeWithOneOwner(); IncidentFollower follower = follower(store);
             ForensicsJobs jobs = new ForensicsJobs(store, follower, Duration.ofSeconds(30), root.resolve("answers"))) {
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
        try (ClusterStore store = storeWithOneOwner(); IncidentFollower follower = follower(store);
             ForensicsJobs jobs = new ForensicsJobs(store, follower, Duration.ofSeconds(30), root.resolve("answers"))) {
            CountDownLatch release = new CountDownLatch(1);
            LinkedBlockingQueue<ForensicsJobs.Outcome> outcomes = new LinkedBlockingQueue<>();
            // The worker is busy with a first job whose caller holds it in its completion.
            jobs.submit(ForensicsSettings.DEFAULT, outcome -> awaitQuietly(release));
            ForensicsSettings other = ForensicsSettings.DEFAULT.withClockUncertaintyMicros(1);
            FutureTask<Path> queued = jobs.submit(other, outcomes::add);

            queued.cancel(true);
            release.countDown();

            assertThat(outcomes.poll(30, TimeUnit.SECONDS)).isInstanceOf(ForensicsJobs.Outcome.Cancelled.class);
            assertThat(jobs.cached(other)).isNull();
        }
    }

    private IncidentFollower follower(ClusterStore store) throws IOException {
        return IncidentFollower.start(store, root.resolve("incidents"), System::nanoTime);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldAnswerWhatQvipForensicsJsonSaysOverTheArchivesForEveryWindow() throws Exception {
        List<List<EventDraft>> drafts = handOvers();
        List<byte[]> n1 = AgentJournals.write(root.resolve("agent-n1"), "n1", drafts.get(0));
        List<byte[]> n2 = AgentJournals.write(root.resolve("agent-n2"), "n2", drafts.get(1));
        try (ClusterStore store = ClusterStore.open(root.resolve("data"), () -> 0);
             IncidentFollower follower = follower(store);
             ForensicsJobs jobs = new ForensicsJobs(store, follower, Duration.ofSeconds(30), root.resolve("answers"))) {
            store.ingest("n1", RecordBatch.parse(AgentJournals.body(n1, 1, n1.size())));
            store.ingest("n2", RecordBatch.parse(AgentJournals.body(n2, 1, n2.size())));
            long start = AgentJournals.START_MILLIS;
            for (long[] window : new long[][]{{-1, -1}, {start + 95_000, start + 185_000}, {start + 390_000, -1}}) {
                assertAnswersAsTheCommandLine(jobs, root.resolve("data"), window);
            }
            // The windows were the fold's answers (not the batch analysis it falls back to when it cannot answer).
            assertThat(follower.status().failure()).isEmpty();
        }
    }

    /** What {@code qvip forensics --json} printed and exited with, and its arguments. */
    record CommandLineAnswer(JsonNode json, int exit, List<String> args) {
    }

    /** {@code qvip forensics --json} over the archives of n1 and n2 in {@code data}, for the window {from, to} in ms (-1: open). */
    static CommandLineAnswer commandLine(Path data, long[] window) throws IOException {
        List<String> args = new ArrayList<>(List.of("--json"));
        if (window[0] >= 0) {
            args.addAll(List.of("--from", Long.toString(window[0])));
        }
        if (window[1] >= 0) {
            args.addAll(List.of("--to", Long.toString(window[1])));
        }
        args.add(data.resolve("nodes/n1").toString());
        args.add(data.resolve("nodes/n2").toString());
        StringWriter cli = new StringWriter();
        int exit = new CommandLine(new ForensicsCommand()).setOut(new PrintWriter(cli))
                .setErr(new PrintWriter(new StringWriter())).execute(args.toArray(String[]::new));
        return new CommandLineAnswer(JSON.readTree(cli.toString()), exit, args);
    }

    /**
     * Asks {@code jobs} for the window {from, to} in ms (-1: open) and checks the answer is what
     * {@code qvip forensics --json} says over the archives of n1 and n2 in {@code data}, with incidents in it.
     */
    static void assertAnswersAsTheCommandLine(ForensicsJobs jobs, Path data, long[] window) throws Exception {
        ForensicsSettings settings = ForensicsSettings.DEFAULT.withWindow(
                window[0] < 0 ? Long.MIN_VALUE : window[0] * 1000,
                window[1] < 0 ? Long.MAX_VALUE : window[1] * 1000 + 999);
        CommandLineAnswer cli = commandLine(data, window);
        LinkedBlockingQueue<ForensicsJobs.Outcome> outcomes = new LinkedBlockingQueue<>();

        jobs.submit(settings, outcomes::add);
        ForensicsJobs.Outcome outcome = outcomes.poll(30, TimeUnit.SECONDS);

        assertThat(outcome).isInstanceOf(ForensicsJobs.Outcome.Done.class);
        JsonNode answer = JSON.readTree(((ForensicsJobs.Outcome.Done) outcome).json().toFile());
        assertThat(answer).as("window %s", cli.args()).isEqualTo(cli.json());
        assertThat(answer.get("incidents").size()).as("window %s", cli.args()).isPositive();
        assertThat(cli.exit()).as("qvip forensics exit for %s", cli.args())
                .isEqualTo(answer.get("split_brain").asBoolean() ? 1 : 0);
    }

    /** Two nodes binding one address in turns for 40 rounds of 10 s: dual ownership, gaps and hand-overs. */
    static List<List<EventDraft>> handOvers() {
        List<EventDraft> n1Drafts = new ArrayList<>();
        List<EventDraft> n2Drafts = new ArrayList<>();
        for (int round = 0; round < 40; round++) {
            long ms = round * 10_000L;
            n1Drafts.addAll(AgentJournals.owner("n1", ms, 0));
            n1Drafts.addAll(AgentJournals.filler(ms + 100, 1 + round % 5));
            n1Drafts.add(AgentJournals.released(ms + 4_000 + 500 * (round % 3)));
            // n2 binds the same address while n1 may still hold it: dual ownership, gaps and hand-overs.
            n2Drafts.addAll(AgentJournals.owner("n2", ms + 4_200, 0));
            n2Drafts.add(AgentJournals.released(ms + 9_000));
        }
        return List.of(n1Drafts, n2Drafts);
    }

    /** A store holding {@link #handOvers()} of n1 and n2, as their agents shipped them. */
    private ClusterStore storeWithHandOvers() throws IOException {
        List<List<EventDraft>> drafts = handOvers();
        List<byte[]> n1 = AgentJournals.write(root.resolve("agent-n1"), "n1", drafts.get(0));
        List<byte[]> n2 = AgentJournals.write(root.resolve("agent-n2"), "n2", drafts.get(1));
        ClusterStore store = ClusterStore.open(root.resolve("data"), () -> 0);
        store.ingest("n1", RecordBatch.parse(AgentJournals.body(n1, 1, n1.size())));
        store.ingest("n2", RecordBatch.parse(AgentJournals.body(n2, 1, n2.size())));
        return store;
    }

    private static ForensicsSettings lastHour(ClusterStore store) {
        return ForensicsJobs.warmUpWindow(store.cluster().nodes().values().stream()
                .mapToLong(node -> node.lastWallMicros()).max().orElseThrow());
    }

    @Test
    void shouldWarmUpWithoutChangingAnyAnswerOrLeavingAFile() throws Exception {
        Path answers = root.resolve("answers");
        try (ClusterStore store = storeWithHandOvers(); IncidentFollower follower = follower(store);
             ForensicsJobs jobs = new ForensicsJobs(store, follower, Duration.ofSeconds(30), answers)) {
            WarmUp warmUp = jobs.warmUp(lastHour(store), Duration.ofSeconds(30));

            assertThat(warmUp).isInstanceOf(WarmUp.Answered.class);
            assertThat(answers).isEmptyDirectory();
            assertThat(jobs.cached(lastHour(store))).isNull();
            long start = AgentJournals.START_MILLIS;
            for (long[] window : new long[][]{{-1, -1}, {start + 95_000, start + 185_000}, {start + 390_000, -1}}) {
                assertAnswersAsTheCommandLine(jobs, root.resolve("data"), window);
            }
            assertThat(follower.status().failure()).isEmpty();
        }
    }

    @Test
    void shouldStopAWarmUpAtItsBoundAndNeverRunItAfter() throws Exception {
        Path answers = root.resolve("answers");
        try (ClusterStore store = storeWithHandOvers(); IncidentFollower follower = follower(store);
             ForensicsJobs jobs = new ForensicsJobs(store, follower, Duration.ofSeconds(30), answers)) {
            CountDownLatch release = new CountDownLatch(1);
            LinkedBlockingQueue<ForensicsJobs.Outcome> outcomes = new LinkedBlockingQueue<>();
            // The windows' thread is busy with a window whose caller holds it in its completion.
            jobs.submit(lastHour(store), outcome -> {
                outcomes.add(outcome);
                awaitQuietly(release);
            });

            WarmUp warmUp = jobs.warmUp(lastHour(store), Duration.ofMillis(200));
            release.countDown();

            assertThat(warmUp).isInstanceOf(WarmUp.Stopped.class);
            assertThat(((WarmUp.Stopped) warmUp).why()).contains("200 ms");
            assertThat(outcomes.poll(30, TimeUnit.SECONDS)).isInstanceOf(ForensicsJobs.Outcome.Done.class);
            // The warm-up was cancelled while queued and never ran: the held window's answer is the only file.
            try (Stream<Path> files = Files.list(answers)) {
                assertThat(files).hasSize(1);
            }
            assertAnswersAsTheCommandLine(jobs, root.resolve("data"), new long[]{-1, AgentJournals.START_MILLIS + 30_000});
        }
    }

    @Test
    void shouldStopAWarmUpWhenTheJobsAreClosed() throws Exception {
        try (ClusterStore store = storeWithHandOvers(); IncidentFollower follower = follower(store);
             ForensicsJobs jobs = new ForensicsJobs(store, follower, Duration.ofSeconds(30), root.resolve("answers"))) {
            CountDownLatch release = new CountDownLatch(1);
            jobs.submit(lastHour(store), outcome -> awaitQuietly(release));
            LinkedBlockingQueue<WarmUp> warmUps = new LinkedBlockingQueue<>();
            Thread warming = new Thread(() -> warmUps.add(jobs.warmUp(lastHour(store), Duration.ofMinutes(10))));
            warming.start();
            while (warming.getState() != Thread.State.TIMED_WAITING) {
                Thread.onSpinWait();
            }

            jobs.close();

            assertThat(warmUps.poll(30, TimeUnit.SECONDS)).isInstanceOf(WarmUp.Stopped.class);
            assertThat(jobs.warmUp(lastHour(store), Duration.ofMinutes(10)))
                    .isEqualTo(new WarmUp.Stopped("the forensics jobs were closed"));
            release.countDown();
        }
    }

    @Test
    void shouldWarmUpWithTheHourUpToTheNewestRecordOnTheQuarterHourGridOpenEnded() {
        long newest = 1_763_700_000_123_456L;

        ForensicsSettings window = ForensicsJobs.warmUpWindow(newest);

        assertThat(window.fromMicros() % 900_000_000L).isZero();
        assertThat(window.fromMicros()).isBetween(newest - 4_500_000_000L, newest - 3_600_000_000L);
        assertThat(window.toMicros()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldLeaveTheArchivesOpenForIngestWhenAJobReadingThemIsInterrupted() throws Exception {
        List<byte[]> n1 = AgentJournals.write(root.resolve("agent-n1"), "n1", handOvers().get(0));
        try (ClusterStore store = ClusterStore.open(root.resolve("data"), () -> 0)) {
            store.ingest("n1", RecordBatch.parse(AgentJournals.body(n1, 1, 100)));
            // A cancelled job: its thread is interrupted while it reads the archive (as a job's reads do, unchecked).
            try (ClusterStore.Snapshot snapshot = store.snapshot()) {
                Thread.currentThread().interrupt();
                assertThatThrownBy(() -> snapshot.journals().get("n1").next()).hasRootCauseInstanceOf(
                        ClosedByInterruptException.class);
            } finally {
                Thread.interrupted();
            }

            // The interrupt closed the job's own channel, not the archive's: ingest and queries go on.
            assertThat(store.ingest("n1", RecordBatch.parse(AgentJournals.body(n1, 101, n1.size()))))
                    .isInstanceOf(IngestOutcome.Stored.class);
            assertThat(store.events(Optional.empty(), 10_000)).hasSize(n1.size());
        }
    }

    @Test
    void shouldRemoveTheAnswersAKilledCoordinatorLeftWhenTheNextOneStarts() throws Exception {
        Path answers = Files.createDirectories(root.resolve("answers"));
        Files.writeString(answers.resolve("forensics-7.json"), "{}");
        try (ClusterStore store = storeWithOneOwner(); IncidentFollower follower = follower(store);
             ForensicsJobs jobs = new ForensicsJobs(store, follower, Duration.ofSeconds(30), answers)) {
            assertThat(answers).isEmptyDirectory();
        }
    }
}
