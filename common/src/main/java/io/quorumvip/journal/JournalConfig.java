package io.quorumvip.journal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How a node's journal is laid out and kept.
 *
 * @param dir              directory holding the segment files (one journal per node)
 * @param nodeId           the node whose events this journal holds; a journal of another node is refused
 * @param maxSegmentBytes  a segment is sealed and a new one started once it reaches this size
 * @param retainBytes      retention deletes the oldest sealed segments while the journal is larger than this
 * @param retainMicros     ... or while a sealed segment's newest record is older than this
 * @param wallClockMicros  wall clock for segment creation times and retention (the journal is an I/O edge)
 */
public record JournalConfig(Path dir, String nodeId, long maxSegmentBytes, long retainBytes, long retainMicros,
        LongSupplier wallClockMicros) {

    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

    public JournalConfig {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(wallClockMicros, "wallClockMicros");
        if (nodeId.isBlank()) {
            throw new IllegalArgumentException("journal node id is blank (expected the agent's node name)");
        }
        if (maxSegmentBytes < 4096 || maxSegmentBytes > (1L << 30)) {
            throw new IllegalArgumentException("journal segment size: got " + maxSegmentBytes + " bytes (expected 4096..1 GiB)");
        }
        if (retainBytes < maxSegmentBytes) {
            throw new IllegalArgumentException("journal retention: got " + retainBytes
                    + " bytes (expected at least one segment, " + maxSegmentBytes + ")");
        }
        if (retainMicros <= 0) {
            throw new IllegalArgumentException("journal retention age: got " + retainMicros + " µs (expected > 0)");
        }
    }

    /** 64 MiB segments, keep 4 GiB and 90 days, system wall clock. */
    public static JournalConfig of(Path dir, String nodeId) {
        return new JournalConfig(dir, nodeId, DEFAULT_SEGMENT_BYTES, 4L << 30, Duration.ofDays(90).toNanos() / 1000,
                () -> System.currentTimeMillis() * 1000);
    }

    public JournalConfig withSegmentBytes(long bytes) {
        return new JournalConfig(dir, nodeId, bytes, Math.max(retainBytes, bytes), retainMicros, wallClockMicros);
    }

    public JournalConfig withRetention(long bytes, Duration age) {
        return new JournalConfig(dir, nodeId, maxSegmentBytes, bytes, age.toNanos() / 1000, wallClockMicros);
    }

    public JournalConfig withWallClock(LongSupplier micros) {
        return new JournalConfig(dir, nodeId, maxSegmentBytes, retainBytes, retainMicros, micros);
    }
}
