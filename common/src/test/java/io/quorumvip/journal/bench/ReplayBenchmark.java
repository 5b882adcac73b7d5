package io.quorumvip.journal.bench;

import io.quorumvip.events.EventRecord;
import io.quorumvip.journal.Journal;
import io.quorumvip.journal.JournalConfig;
import io.quorumvip.journal.JournalFixtures;
import io.quorumvip.journal.JournalReader;
import io.quorumvip.journal.Replay;
import io.quorumvip.replay.ClusterView;
import io.quorumvip.replay.ReplayState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Replay over a journal of {@code events} records (10 million by default, about 1 GB at 98 bytes per framed record, generated once per trial):
 * a full fold (read, CRC, decode, apply) and an {@code --at} lookup in the middle with the index built in setup.
 * Scores are milliseconds per operation; replay events/s = events / (ms / 1000).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ReplayBenchmark {

    @Param("10000000")
    public long events;

    private Path dir;
    private long middleHlc;

    @Setup(Level.Trial)
    public void generate() throws IOException {
        dir = BenchDirs.create("qvip-replay-bench");
        try (Journal journal = Journal.open(JournalConfig.of(dir, "node-11"))) {
            CompletableFuture<EventRecord> middle = null;
            for (long i = 0; i < events; i++) {
                CompletableFuture<EventRecord> appended = journal.append(JournalFixtures.draft(i));
                if (i == events / 2) {
                    middle = appended;
                }
                if (i % 100_000 == 0) {
                    appended.join();
                }
            }
            middleHlc = middle.join().hlc();
        }
        long lastSeq = Replay.stateAt(List.of(dir), Long.MAX_VALUE).view().nodes().get("node-11").lastSeq();
        if (lastSeq != events) {
            throw new IllegalStateException("generated journal ends at seq " + lastSeq + " (expected " + events + ")");
        }
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        BenchDirs.delete(dir);
    }

    @Benchmark
    public ClusterView replayWholeJournal() throws IOException {
        ReplayState state = new ReplayState();
        JournalReader.read(JournalReader.segmentFiles(dir), (s, h) -> { }, (s, offset, record, p, o, l) -> {
            state.apply(record);
            return true;
        });
        return state.view();
    }

    @Benchmark
    public ClusterView lookupAtMiddle() throws IOException {
        return Replay.stateAt(List.of(dir), middleHlc).view();
    }
}
