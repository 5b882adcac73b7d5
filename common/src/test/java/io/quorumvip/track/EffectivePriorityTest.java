package io.quorumvip.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EffectivePriorityTest {

    @Test
    void shouldSubtractNegativeWeightWhileUnhealthy() {
        var result = EffectivePriority.compute(100, List.of(new TrackerStatus("chk_nginx", -20, false)));
        assertThat(result.priority()).isEqualTo(80);
        assertThat(result.fault()).isFalse();
    }

    @Test
    void shouldAddPositiveWeightWhileHealthy() {
        var result = EffectivePriority.compute(100, List.of(
                new TrackerStatus("a", 10, true), new TrackerStatus("b", 5, false), new TrackerStatus("c", -7, true)));
        assertThat(result.priority()).isEqualTo(110);
    }

    @Test
    void shouldFaultWhenAZeroWeightTrackerFails() {
        var result = EffectivePriority.compute(100, List.of(new TrackerStatus("eth1", 0, false)));
        assertThat(result.fault()).isTrue();
        assertThat(result.faultingTrackers()).containsExactly("eth1");
    }

    @Test
    void shouldClampIntoOneTo254() {
        assertThat(EffectivePriority.compute(250, List.of(new TrackerStatus("a", 50, true))).priority()).isEqualTo(254);
        assertThat(EffectivePriority.compute(10, List.of(new TrackerStatus("a", -50, false))).priority()).isEqualTo(1);
    }

    @Test
    void shouldNeverAdjustTheAddressOwner() {
        assertThat(EffectivePriority.compute(255, List.of(new TrackerStatus("a", -50, false))).priority()).isEqualTo(255);
    }
}
