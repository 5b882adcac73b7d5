package io.quorumvip.check;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * When each checker probes next, for all of them at once: one wake-up runs every probe that is due, instead of one
 * timer per probe. At 10,000 real servers checked every second a timer per probe was 10,000 timer objects created,
 * queued and fired a second on the checks' loop; with the calendar the loop wakes at most once per {@link
 * #MIN_WAKE_GAP_NANOS}, and a probe runs at most that late. Probes due at the same instant run in the order they
 * were booked. Not thread-safe: one event loop owns it. Time is passed in.
 *
 * @param <T> what is due: the loop's handle to one checker
 */
public final class ProbeCalendar<T> {

    /**
     * The shortest time between two wake-ups, and so the most a probe waits past its due time for its batch. 5 ms,
     * not 2: each wake-up of the checks' loop also wakes the probe thread for its batch, and at 10,000 real servers
     * 200 of those pairs a second instead of 500 took 4 % off the agent's CPU per probe (benchmarks.md, issue 12: the
     * calendar's wake-up gap); the lateness it adds is far under what a delay_loop of seconds notices.
     */
    public static final long MIN_WAKE_GAP_NANOS = 5_000_000;

    /**
     * The most probes one {@link #takeDue} hands out; the rest stay booked, in order, for the next batch, which the
     * loop takes after reading what its sockets have ready ({@link #hasDue}). After the loop was held up (a
     * collection pause, a program build, a cold start), everything due meanwhile came out at once: thousands of
     * connects started in one go kept the loop from reading the answers of those already sent, until their
     * connect_timeout ran out and they failed as if the real servers had, which made verdict changes, program builds
     * and more delay. With the bound the loop reads answers between batches.
     */
    public static final int MAX_PER_WAKE = 64;

    /**
     * Nearly every booking is a delay_loop ahead, and goes to the wheel; the heap holds the rest (a delay_loop past
     * the wheel's horizon, a booking before its current slot as at a start, when the first probes come in random
     * order). Either hands out its earliest; the calendar takes the earlier of the two. The binary heap that held
     * everything was still a seventh of the checks' loop's samples at 10,000 real servers (issue 12), waiting for
     * memory: a take walked 14 levels down three arrays of 10,000 entries, cold a second after their last take.
     */
    private final BookingWheel near = new BookingWheel();
    private final BookingHeap far = new BookingHeap();
    private long booked;

    /** Books {@code item} for {@code dueNanos} (on the caller's {@code System.nanoTime} scale). */
    public void book(long dueNanos, T item) {
        long order = booked++;
        if (!near.book(dueNanos, order, item)) {
            far.book(dueNanos, order, item);
        }
    }

    /** Takes out the bookings due by {@code nowNanos}, earliest first, at most {@link #MAX_PER_WAKE}. */
    public List<T> takeDue(long nowNanos) {
        List<T> due = new ArrayList<>();
        while (due.size() < MAX_PER_WAKE && hasDue(nowNanos)) {
            due.add(takeFirst());
        }
        return due;
    }

    /** True when a booking is due by {@code nowNanos}: a batch bounded by {@link #MAX_PER_WAKE} left some. */
    public boolean hasDue(long nowNanos) {
        return size() > 0 && firstDue() - nowNanos <= 0;
    }

    /**
     * When the loop should wake next, seen at {@code nowNanos} just after a wake-up: the earliest booking, but no
     * sooner than {@link #MIN_WAKE_GAP_NANOS} from now (also when bookings are still due: the loop reads answers in
     * between); empty when nothing is booked.
     */
    public OptionalLong nextWakeNanos(long nowNanos) {
        if (size() == 0) {
            return OptionalLong.empty();
        }
        long earliest = firstDue();
        long soonest = nowNanos + MIN_WAKE_GAP_NANOS;
        return OptionalLong.of(earliest - soonest > 0 ? earliest : soonest);
    }

    public int size() {
        return near.size() + far.size();
    }

    private long firstDue() {
        return nearFirst() ? near.firstDue() : far.firstDue();
    }

    @SuppressWarnings("unchecked")
    private T takeFirst() {
        return (T) (nearFirst() ? near.takeFirst() : far.takeFirst());
    }

    /** The wheel's earliest booking comes before the heap's: by due time (compared by difference), then order. */
    private boolean nearFirst() {
        if (near.size() == 0 || far.size() == 0) {
            return near.size() > 0;
        }
        long byDue = near.firstDue() - far.firstDue();
        return byDue < 0 || byDue == 0 && near.firstOrder() < far.firstOrder();
    }
}
