package io.quorumvip.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeaseTimingTest {

    private static final long MS = 1_000_000L;

    @Test
    void shouldGiveUpOneAndAHalfTicksLessTheElectionsFinalizeWaitForAStaleLeader() {
        assertThat(LeaseTiming.staleLeaderOverlapNanos(100 * MS)).as("tick 100 ms").isZero();
        assertThat(LeaseTiming.staleLeaderOverlapNanos(200 * MS)).as("the lab's tick").isEqualTo(100 * MS);
        assertThat(LeaseTiming.staleLeaderOverlapNanos(2_000 * MS)).as("ZooKeeper's usual").isEqualTo(2_800 * MS);
    }

    @Test
    void shouldAddTheStaleLeaderOverlapToDriftAndKernelOvershoot() {
        LeaseTiming lab = LeaseTiming.of(Duration.ofSeconds(6), Duration.ofMillis(200));
        LeaseTiming usual = LeaseTiming.of(Duration.ofSeconds(6), Duration.ofMillis(2_000));

        assertThat(lab.marginNanos()).isEqualTo((12 + 1_250 + 100) * MS);
        assertThat(lab.validityNanos()).isEqualTo(4_638 * MS);
        assertThat(usual.marginNanos()).isEqualTo((12 + 1_250 + 2_800) * MS);
        assertThat(usual.validUntil(1_000 * MS)).isEqualTo((1_000 + 1_938) * MS);
    }

    @Test
    void shouldNameTheShortestSessionTimeoutThatLeavesASecondOfLease() {
        for (long tickMs : new long[] {100, 200, 500, 2_000, 3_000}) {
            Duration shortest = LeaseTiming.shortestSessionTimeout(Duration.ofMillis(tickMs));
            Duration tick = Duration.ofMillis(tickMs);

            assertThat(LeaseTiming.of(shortest, tick).validityNanos()).as("tick %d ms", tickMs)
                    .isGreaterThanOrEqualTo(1_000 * MS);
            assertThat(LeaseTiming.of(shortest.minusMillis(1), tick).validityNanos()).as("tick %d ms", tickMs)
                    .isLessThan(1_000 * MS);
        }
        assertThat(LeaseTiming.shortestSessionTimeout(Duration.ofMillis(2_000))).isEqualTo(Duration.ofMillis(5_061));
    }

    @Test
    void shouldRefuseASessionTimeoutNoLongerThanItsMarginNamingTheShortestThatWorks() {
        assertThatThrownBy(() -> LeaseTiming.of(Duration.ofSeconds(4), Duration.ofMillis(2_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("session timeout got PT4S")
                .hasMessageContaining("at least 5061 ms");
        assertThatThrownBy(() -> LeaseTiming.of(Duration.ofSeconds(6), Duration.ZERO))
                .hasMessageContaining("zk_tick_time");
    }
}
