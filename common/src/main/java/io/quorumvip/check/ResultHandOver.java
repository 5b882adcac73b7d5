package io.quorumvip.check;

/**
 * When a probe loop hands the results it settled to the checks' loop: once the batch is full, or once its first
 * result has waited {@code intervalNanos}, not after every pass. Each hand-over is a task on the checks' loop, and
 * one that finds the loop asleep wakes its thread, a cost whatever the batch holds. A result's latency is measured
 * when it settles, so waiting here moves only the instant its verdict is taken, by at most the interval plus the
 * millisecond the loop's wait is rounded up to.
 * Not thread-safe: one probe loop owns it. Time is passed in, on the caller's {@code System.nanoTime} scale.
 */
public final class ResultHandOver {

    /**
     * Five milliseconds: at 10,000 probes a second the calendar's batches wake the probe thread every 5 ms (every 2 ms
     * when this was chosen), so a batch goes on one of those passes, without a wake-up of its own; 2 ms added one per
     * batch and saved nothing
     * (benchmarks.md, issue 12: results handed over in batches).
     */
    public static final long INTERVAL_NANOS = 5_000_000;

    /** A batch this large goes at once: its results' work on the checks' loop outweighs a wake-up many times. */
    public static final int FULL_BATCH = 256;

    private final long intervalNanos;
    private final int fullBatch;
    private int pending;
    private long firstSettledNanos;

    public ResultHandOver(long intervalNanos, int fullBatch) {
        if (intervalNanos < 0 || fullBatch < 1) {
            throw new IllegalArgumentException("a result hand-over needs an interval of 0 ns or more and a full "
                    + "batch of 1 or more, not " + intervalNanos + " ns and " + fullBatch);
        }
        this.intervalNanos = intervalNanos;
        this.fullBatch = fullBatch;
    }

    /** One result settled at {@code nowNanos} and joined the batch. */
    public void settled(long nowNanos) {
        if (pending == 0) {
            firstSettledNanos = nowNanos;
        }
        pending++;
    }

    /** True when the batch should be handed over at {@code nowNanos}: it is full, or its first result waited enough. */
    public boolean due(long nowNanos) {
        return pending > 0 && (pending >= fullBatch || nowNanos - firstSettledNanos >= intervalNanos);
    }

    /** The batch went to the checks' loop; the next result starts a new one. */
    public void handedOver() {
        pending = 0;
    }

    /**
     * How long the probe loop may wait at {@code nowNanos}, given what its sockets allow ({@code socketsWaitMillis},
     * -1 for no limit): no longer than until the batch is due, in milliseconds rounded up as epoll_wait counts.
     */
    public int waitMillis(long nowNanos, int socketsWaitMillis) {
        if (pending == 0) {
            return socketsWaitMillis;
        }
        long left = firstSettledNanos + intervalNanos - nowNanos;
        int batchMillis = left <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
        return socketsWaitMillis < 0 ? batchMillis : Math.min(socketsWaitMillis, batchMillis);
    }
}
