package io.quorumvip.sim;

import java.util.OptionalLong;

/**
 * One node's kernel, as far as the VIP goes: the address is there or not, and an address added with a lifetime
 * ({@code valid_lft}, counted on the node's clock from when the kernel handles the request) is removed by the
 * kernel's lifetime worker up to {@link #MAX_OVERSHOOT_NANOS} after it ends, whatever the agent is doing (frozen,
 * dead). The kernel belongs to the environment: pausing or killing the agent does not stop it.
 */
final class SimKernel {

    /** docs/lease.md: the worker runs at most 1 s late by its code, 1.25 s with scheduling slack. */
    static final long MAX_OVERSHOOT_NANOS = 1_250_000_000L;
    /** Beyond the budget, for {@link SimulationBugs#KERNEL_LATER_THAN_ASSUMED}. */
    static final long LATE_OVERSHOOT_NANOS = 1_500_000_000L;

    private static final long SECOND = 1_000_000_000L;

    private final String name;
    private final SimScheduler scheduler;
    private final SimClock clock;
    private final SimTrace trace;
    private final Runnable changed;
    private final long maxOvershootNanos;
    private boolean holds;
    private boolean lastRemovedByLifetime;
    private SimScheduler.Scheduled expiry;

    SimKernel(String name, SimScheduler scheduler, SimClock clock, SimTrace trace, long maxOvershootNanos,
              Runnable changed) {
        this.maxOvershootNanos = maxOvershootNanos;
        this.name = name;
        this.scheduler = scheduler;
        this.clock = clock;
        this.trace = trace;
        this.changed = changed;
    }

    boolean holds() {
        return holds;
    }

    /** Whether the address was last removed by its lifetime running out rather than by the agent. */
    boolean lastRemovedByLifetime() {
        return lastRemovedByLifetime;
    }

    /** Adds the VIP, or renews its lifetime; empty: no lifetime, it stays until removed. */
    void addOrRenew(OptionalLong lifetimeSeconds) {
        if (expiry != null) {
            expiry.cancel();
            expiry = null;
        }
        if (lifetimeSeconds.isPresent()) {
            long end = clock.global(clock.local(scheduler.now()) + lifetimeSeconds.getAsLong() * SECOND);
            long overshoot = scheduler.random().nextBoolean() ? maxOvershootNanos
                    : (long) (scheduler.random().nextDouble() * maxOvershootNanos);
            expiry = scheduler.at(end + overshoot, SimScheduler.ENVIRONMENT, () -> {
                expiry = null;
                lastRemovedByLifetime = true;
                set(false, "lifetime ended: the kernel removed the VIP");
            });
        }
        set(true, "VIP added, valid_lft " + (lifetimeSeconds.isPresent() ? lifetimeSeconds.getAsLong() + " s"
                : "forever"));
    }

    void remove() {
        if (holds) {
            lastRemovedByLifetime = false;
        }
        if (expiry != null) {
            expiry.cancel();
            expiry = null;
        }
        set(false, "VIP removed");
    }

    private void set(boolean now, String why) {
        if (holds == now) {
            return;
        }
        holds = now;
        trace.line(scheduler.now(), name, why);
        changed.run();
    }
}
