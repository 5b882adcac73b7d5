package io.quorumvip.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DropLogThrottleTest {

    static final long SECOND = 1_000_000_000L;
    static final VrrpDrop BAD_CHECKSUM = new VrrpDrop(DropReason.BAD_CHECKSUM, 51, 0xC000020CL,
            () -> "VRRP checksum 0x0001 (expected 0x0002 over the message)");
    static final VrrpDrop UNKNOWN_VRID = new VrrpDrop(DropReason.UNKNOWN_VRID, 52, 0xC000020CL,
            () -> "VRID 52 (expected a VRID configured on this interface; configured: 51)");

    @Test
    void shouldLogTheFirstLinesOfAReasonThenSuppressTheRest() {
        DropLogThrottle throttle = new DropLogThrottle(2, 10 * SECOND);

        assertThat(throttle.admit(BAD_CHECKSUM, 0)).contains(BAD_CHECKSUM.message());
        assertThat(throttle.admit(BAD_CHECKSUM, SECOND)).contains(BAD_CHECKSUM.message());
        assertThat(throttle.admit(BAD_CHECKSUM, 2 * SECOND)).isEmpty();
        assertThat(throttle.admit(BAD_CHECKSUM, 9 * SECOND)).isEmpty();
    }

    @Test
    void shouldCountSuppressedLinesOnTheFirstLineOfTheNextInterval() {
        DropLogThrottle throttle = new DropLogThrottle(1, 10 * SECOND);
        throttle.admit(BAD_CHECKSUM, 0);
        for (int i = 1; i <= 37; i++) {
            throttle.admit(BAD_CHECKSUM, i * 100_000_000L);
        }

        Optional<String> line = throttle.admit(BAD_CHECKSUM, 10 * SECOND);

        assertThat(line).contains(BAD_CHECKSUM.message() + " (37 more dropped for BAD_CHECKSUM in the last 10 s)");
    }

    @Test
    void shouldThrottleEachReasonOnItsOwn() {
        DropLogThrottle throttle = new DropLogThrottle(1, 10 * SECOND);
        throttle.admit(BAD_CHECKSUM, 0);

        assertThat(throttle.admit(BAD_CHECKSUM, 1)).isEmpty();
        assertThat(throttle.admit(UNKNOWN_VRID, 1)).contains(UNKNOWN_VRID.message());
    }

    @Test
    void shouldReportSuppressedDropsWhenTheirIntervalEndsEvenWithoutAnotherDrop() {
        DropLogThrottle throttle = new DropLogThrottle(1, 10 * SECOND);
        throttle.admit(BAD_CHECKSUM, 0);
        throttle.admit(BAD_CHECKSUM, SECOND);
        throttle.admit(BAD_CHECKSUM, 2 * SECOND);

        assertThat(throttle.summariesDue(9 * SECOND)).isEmpty();
        assertThat(throttle.summariesDue(10 * SECOND))
                .containsExactly("VRRP: 2 more dropped for BAD_CHECKSUM in the last 10 s");
        assertThat(throttle.summariesDue(11 * SECOND)).as("reported once").isEmpty();
        assertThat(throttle.admit(BAD_CHECKSUM, 12 * SECOND)).as("a fresh interval, nothing left to add")
                .contains(BAD_CHECKSUM.message());
    }

    @Test
    void shouldNotSummariseAnIntervalWithNothingSuppressed() {
        DropLogThrottle throttle = new DropLogThrottle(5, 10 * SECOND);
        throttle.admit(BAD_CHECKSUM, 0);

        assertThat(throttle.summariesDue(60 * SECOND)).isEmpty();
    }

    @Test
    void shouldRefuseALimitBelowOneLine() {
        assertThatThrownBy(() -> new DropLogThrottle(0, SECOND))
                .hasMessage("log lines per interval got 0 (expected >= 1)");
    }
}
