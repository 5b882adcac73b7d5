package io.quorumvip.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProbeCadenceTest {

    private static final long MS = 1_000_000;
    private static final long SECOND = 1_000 * MS;

    @Test
    void shouldKeepTheCadenceWhenTheProbeEndsWithinItsDelay() {
        assertThat(ProbeCadence.nextDueNanos(10 * SECOND, 10 * SECOND + 40 * MS, SECOND)).isEqualTo(11 * SECOND);
    }

    @Test
    void shouldCountFromTheResultWhenTheProbeOutlastedItsDelay() {
        // A connect_timeout of 3 s and delay_before_retry 1 s: the retry waits 1 s after the timeout.
        assertThat(ProbeCadence.nextDueNanos(10 * SECOND, 13 * SECOND, SECOND)).isEqualTo(14 * SECOND);
    }

    @Test
    void shouldKeepTheCadenceForAResultExactlyAtTheNextDueTime() {
        assertThat(ProbeCadence.nextDueNanos(10 * SECOND, 11 * SECOND, SECOND)).isEqualTo(11 * SECOND);
    }

    @Test
    void shouldProbeRightAfterTheResultWhenTheDelayIsZero() {
        // fast_recovery asks for the next probe at once.
        assertThat(ProbeCadence.nextDueNanos(10 * SECOND, 10 * SECOND + 5 * MS, 0)).isEqualTo(10 * SECOND + 5 * MS);
    }

    @Test
    void shouldCompareByDifferenceAcrossTheWrapOfNanoTime() {
        long started = Long.MAX_VALUE - 100 * MS;
        assertThat(ProbeCadence.nextDueNanos(started, started + 40 * MS, SECOND)).isEqualTo(started + SECOND);
        assertThat(ProbeCadence.nextDueNanos(started, started + 2 * SECOND, SECOND)).isEqualTo(started + 3 * SECOND);
    }
}
