package io.quorumvip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class SimClockTest {

    @Property
    void globalShouldBeTheFirstInstantAtWhichTheClockReadsAtLeastTheGivenTime(
            @ForAll @LongRange(min = 0, max = 1_000_000_000_000_000L) long offset,
            @ForAll @LongRange(min = -500, max = 500) long ppm,
            @ForAll @LongRange(min = 0, max = 100_000_000_000L) long global) {
        SimClock clock = new SimClock(offset, ppm);
        long reading = clock.local(global);

        long first = clock.global(reading);

        assertThat(clock.local(first)).isGreaterThanOrEqualTo(reading);
        assertThat(first == 0 || clock.local(first - 1) < reading).isTrue();
    }

    @Property
    void shouldRunWithinItsRateOfTrueTime(
            @ForAll @LongRange(min = -500, max = 500) long ppm,
            @ForAll @LongRange(min = 1_000_000_000L, max = 100_000_000_000L) long elapsed) {
        SimClock clock = new SimClock(0, ppm);

        long measured = clock.local(elapsed) - clock.local(0);

        assertThat(Math.abs(measured - elapsed)).isLessThanOrEqualTo(elapsed / 1_000_000 * 500 + 500);
    }
}
