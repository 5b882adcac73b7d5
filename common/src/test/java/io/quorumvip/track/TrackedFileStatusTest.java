package io.quorumvip.track;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TrackedFileStatusTest {

    @Test
    void shouldAddTheValueTimesTheWeight() {
        assertThat(TrackedFileStatus.status(3, 10)).isEqualTo(30);
        assertThat(TrackedFileStatus.status(3, -10)).isEqualTo(-30);
        assertThat(TrackedFileStatus.status(-2, -10)).isEqualTo(20);
    }

    @Test
    void shouldFaultWhenTheProductReachesMinus254AndCapAt253() {
        assertThat(TrackedFileStatus.status(-254, 1)).isEqualTo(TrackedFileStatus.FAULT);
        assertThat(TrackedFileStatus.status(-253, 1)).isEqualTo(-253);
        assertThat(TrackedFileStatus.status(1_000, 1)).isEqualTo(253);
        assertThat(TrackedFileStatus.tracker("f", -300, 1).faults()).isTrue();
    }

    @Test
    void shouldFaultOnAnyNonZeroValueWithWeightZero() {
        assertThat(TrackedFileStatus.tracker("f", 1, 0).faults()).isTrue();
        assertThat(TrackedFileStatus.tracker("f", -1, 0).faults()).isTrue();
        assertThat(TrackedFileStatus.tracker("f", 0, 0).faults()).isFalse();
        assertThat(TrackedFileStatus.tracker("f", 0, 0).contribution()).isZero();
    }

    @Test
    void shouldReadTheLeadingIntegerAndZeroForAnythingElse() {
        assertThat(TrackedFileStatus.parse("  -12\n")).isEqualTo(-12);
        assertThat(TrackedFileStatus.parse("+7 apples")).isEqualTo(7);
        assertThat(TrackedFileStatus.parse("")).isZero();
        assertThat(TrackedFileStatus.parse("down")).isZero();
        assertThat(TrackedFileStatus.parse("-")).isZero();
        assertThat(TrackedFileStatus.parse("99999999999999999999999")).isEqualTo(1L << 31);
        assertThat(TrackedFileStatus.status(-99_999_999_999L, Integer.MAX_VALUE)).isEqualTo(TrackedFileStatus.FAULT);
    }

    @Property
    void shouldContributeExactlyTheStatusUnlessFaulting(@ForAll @IntRange(min = -100_000, max = 100_000) int value,
                                                       @ForAll @IntRange(min = -254, max = 254) int weight) {
        TrackerStatus tracker = TrackedFileStatus.tracker("f", value, weight);
        int status = TrackedFileStatus.status(value, weight);
        assertThat(tracker.faults()).isEqualTo(status == TrackedFileStatus.FAULT);
        if (!tracker.faults()) {
            assertThat(tracker.contribution()).isEqualTo(status);
        }
    }
}
