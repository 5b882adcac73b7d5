package io.quorumvip.journal.bench;

import io.quorumvip.events.EventRecord;
import io.quorumvip.journal.Journal;
import io.quorumvip.journal.JournalConfig;
import io.quorumvip.journal.JournalFixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Durable appends with group commit. Each operation queues {@value #BATCH} events and waits until the last one is
 * fsynced (the journal acknowledges in order, so all of them are durable); the score is durable events per second.
 * Run: {@code java -cp ... org.openjdk.jmh.Main JournalAppendBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JournalAppendBenchmark {

    static final int BATCH = 256;

    private Path dir;
    private Journal journal;
    private final AtomicLong next = new AtomicLong();

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = BenchDirs.create("qvip-append-bench");
        journal = Journal.open(JournalConfig.of(dir, "node-11"));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        journal.close();
        BenchDirs.delete(dir);
    }

    private EventRecord appendBatch() {
        CompletableFuture<EventRecord> last = null;
        for (int i = 0; i < BATCH; i++) {
            last = journal.append(JournalFixtures.draft(next.getAndIncrement()));
        }
        return last.join();
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public EventRecord durableAppendOneWriter() {
        return appendBatch();
    }

    @Benchmark
    @Threads(8)
    @OperationsPerInvocation(BATCH)
    public EventRecord durableAppendEightWriters() {
        return appendBatch();
    }
}
