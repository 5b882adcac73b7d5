package io.quorumvip.track;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TrackedFileStatusTest {

    @Test
    void shouldAddTheValueTimesTheWeight() {
        assertThat(TrackedFileStatus.status(3, 10, false)).isEqualTo(30);
        assertThat(TrackedFileStatus.status(3, -10, false)).isEqualTo(-30);
        assertThat(TrackedFileStatus.status(-2, -10, false)).isEqualTo(20);
    }

    @Test
    void shouldFaultWhenTheProductReachesMinus254AndCapAt253() {
        assertThat(TrackedFileStatus.status(-254, 1, false)).isEqualTo(TrackedFileStatus.FAULT);
        assertThat(TrackedFileStatus.status(-253, 1, false)).isEqualTo(-253);
        assertThat(TrackedFileStatus.status(1_000, 1, false)).isEqualTo(253);
        assertThat(TrackedFileStatus.tracker("f", -300, 1, false).faults()).isTrue();
    }

    @Test
    void shouldFaultOnAnyNonZeroValueWithWeightZero() {
        assertThat(TrackedFileStatus.tracker("f", 1, 0, false).faults()).isTrue();
        assertThat(TrackedFileStatus.tracker("f", -1, 0, false).faults()).isTrue();
        assertThat(TrackedFileStatus.tracker("f", 0, 0, false).faults()).isFalse();
        assertThat(TrackedFileStatus.tracker("f", 0, 0, false).contribution()).isZero();
    }

    @Test
    void shouldReadTheLeadingIntegerAndZeroForAnythingElse() {
        assertThat(TrackedFileStatus.parse("  -12\n")).hasValue(-12);
        assertThat(TrackedFileStatus.parse("+7 apples")).hasValue(7);
        assertThat(TrackedFileStatus.parse("")).hasValue(0);
        assertThat(TrackedFileStatus.parse("down")).hasValue(0);
        assertThat(TrackedFileStatus.parse("-")).hasValue(0);
        assertThat(TrackedFileStatus.status(-99_999_999_999L, Integer.MAX_VALUE, false)).isEqualTo(TrackedFileStatus.FAULT);
    }

    @Test
    void shouldReadHexAndOctalAsKeepalivedsStrtolWithBaseZeroDoes() {
        assertThat(TrackedFileStatus.parse("0x1F\n")).hasValue(31);
        assertThat(TrackedFileStatus.parse("-0X10")).hasValue(-16);
        assertThat(TrackedFileStatus.parse("010")).as("a leading 0 is octal").hasValue(8);
        assertThat(TrackedFileStatus.parse("09")).as("octal stops at 9").hasValue(0);
        assertThat(TrackedFileStatus.parse("0xg")).as("0x without a hex digit is the 0 before it").hasValue(0);
    }

    @Test
    void shouldIgnoreANumberBeyondTwoToTheThirtyFirstAsKeepalivedDoes() {
        assertThat(TrackedFileStatus.parse("2147483648")).hasValue(1L << 31);
        assertThat(TrackedFileStatus.parse("-2147483648")).hasValue(-(1L << 31));
        assertThat(TrackedFileStatus.parse("2147483649")).isEmpty();
        assertThat(TrackedFileStatus.parse("-0x80000001")).isEmpty();
        assertThat(TrackedFileStatus.parse("99999999999999999999999")).isEmpty();
    }

    @Property
    void shouldReadBackAnyNumberWrittenInDecimalHexOrOctal(
            @ForAll @net.jqwik.api.constraints.LongRange(min = -(1L << 31), max = 1L << 31) long value) {
        String sign = value < 0 ? "-" : "";
        long magnitude = Math.abs(value);
        assertThat(TrackedFileStatus.parse(value + "\n")).hasValue(value);
        assertThat(TrackedFileStatus.parse(sign + "0x" + Long.toHexString(magnitude))).hasValue(value);
        assertThat(TrackedFileStatus.parse(sign + "0" + Long.toOctalString(magnitude))).hasValue(value);
    }

    @Property
    void shouldContributeExactlyTheStatusUnlessFaulting(@ForAll @IntRange(min = -100_000, max = 100_000) int value,
                                                       @ForAll @IntRange(min = -254, max = 254) int weight) {
        TrackerStatus tracker = TrackedFileStatus.tracker("f", value, weight, false);
        int status = TrackedFileStatus.status(value, weight, false);
        assertThat(tracker.faults()).isEqualTo(status == TrackedFileStatus.FAULT);
        if (!tracker.faults()) {
            assertThat(tracker.contribution()).isEqualTo(status);
        }
    }
}
