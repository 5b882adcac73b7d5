package io.quorumvip.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The calendar against a sorted list, for bookings on both sides of its wheel's horizon and before its current slot,
 * with ties, at any point of the nanoTime scale (its wrap included): every batch is what is due, earliest first and
 * the same instant in booking order, at most {@link ProbeCalendar#MAX_PER_WAKE}, and the wake-up is the earliest
 * booking's, no sooner than the minimum gap.
 */
class ProbeCalendarProperties {

    private static final long MS = 1_000_000;

    /** A booking {@code aheadMicros} after now, or (negative) a move of now by {@code -aheadMicros} and a take. */
    record Step(long aheadMicros) {
    }

    @Property
    void shouldHandOutWhatIsDueInDueThenBookingOrder(@ForAll("starts") long start, @ForAll("steps") List<Step> steps) {
        ProbeCalendar<long[]> calendar = new ProbeCalendar<>();
        Comparator<long[]> dueThenBooking = Comparator.<long[]>comparingLong(b -> b[0]).thenComparingLong(b -> b[1]);
        List<long[]> model = new ArrayList<>();
        long now = 0;
        long booked = 0;
        for (Step step : steps) {
            if (step.aheadMicros() >= 0) {
                long[] booking = {now + step.aheadMicros() * 1_000, booked++};
                calendar.book(start + booking[0], booking);
                model.add(booking);
                model.sort(dueThenBooking);
                continue;
            }
            now -= step.aheadMicros() * 1_000;
            long at = now;
            List<long[]> expected = model.stream().filter(b -> b[0] <= at).limit(ProbeCalendar.MAX_PER_WAKE).toList();

            assertThat(calendar.hasDue(start + now)).isEqualTo(!expected.isEmpty());
            assertThat(calendar.takeDue(start + now)).containsExactlyElementsOf(expected);
            model.removeAll(expected);
            assertThat(calendar.size()).isEqualTo(model.size());
            OptionalLong wake = calendar.nextWakeNanos(start + now);
            if (model.isEmpty()) {
                assertThat(wake).isEmpty();
            } else {
                assertThat(wake).hasValue(start + Math.max(model.get(0)[0], now + ProbeCalendar.MIN_WAKE_GAP_NANOS));
            }
        }
    }

    @Provide
    Arbitrary<Long> starts() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.just(Long.MAX_VALUE - 1_500 * MS),
                Arbitraries.just(-BookingWheel.SLOT_NANOS / 2));
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> near = Arbitraries.longs().between(0, 1_100).map(ms -> new Step(ms * 1_000));
        Arbitrary<Step> fine = Arbitraries.longs().between(0, 3_000).map(Step::new);
        Arbitrary<Step> far = Arbitraries.longs().between(2_000, 8_000).map(ms -> new Step(ms * 1_000));
        Arbitrary<Step> advance = Arbitraries.longs().between(0, 400).map(ms -> new Step(-ms * 1_000 - 1));
        return Arbitraries.frequencyOf(
                        Tuple.of(6, near), Tuple.of(2, fine),
                        Tuple.of(1, far), Tuple.of(3, advance))
                .list().ofMaxSize(300);
    }
}
