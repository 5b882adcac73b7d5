package io.quorumvip.coordinator;

import java.time.Duration;

/**
 * How a warm-up at start ended ({@link ForensicsJobs#warmUp}, {@link CoordinatorServer#warmUpState}): answered (and
 * how long it took), skipped or stopped, and why.
 */
sealed interface WarmUp {
    record Answered(Duration took) implements WarmUp {
    }

    record Skipped(String why) implements WarmUp {
    }

    record Stopped(String why) implements WarmUp {
    }
}
