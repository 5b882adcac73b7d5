package io.quorumvip.agent.ship;

import java.time.Duration;
import java.util.Random;

/**
 * How long a shipper waits after consecutive failures: doubling from {@code initial} up to {@code max}, each wait
 * drawn between half and all of it so agents that lost the same coordinator do not all come back at once.
 */
record ShipBackoff(Duration initial, Duration max) {

    static final ShipBackoff DEFAULT = new ShipBackoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    ShipBackoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("ship backoff got initial " + initial + ", max " + max
                    + " (expected 0 < initial <= max)");
        }
    }

    /** The wait after the {@code failures}-th failure in a row (1 = the first). */
    Duration delay(int failures, Random random) {
        long ceiling = max.toMillis();
        long base = initial.toMillis() << Math.min(Math.max(failures - 1, 0), 30);
        long full = Math.min(base, ceiling);
        long half = full / 2;
        return Duration.ofMillis(half + (long) (random.nextDouble() * (full - half + 1)));
    }

    /** The wait after an answer that repeating cannot fix (bad token, bad request, chain conflict). */
    Duration longest(Random random) {
        return delay(Integer.MAX_VALUE, random);
    }
}
