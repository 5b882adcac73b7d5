package io.quorumvip.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProbeCalendarTest {

    private static final long MS = 1_000_000;

    @Test
    void shouldHandOutOnlyWhatIsDueEarliestFirstAndSameInstantInBookingOrder() {
        ProbeCalendar<String> calendar = new ProbeCalendar<>();
        calendar.book(30 * MS, "c");
        calendar.book(10 * MS, "a");
        calendar.book(20 * MS, "b1");
        calendar.book(20 * MS, "b2");

        assertThat(calendar.hasDue(5 * MS)).isFalse();
        assertThat(calendar.takeDue(5 * MS)).isEmpty();
        assertThat(calendar.takeDue(20 * MS)).containsExactly("a", "b1", "b2");
        assertThat(calendar.size()).isEqualTo(1);
        assertThat(calendar.takeDue(40 * MS)).containsExactly("c");
    }

    @Test
    void shouldHandOutABacklogInBoundedBatchesInDueOrderAndSayWhenMoreIsDue() {
        ProbeCalendar<Integer> calendar = new ProbeCalendar<>();
        int backlog = 2 * ProbeCalendar.MAX_PER_WAKE + 10;
        for (int i = backlog - 1; i >= 0; i--) {
            calendar.book(i * MS, i);
        }
        calendar.book(2_000 * MS, -1);
        long now = 1_000 * MS;

        List<Integer> handedOut = new ArrayList<>();
        List<Integer> batches = new ArrayList<>();
        while (calendar.hasDue(now)) {
            List<Integer> batch = calendar.takeDue(now);
            batches.add(batch.size());
            handedOut.addAll(batch);
        }

        assertThat(batches).containsExactly(ProbeCalendar.MAX_PER_WAKE, ProbeCalendar.MAX_PER_WAKE, 10);
        assertThat(handedOut).isSortedAccordingTo(Integer::compare).hasSize(backlog).doesNotContain(-1);
        assertThat(calendar.size()).isEqualTo(1);
        assertThat(calendar.nextWakeNanos(now)).hasValue(2_000 * MS);
    }

    @Test
    void shouldWakeAtTheEarliestBookingButNeverSoonerThanTheMinimumGap() {
        ProbeCalendar<String> calendar = new ProbeCalendar<>();
        assertThat(calendar.nextWakeNanos(0)).isEmpty();

        calendar.book(500 * MS, "later");
        assertThat(calendar.nextWakeNanos(100 * MS)).hasValue(500 * MS);

        calendar.book(100 * MS + 1, "almost now");
        assertThat(calendar.nextWakeNanos(100 * MS)).hasValue(100 * MS + ProbeCalendar.MIN_WAKE_GAP_NANOS);
    }

    @Test
    void shouldOrderAcrossTheNanoTimeWrap() {
        ProbeCalendar<String> calendar = new ProbeCalendar<>();
        long now = Long.MAX_VALUE - 5 * MS;
        calendar.book(now + 10 * MS, "after the wrap");
        calendar.book(now + MS, "before the wrap");

        assertThat(calendar.takeDue(now + 20 * MS)).containsExactly("before the wrap", "after the wrap");
    }

    @Test
    void shouldHandOutInterleavedBookingsEachOnceAndEachBatchInDueThenBookingOrder() {
        ProbeCalendar<long[]> calendar = new ProbeCalendar<>();
        Comparator<long[]> dueThenBooking = Comparator.<long[]>comparingLong(b -> b[0]).thenComparingLong(b -> b[1]);
        List<long[]> booked = new ArrayList<>();
        List<long[]> handedOut = new ArrayList<>();
        Random random = new Random(12);
        long now = 0;
        for (int round = 0; round < 3_000; round++) {
            for (int i = random.nextInt(8); i > 0; i--) {
                long[] booking = {now + random.nextInt(50) * MS, booked.size()};
                calendar.book(booking[0], booking);
                booked.add(booking);
            }
            now += random.nextInt(20) * MS;
            long at = now;
            List<long[]> batch = calendar.takeDue(at);
            assertThat(batch).isSortedAccordingTo(dueThenBooking).allMatch(b -> b[0] <= at);
            if (batch.size() < ProbeCalendar.MAX_PER_WAKE) {
                assertThat(calendar.hasDue(at)).isFalse();
            }
            handedOut.addAll(batch);
        }
        while (calendar.size() > 0) {
            handedOut.addAll(calendar.takeDue(now + 100 * MS));
        }

        assertThat(calendar.size()).isZero();
        assertThat(handedOut).containsExactlyInAnyOrderElementsOf(booked);
    }

    @Test
    void shouldHandOutTenThousandBookingsWithTiesInDueThenBookingOrder() {
        ProbeCalendar<long[]> calendar = new ProbeCalendar<>();
        Random random = new Random(4);
        List<long[]> booked = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            long[] booking = {random.nextInt(1_000) * MS, i};
            calendar.book(booking[0], booking);
            booked.add(booking);
        }
        List<long[]> handedOut = new ArrayList<>();
        while (calendar.hasDue(1_000 * MS)) {
            handedOut.addAll(calendar.takeDue(1_000 * MS));
        }

        booked.sort(Comparator.<long[]>comparingLong(b -> b[0]).thenComparingLong(b -> b[1]));
        assertThat(handedOut).containsExactlyElementsOf(booked);
    }
}
