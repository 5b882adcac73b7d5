package io.quorumvip.check;

import java.util.Arrays;

/**
 * {@link ProbeCalendar}'s bookings that its wheel cannot hold (beyond its horizon, or before its current slot): a
 * 4-ary heap over parallel arrays, ordered by due time (compared by difference, as nanoTime values must be: they may
 * wrap), then by booking order.
 */
final class BookingHeap {

    /**
     * Earliest booking at 0. A {@code PriorityQueue} of booking records with a comparator was a fifth of the checks'
     * loop's samples at 10,000 real servers (an object per booking and a comparator call per level, which the agent's
     * C1 does not inline); four children to a parent walk half the levels of a binary heap, their four due times in
     * one cache line, and booking orders are read only when due times tie.
     */
    private long[] dues = new long[64];
    private long[] orders = new long[64];
    private Object[] items = new Object[64];
    private int size;

    void book(long dueNanos, long order, Object item) {
        if (size == items.length) {
            int grown = size * 2;
            dues = Arrays.copyOf(dues, grown);
            orders = Arrays.copyOf(orders, grown);
            items = Arrays.copyOf(items, grown);
        }
        siftUp(size++, dueNanos, order, item);
    }

    int size() {
        return size;
    }

    long firstDue() {
        return dues[0];
    }

    long firstOrder() {
        return orders[0];
    }

    /** The earliest booking, taken out; the heap must not be empty. */
    Object takeFirst() {
        Object first = items[0];
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
