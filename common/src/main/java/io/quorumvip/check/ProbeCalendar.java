package io.quorumvip.check;

import java.util.ArrayList;
import java.util.Arrays;
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

    /** The shortest time between two wake-ups, and so the most a probe waits past its due time for its batch. */
    public static final long MIN_WAKE_GAP_NANOS = 2_000_000;

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
     * A 4-ary heap over parallel arrays, earliest booking at 0: every result books its checker's next probe, and a
     * {@code PriorityQueue} of booking records with a comparator was a fifth of the checks' loop's samples at 10,000
     * real servers (an object per booking and a comparator call per level, which the agent's C1 does not inline). Four
     * children to a parent halve the levels a take walks down (7 at 10,000 bookings instead of 14), and their four due
     * times share a cache line: the binary heap's sift-down was still a seventh of the loop's samples (issue 12), its
     * time spent waiting for memory. Booking orders are read only when due times tie.
     */
    private long[] dues = new long[64];
    private long[] orders = new long[64];
    private Object[] items = new Object[64];
    private int size;
    private long booked;

    /** Books {@code item} for {@code dueNanos} (on the caller's {@code System.nanoTime} scale). */
    public void book(long dueNanos, T item) {
        if (size == items.length) {
            int grown = size * 2;
            dues = Arrays.copyOf(dues, grown);
            orders = Arrays.copyOf(orders, grown);
            items = Arrays.copyOf(items, grown);
        }
        siftUp(size++, dueNanos, booked++, item);
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
        return size > 0 && dues[0] - nowNanos <= 0;
    }

    /**
     * When the loop should wake next, seen at {@code nowNanos} just after a wake-up: the earliest booking, but no
     * sooner than {@link #MIN_WAKE_GAP_NANOS} from now (also when bookings are still due: the loop reads answers in
     * between); empty when nothing is booked.
     */
    public OptionalLong nextWakeNanos(long nowNanos) {
        if (size == 0) {
            return OptionalLong.empty();
        }
        long earliest = dues[0];
        return OptionalLong.of(earliest - (nowNanos + MIN_WAKE_GAP_NANOS) > 0 ? earliest : nowNanos + MIN_WAKE_GAP_NANOS);
    }

    public int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    private T takeFirst() {
        T first = (T) items[0];
        size--;
        long lastDue = dues[size];
        long lastOrder = orders[size];
        Object last = items[size];
        items[size] = null;
        if (size > 0) {
            siftDown(lastDue, lastOrder, last);
        }
        return first;
    }

    // Due times are compared by difference, as nanoTime values must be (they may wrap); the same instant goes in
    // booking order.

    /** Puts the booking at the hole {@code at} or above it, moving later parents down. */
    private void siftUp(int at, long due, long order, Object item) {
        while (at > 0) {
            int parent = (at - 1) >>> 2;
            long byDue = due - dues[parent];
            if (byDue > 0 || byDue == 0 && order > orders[parent]) {
                break;
            }
            move(parent, at);
            at = parent;
        }
        put(at, due, order, item);
    }

    /** Puts the booking at the hole at the root or below it, moving the earliest child up while it is earlier. */
    private void siftDown(long due, long order, Object item) {
        int at = 0;
        while (true) {
            int first = 4 * at + 1;
            if (first >= size) {
                break;
            }
            int earliest = first;
            int end = Math.min(first + 4, size);
            for (int child = first + 1; child < end; child++) {
                long byDue = dues[child] - dues[earliest];
                if (byDue < 0 || byDue == 0 && orders[child] < orders[earliest]) {
                    earliest = child;
                }
            }
            long byDue = dues[earliest] - due;
            if (byDue > 0 || byDue == 0 && orders[earliest] > order) {
                break;
            }
            move(earliest, at);
            at = earliest;
        }
        put(at, due, order, item);
    }

    private void move(int from, int to) {
        put(to, dues[from], orders[from], items[from]);
    }

    private void put(int at, long due, long order, Object item) {
        dues[at] = due;
        orders[at] = order;
        items[at] = item;
    }
}
