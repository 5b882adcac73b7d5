package io.quorumvip.agent;

import io.quorumvip.instance.DeadlineCalendar;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Every instance's core timer behind one Vert.x timer of the agent's event loop: the {@link DeadlineCalendar} says
 * when to wake and which instances are due then. With one Vert.x timer per instance, 1,000 instances' adverts woke
 * the loop 1,000 times a second (docs/benchmarks.md). Used on the agent's context only.
 *
 * <p>A deadline that comes earlier re-arms the timer at once, so nothing fires late. One that moves later (a timer
 * replaced or cancelled) re-arms at the end of the task, once however many instances moved theirs: left in place,
 * the timer woke the loop about twice a second at 100 instances to find nothing due, and a Vert.x timer cancelled
 * and set costs less than such a wake-up.
 */
final class InstanceCalendar {

    /** What the calendar fires: an instance's runner. */
    interface Due {
        void timerFired();
    }

    /** The event loop's timers (Vert.x's on the agent). */
    interface Timers {
        /** @return the timer's id */
        long set(long delayMillis, Runnable fired);

        void cancel(long id);
    }

    private final Timers timers;
    private final Executor endOfTask;
    private final LongSupplier monotonicNanos;
    private final DeadlineCalendar<Due> calendar = new DeadlineCalendar<>();
    private long timerId = -1;
    private long wakeNanos;
    private boolean rearmPending;
    private boolean firing;

    /** @param endOfTask runs a task after the current one on the agent's context */
    InstanceCalendar(Timers timers, Executor endOfTask, LongSupplier monotonicNanos) {
        this.timers = timers;
        this.endOfTask = endOfTask;
        this.monotonicNanos = monotonicNanos;
    }

    /** {@code runner}'s timer fires at a wake-up in {@code [earliestNanos, deadlineNanos]}. */
    void schedule(Due runner, long earliestNanos, long deadlineNanos) {
        calendar.schedule(runner, earliestNanos, deadlineNanos);
        arm();
    }

    void cancel(Due runner) {
        calendar.cancel(runner);
        arm();
    }

    private void arm() {
        if (firing) {
            return;
        }
        OptionalLong next = calendar.nextWakeNanos();
        if (timerId < 0) {
            next.ifPresent(this::setTimer);
        } else if (next.isPresent() && next.getAsLong() - wakeNanos < 0) {
            timers.cancel(timerId);
            setTimer(next.getAsLong());
        } else if ((next.isEmpty() || next.getAsLong() != wakeNanos) && !rearmPending) {
            rearmPending = true;
            endOfTask.execute(this::rearmLater);
        }
    }

    /** The timer still waits for a deadline that moved later or went: it waits for the next one instead. */
    private void rearmLater() {
        rearmPending = false;
        if (timerId < 0) {
            return;
        }
        OptionalLong next = calendar.nextWakeNanos();
        if (next.isPresent() && next.getAsLong() == wakeNanos) {
            return;
        }
        timers.cancel(timerId);
        timerId = -1;
        next.ifPresent(this::setTimer);
    }

    private void setTimer(long atNanos) {
        wakeNanos = atNanos;
        long delayMillis = Math.max(1, (atNanos - monotonicNanos.getAsLong() + 999_999) / 1_000_000);
        timerId = timers.set(delayMillis, this::wake);
    }

    /** The instances due set their next timers while they fire; the timer is armed once, after them. */
    private void wake() {
        timerId = -1;
        firing = true;
        try {
            for (Due runner : calendar.takeDue(monotonicNanos.getAsLong())) {
                runner.timerFired();
            }
        } finally {
            firing = false;
            calendar.nextWakeNanos().ifPresent(this::setTimer);
        }
    }
}
