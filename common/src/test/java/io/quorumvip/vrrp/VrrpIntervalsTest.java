package io.quorumvip.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VrrpIntervalsTest {

    @Test
    void version2SkewShouldBeAFractionOfOneSecondWhateverTheInterval() {
        assertThat(VrrpIntervals.skewNanos(2, 100, 100)).isEqualTo(609_375_000L);
        assertThat(VrrpIntervals.skewNanos(2, 100, 300)).isEqualTo(609_375_000L);
    }

    @Test
    void version3SkewShouldScaleWithMasterAdverInterval() {
        assertThat(VrrpIntervals.skewNanos(3, 100, 100)).isEqualTo(609_375_000L);
        assertThat(VrrpIntervals.skewNanos(3, 100, 50)).isEqualTo(304_687_500L);
    }

    @Test
    void masterDownIntervalShouldBeThreeIntervalsPlusSkew() {
        assertThat(VrrpIntervals.masterDownIntervalNanos(3, 254, 100)).isEqualTo(3_000_000_000L + 7_812_500L);
    }

    @Test
    void higherPriorityShouldWaitLess() {
        assertThat(VrrpIntervals.masterDownIntervalNanos(2, 200, 100))
                .isLessThan(VrrpIntervals.masterDownIntervalNanos(2, 100, 100));
    }
}
