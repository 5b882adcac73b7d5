package io.quorumvip.sim;

/**
 * One machine's monotonic clock: it starts at an arbitrary offset and runs at a rate off by {@code ppm} parts per
 * million from simulated global time (docs/safety.md assumes two clocks differ in rate by at most 0.1 %).
 */
record SimClock(long offsetNanos, long ppm) {

    private static final long MILLION = 1_000_000L;

    long local(long globalNanos) {
        return offsetNanos + globalNanos + globalNanos * ppm / MILLION;
    }

    /** The first global instant at which this clock reads {@code localNanos} or later. */
    long global(long localNanos) {
        long guess = (localNanos - offsetNanos) * MILLION / (MILLION + ppm);
        while (local(guess) < localNanos) {
            guess++;
        }
        while (guess > 0 && local(guess - 1) >= localNanos) {
            guess--;
        }
        return guess;
    }
}
