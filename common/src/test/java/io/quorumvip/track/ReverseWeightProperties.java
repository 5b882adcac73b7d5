package io.quorumvip.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * keepalived's {@code reverse} (vrrp_track.c: the contribution times {@code weight_multiplier} −1): a reversed
 * tracker contributes the negation of the normal one for the same verdict, which is what a normal tracker of the
 * opposite weight contributes for the opposite verdict; with weight 0 it faults while healthy.
 */
class ReverseWeightProperties {

    @Test
    void shouldSubtractAPositiveWeightWhileHealthyAndAddANegativeOneWhileUnhealthy() {
        assertThat(new TrackerStatus("chk", 10, true, true).contribution()).isEqualTo(-10);
        assertThat(new TrackerStatus("chk", 10, false, true).contribution()).isZero();
        assertThat(new TrackerStatus("chk", -10, false, true).contribution()).isEqualTo(10);
        assertThat(new TrackerStatus("chk", -10, true, true).contribution()).isZero();
    }

    @Test
    void shouldFaultWithWeightZeroReverseWhileHealthyOnly() {
        assertThat(new TrackerStatus("eth1", 0, true, true).faults()).isTrue();
        assertThat(new TrackerStatus("eth1", 0, false, true).faults()).isFalse();
        assertThat(new TrackerStatus("eth1", 0, true, true).contribution()).isZero();
    }

    @Test
    void shouldMoveTheEffectivePriorityTheOtherWay() {
        var result = EffectivePriority.compute(100, List.of(new TrackerStatus("a", 10, true, true),
                new TrackerStatus("b", -7, false, true), new TrackerStatus("c", 5, true)));
        assertThat(result.priority()).isEqualTo(100 - 10 + 7 + 5);
        assertThat(result.fault()).isFalse();
    }

    @Test
    void shouldNegateATrackedFilesValueTimesWeightAndFaultOnZeroWithWeightZero() {
        assertThat(TrackedFileStatus.status(3, 10, true)).isEqualTo(-30);
        assertThat(TrackedFileStatus.status(-300, 1, true)).isEqualTo(253);
        assertThat(TrackedFileStatus.status(300, 1, true)).isEqualTo(TrackedFileStatus.FAULT);
        assertThat(TrackedFileStatus.tracker("f", 0, 0, true).faults()).isTrue();
        assertThat(TrackedFileStatus.tracker("f", 5, 0, true).faults()).isFalse();
        assertThat(TrackedFileStatus.tracker("f", 5, 0, true).contribution()).isZero();
    }

    @Property
    void shouldContributeTheNegationOfTheNormalTracker(@ForAll @IntRange(min = -253, max = 253) int weight,
                                                       @ForAll boolean healthy) {
        TrackerStatus normal = new TrackerStatus("t", weight, healthy, false);
        TrackerStatus reversed = new TrackerStatus("t", weight, healthy, true);

        assertThat(reversed.contribution()).isEqualTo(-normal.contribution());
        if (weight == 0) {
            assertThat(reversed.faults()).isNotEqualTo(normal.faults());
        } else {
            assertThat(reversed.faults()).isFalse();
        }
    }

    @Property
    void shouldBeTheNormalTrackerOfTheOppositeWeightForTheOppositeVerdict(
            @ForAll @IntRange(min = -253, max = 253) int weight, @ForAll boolean healthy) {
        TrackerStatus reversed = new TrackerStatus("t", weight, healthy, true);
        TrackerStatus mirrored = new TrackerStatus("t", -weight, !healthy, false);

        assertThat(reversed.contribution()).isEqualTo(mirrored.contribution());
        assertThat(reversed.faults()).isEqualTo(mirrored.faults());
    }

    @Property
    void shouldKeepTheDirectionAcrossAVerdictChange(@ForAll @IntRange(min = -253, max = 253) int weight,
                                                    @ForAll boolean reverse, @ForAll boolean healthy) {
        TrackerStatus status = new TrackerStatus("t", weight, !healthy, reverse).withHealthy(healthy);

        assertThat(status).isEqualTo(new TrackerStatus("t", weight, healthy, reverse));
    }

    @Property
    void shouldGiveATrackedFileWithReverseTheStatusOfTheOppositeWeight(
            @ForAll @LongRange(min = -3_000_000_000L, max = 3_000_000_000L) long value,
            @ForAll @IntRange(min = -Integer.MAX_VALUE) int weight) {
        if (weight == 0) {
            assertThat(TrackedFileStatus.status(value, 0, true) == TrackedFileStatus.FAULT).isEqualTo(value == 0);
        } else {
            assertThat(TrackedFileStatus.status(value, weight, true))
                    .isEqualTo(TrackedFileStatus.status(value, -weight, false));
        }
    }

    @Property
    void shouldLeaveTheAddressOwnerAloneInEitherDirection(@ForAll @IntRange(min = -253, max = 253) int weight,
                                                         @ForAll boolean healthy, @ForAll boolean reverse) {
        var result = EffectivePriority.compute(EffectivePriority.ADDRESS_OWNER,
                List.of(new TrackerStatus("t", weight, healthy, reverse)));

        assertThat(result.priority()).isEqualTo(EffectivePriority.ADDRESS_OWNER);
    }
}
