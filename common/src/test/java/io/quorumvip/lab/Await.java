package io.quorumvip.lab;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls an observation until it satisfies a condition. Bounds are meant to be generous: they catch a system
 * that never gets there, they do not measure how fast it gets there (that is the benchmarks' job).
 */
public final class Await {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private Await() {
    }

    /**
     * Returns the first observed value that satisfies {@code condition}; fails after {@code timeout} with the
     * description and the last observed value.
     */
    public static <T> T awaitCondition(String description, Duration timeout, Supplier<T> observation,
            Predicate<? super T> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T observed = observation.get();
            if (condition.test(observed)) {
                return observed;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + description
                        + "; last observed: " + observed);
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + description + "; last observed: "
                        + observed, e);
            }
        }
    }
}
