package io.quorumvip.agent;

import io.quorumvip.instance.DeadlineCalendar;
import io.vertx.core.Vertx;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Every instance's core timer behind one Vert.x timer of the agent's event loop: the {@link DeadlineCalendar} says
 * when to wake and which instances are due then. With one Vert.x timer per instance, 1,000 instances' adverts woke
 * the loop 1,000 times a second (docs/benchmarks.md). Used on the agent's context only.
 */
final class InstanceCalendar {

    private final Vertx vertx;
    private final LongSupplier monotonicNanos;
    private final DeadlineCalendar<InstanceRunner> calendar = new DeadlineCalendar<>();
    private long timerId = -1;
    private long wakeNanos;

    InstanceCalendar(Vertx vertx, LongSupplier monotonicNanos) {
        this.vertx = vertx;
        this.monotonicNanos = monotonicNanos;
    }

    /** {@code runner}'s timer fires at a wake-up in {@code [earliestNanos, deadlineNanos]}. */
    void schedule(InstanceRunner runner, long earliestNanos, long deadlineNanos) {
        calendar.schedule(runner, earliestNanos, deadlineNanos);
        arm();
    }

    /** A timer cancelled leaves the loop's wake-up in place: it finds nothing due and re-arms, which is cheaper. */
    void cancel(InstanceRunner runner) {
        calendar.cancel(runner);
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
        for (InstanceRunner runner : calendar.takeDue(monotonicNanos.getAsLong())) {
            runner.timerFired();
        }
        arm();
    }
}
