package io.quorumvip.agent;

import io.quorumvip.instance.DeadlineCalendar;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Every instance's core timer behind one Vert.x timer of the agent's event loop: the {@link DeadlineCalendar} says
 * when to wake and which instances are due then. With one Vert.x timer per instance, 1,000 instances' adverts woke
 * the loop 1,000 times a second (docs/benchmarks.md). Used on the agent's context only.
 *
 * <p>The adverts of one wake-up go out together once every instance due in it has stepped ({@link #advert}): sent
 * back to back, they reach a backup's socket together, and its receive thread wakes once for them instead of once
 * for each (sent between the steps, each arrived after the receiver had gone back to sleep).
 *
 * @param <T> what is due: an {@link InstanceRunner}
 */
final class InstanceCalendar<T extends InstanceCalendar.Timed> {

    /** Something with a timer on the calendar. */
    interface Timed {
        void timerFired();
    }

    private final Vertx vertx;
    private final LongSupplier monotonicNanos;
    private final DeadlineCalendar<T> calendar = new DeadlineCalendar<>();
    private final List<Runnable> heldAdverts = new ArrayList<>();
    private boolean waking;
    private long timerId = -1;
    private long wakeNanos;

    InstanceCalendar(Vertx vertx, LongSupplier monotonicNanos) {
        this.vertx = vertx;
        this.monotonicNanos = monotonicNanos;
    }

    /** {@code timed}'s timer fires at a wake-up in {@code [earliestNanos, deadlineNanos]}. */
    void schedule(T timed, long earliestNanos, long deadlineNanos) {
        calendar.schedule(timed, earliestNanos, deadlineNanos);
        arm();
    }

    /** A timer cancelled leaves the loop's wake-up in place: it finds nothing due and re-arms, which is cheaper. */
    void cancel(T timed) {
        calendar.cancel(timed);
    }

    /**
     * Sends an advert: at once, or, during a wake-up, right after the last instance due in it stepped (in the order
     * asked for). Only a timer's adverts wait; those of adverts received, of the lease and of a shutdown go at once.
     */
    void advert(Runnable send) {
        if (waking) {
            heldAdverts.add(send);
        } else {
            send.run();
        }
    }

    private void arm() {
        OptionalLong next = calendar.nextWakeNanos();
        if (next.isEmpty() || timerId >= 0 && wakeNanos - next.getAsLong() <= 0) {
            return;
        }
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        wakeNanos = next.getAsLong();
        long delayMillis = Math.max(1, (wakeNanos - monotonicNanos.getAsLong() + 999_999) / 1_000_000);
        timerId = vertx.setTimer(delayMillis, id -> wake());
    }

    private void wake() {
        timerId = -1;
        waking = true;
        try {
            for (T timed : calendar.takeDue(monotonicNanos.getAsLong())) {
                timed.timerFired();
            }
        } finally {
            waking = false;
            for (Runnable send : heldAdverts) {
                send.run();
            }
            heldAdverts.clear();
        }
        arm();
    }
}
