package io.quorumvip.check;

import java.util.Arrays;

/**
 * {@link ProbeCalendar}'s bookings of the next two seconds: a ring of {@link #SLOTS} slots of {@link #SLOT_NANOS}
 * each, a slot's bookings kept in due order (then booking order) as they come. At 10,000 real servers nearly every
 * booking is a delay_loop ahead and comes after the one booked just before it, so it goes at the end of a slot, and a
 * take reads the front of the current one: a cache line or two where a heap's take walked seven levels down three
 * arrays. The current slot starts at {@code base}; a slot holds only bookings due within its own span, and the wheel
 * takes none due before {@code base} or past its horizon (the caller keeps those elsewhere).
 */
final class BookingWheel {

    /** 2^20 ns, about 1.05 ms: well under the calendar's 5 ms wake-up gap. */
    static final int SLOT_SHIFT = 20;
    static final long SLOT_NANOS = 1L << SLOT_SHIFT;
    /** 2,048 slots: a horizon of about 2.15 s, past the common delay_loop of 1 or 2 s. */
    static final int SLOTS = 2048;
    private static final long HORIZON_NANOS = SLOTS * SLOT_NANOS;

    private final Slot[] slots = new Slot[SLOTS];
    /**
     * The start of the current slot, a multiple of {@link #SLOT_NANOS}; the current slot is not empty unless all are.
     */
    private long base;
    private int size;

    /** Books the item when it falls within the wheel, which an empty wheel moves to; false when it does not. */
    boolean book(long dueNanos, long order, Object item) {
        if (size == 0) {
            base = dueNanos & -SLOT_NANOS;
        } else {
            long ahead = dueNanos - base;
            if (ahead < 0 || ahead >= HORIZON_NANOS) {
                return false;
            }
        }
        int index = slotOf(dueNanos);
        Slot slot = slots[index];
        if (slot == null) {
            slot = new Slot();
            slots[index] = slot;
        }
        slot.add(dueNanos, order, item);
        size++;
        return true;
    }

    int size() {
        return size;
    }

    /** The earliest booking's due time; the wheel must not be empty. */
    long firstDue() {
        Slot current = slots[slotOf(base)];
        return current.dues[current.head];
    }

    long firstOrder() {
        Slot current = slots[slotOf(base)];
        return current.orders[current.head];
    }

    /** The earliest booking, taken out; the wheel must not be empty. */
    Object takeFirst() {
        Object first = slots[slotOf(base)].takeFirst();
        size--;
        while (size > 0 && (slots[slotOf(base)] == null || slots[slotOf(base)].isEmpty())) {
            base += SLOT_NANOS;
        }
        return first;
    }

    private static int slotOf(long nanos) {
        return (int) (nanos >>> SLOT_SHIFT) & (SLOTS - 1);
    }

    /** One slot's bookings from {@code head} to {@code tail}, in due order then booking order. */
    private static final class Slot {
        long[] dues = new long[16];
        long[] orders = new long[16];
        Object[] items = new Object[16];
        int head;
        int tail;

        boolean isEmpty() {
            return head == tail;
        }

        void add(long due, long order, Object item) {
            if (tail == items.length) {
                grow();
            }
            int at = tail++;
            // Compared by difference, as nanoTime values must be; an equal due time stays behind: booking order.
            while (at > head && dues[at - 1] - due > 0) {
                dues[at] = dues[at - 1];
                orders[at] = orders[at - 1];
                items[at] = items[at - 1];
                at--;
            }
            dues[at] = due;
            orders[at] = order;
            items[at] = item;
        }

        Object takeFirst() {
            Object first = items[head];
            items[head++] = null;
            if (head == tail) {
                head = 0;
                tail = 0;
            }
            return first;
        }

        /** Room at the end: the taken front moved out first, the arrays doubled only when that is not enough. */
        private void grow() {
            int length = tail - head;
            if (head > 0 && length < items.length / 2) {
                System.arraycopy(dues, head, dues, 0, length);
                System.arraycopy(orders, head, orders, 0, length);
                System.arraycopy(items, head, items, 0, length);
                Arrays.fill(items, length, tail, null);
            } else {
                dues = Arrays.copyOfRange(dues, head, head + 2 * items.length);
                orders = Arrays.copyOfRange(orders, head, head + 2 * items.length);
                items = Arrays.copyOfRange(items, head, head + 2 * items.length);
            }
            head = 0;
            tail = length;
        }
    }
}
