package io.quorumvip.instance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Every instance's one timer on one calendar, so that a driver wakes once per group of due timers instead of once
 * per timer (docs/benchmarks.md: a wake-up of the event loop costs far more than the step it runs). Each entry is a
 * window {@code [earliest, deadline]} from {@link InstanceEffect.SetTimer}: it fires at a wake-up inside it. The
 * calendar wakes at the earliest deadline of all entries and fires with it every entry whose window has opened by
 * then. So grouping only ever makes a timer fire earlier than its deadline, never later: a deadline that must not
 * move (a lease's validity, a renewal) has a window of one instant and fires at its deadline as it would alone;
 * one that may come early (a master's next advert) goes out with an earlier wake-up.
 *
 * <p>Not {@link io.quorumvip.check.ProbeCalendar}: that one books each probe once and may run it up to 5 ms late;
 * an instance's one timer is replaced and cancelled at every step, and must never be late because of grouping.
 *
 * <p>Pure: the driver passes the time in and performs the wake-ups. Not thread-safe.
 *
 * @param <K> what a timer belongs to (an instance)
 */
public final class DeadlineCalendar<K> {

    private record Entry<K>(K key, long earliestNanos, long deadlineNanos, long sequence) {
    }

    // Monotonic nanos may wrap: compare by difference, as System.nanoTime's contract asks.
    private static final Comparator<Entry<?>> BY_EARLIEST = (a, b) -> {
        long d = a.earliestNanos - b.earliestNanos;
        return d != 0 ? (d < 0 ? -1 : 1) : Long.compare(a.sequence, b.sequence);
    };
    private static final Comparator<Entry<?>> BY_DEADLINE = (a, b) -> {
        long d = a.deadlineNanos - b.deadlineNanos;
        return d != 0 ? (d < 0 ? -1 : 1) : Long.compare(a.sequence, b.sequence);
    };

    private final Map<K, Entry<K>> entries = new HashMap<>();
    private final TreeSet<Entry<K>> byEarliest = new TreeSet<>(BY_EARLIEST);
    private final TreeSet<Entry<K>> byDeadline = new TreeSet<>(BY_DEADLINE);
    private long sequence;

    /**
     * Sets {@code key}'s one timer, replacing the one it had: it fires at a wake-up in
     * {@code [earliestNanos, deadlineNanos]}.
     *
     * @throws IllegalArgumentException when {@code earliestNanos} lies after {@code deadlineNanos}
     */
    public void schedule(K key, long earliestNanos, long deadlineNanos) {
        if (deadlineNanos - earliestNanos < 0) {
            throw new IllegalArgumentException("timer window of " + key + ": earliest " + earliestNanos
                    + " ns lies after the deadline " + deadlineNanos + " ns (expected earliest <= deadline)");
        }
        cancel(key);
        Entry<K> entry = new Entry<>(key, earliestNanos, deadlineNanos, sequence++);
        entries.put(key, entry);
        byEarliest.add(entry);
        byDeadline.add(entry);
    }

    /** {@code key} needs no timer any more; nothing when it had none. */
    public void cancel(K key) {
        Entry<K> old = entries.remove(key);
        if (old != null) {
            byEarliest.remove(old);
            byDeadline.remove(old);
        }
    }

    /** When the driver must wake next: the earliest deadline of all entries; empty when there is none. */
    public OptionalLong nextWakeNanos() {
        return byDeadline.isEmpty() ? OptionalLong.empty() : OptionalLong.of(byDeadline.first().deadlineNanos);
    }

    /**
     * Removes and returns, earliest window first, every key whose window has opened at {@code nowNanos}. A key
     * scheduled again while the driver fires the returned ones stays for a later wake-up.
     */
    public List<K> takeDue(long nowNanos) {
        List<K> due = new ArrayList<>();
        while (!byEarliest.isEmpty() && byEarliest.first().earliestNanos - nowNanos <= 0) {
            Entry<K> entry = byEarliest.pollFirst();
            byDeadline.remove(entry);
            entries.remove(entry.key);
            due.add(entry.key);
        }
        return due;
    }

    /** How many keys have a timer. */
    public int size() {
        return entries.size();
    }
}
