package io.quorumvip.vrrp;

import java.time.Duration;

/** A fake monotonic clock for tests: time moves only when the test says so. */
final class ManualClock {

    private long nanos;

    ManualClock(long startNanos) {
        this.nanos = startNanos;
    }

    long nanos() {
        return nanos;
    }

    long advance(Duration by) {
        nanos += by.toNanos();
        return nanos;
    }

    long advanceTo(long deadlineNanos) {
        if (deadlineNanos < nanos) {
            throw new IllegalArgumentException("advanceTo: got " + deadlineNanos + " (expected >= now " + nanos + ")");
        }
        nanos = deadlineNanos;
        return nanos;
    }
}
