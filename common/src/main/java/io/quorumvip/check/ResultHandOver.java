package io.quorumvip.check;

/**
 * When a probe loop must call the checks' loop for the results it posted. The probe loop posts each pass's results
 * where the checks' loop collects them itself, at every wake-up of its calendar (one every 5 ms at 10,000 probes a
 * second, {@link ProbeCalendar#MIN_WAKE_GAP_NANOS}), which also submits the next probes: one wake-up each way per
 * cycle. A task that collects goes to the checks' loop, waking it if it sleeps, only when that did not happen in
 * time: the batch is full, or its first result has waited {@code intervalNanos} (a calendar with nothing due soon).
 * A result's latency is measured when it settles, so waiting here moves only the instant its verdict is taken, by at
 * most the interval plus the millisecond the probe loop's wait is rounded up to.
 * Not thread-safe: the probe loop guards it with what it posts the results in. Time is passed in, on the caller's
 * {@code System.nanoTime} scale.
 */
public final class ResultHandOver {

    /**
     * Ten milliseconds, two of the calendar's wake-up gaps: a steady stream of probes has its results collected at the
     * next calendar wake-up, 5 ms after the submission that started them, and never calls; 5 ms, the interval when
     * the probe loop still handed every batch over itself, raced the calendar and woke the checks' loop a second time
     * in many cycles (benchmarks.md, issue 12: the checks' loop and the hand-over).
     */
    public static final long INTERVAL_NANOS = 10_000_000;

    /** A batch this large is called for at once: its results' work on the checks' loop outweighs a wake-up many times. */
    public static final int FULL_BATCH = 256;

    private final long intervalNanos;
    private final int fullBatch;
    private int waiting;
    private long firstPostedNanos;
    private boolean called;

    public ResultHandOver(long intervalNanos, int fullBatch) {
        if (intervalNanos < 0 || fullBatch < 1) {
            throw new IllegalArgumentException("a result hand-over needs an interval of 0 ns or more and a full "
                    + "batch of 1 or more, not " + intervalNanos + " ns and " + fullBatch);
        }
        this.intervalNanos = intervalNanos;
        this.fullBatch = fullBatch;
    }

    /** {@code count} results settled and were posted at {@code nowNanos}, for the checks' loop to collect. */
    public void posted(long nowNanos, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("a probe loop posts 0 results or more, not " + count);
        }
        if (count == 0) {
            return;
        }
        if (waiting == 0) {
            firstPostedNanos = nowNanos;
        }
        waiting += count;
    }

    /**
     * True when the probe loop should send the checks' loop a task that collects, at {@code nowNanos}: results wait,
     * none is on its way, and the batch is full or its first result waited the interval.
     */
    public boolean due(long nowNanos) {
        return waiting > 0 && !called && (waiting >= fullBatch || nowNanos - firstPostedNanos >= intervalNanos);
    }

    /** The probe loop sent the task: nothing more is due until the checks' loop has collected. */
    public void called() {
        called = true;
    }

    /** The checks' loop took every result posted (at its calendar's wake-up, or for the task): a new batch starts. */
    public void collected() {
        waiting = 0;
        called = false;
    }

    /**
     * How long the probe loop may wait at {@code nowNanos}, given what its sockets allow ({@code socketsWaitMillis},
     * -1 for no limit): no longer than until a task is due, in milliseconds rounded up as epoll_wait counts; once
     * one is on its way, as long as the sockets allow.
     */
    public int waitMillis(long nowNanos, int socketsWaitMillis) {
        if (waiting == 0 || called) {
            return socketsWaitMillis;
        }
        long left = waiting >= fullBatch ? 0 : firstPostedNanos + intervalNanos - nowNanos;
        int batchMillis = left <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
        return socketsWaitMillis < 0 ? batchMillis : Math.min(socketsWaitMillis, batchMillis);
    }
}
