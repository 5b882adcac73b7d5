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
    void shouldNotShiftTheCadenceByALateStart() {
        // Due at 10 s, started 30 ms late, answered 10 ms later: the next is still due at 11 s.
        long lastDue = 10 * SECOND;
        assertThat(ProbeCadence.nextDueNanos(lastDue, lastDue + 40 * MS, SECOND)).isEqualTo(lastDue + SECOND);
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
        long lastDue = Long.MAX_VALUE - 100 * MS;
        assertThat(ProbeCadence.nextDueNanos(lastDue, lastDue + 40 * MS, SECOND)).isEqualTo(lastDue + SECOND);
        assertThat(ProbeCadence.nextDueNanos(lastDue, lastDue + 2 * SECOND, SECOND)).isEqualTo(lastDue + 3 * SECOND);
    }
}
