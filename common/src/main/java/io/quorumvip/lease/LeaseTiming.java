package io.quorumvip.lease;

import java.time.Duration;

/**
 * The arithmetic of the lease (DESIGN.md §3, docs/lease.md, docs/safety.md step 2): how long an answered request
 * keeps the lease provably valid, and which address lifetime the kernel may be given.
 *
 * <p>An answer, through the ZooKeeper leader, to a request sent at {@code t_c} on a session with the negotiated
 * timeout {@code S} means ZooKeeper cannot expire that session before {@code t_c + S}, except for one window: a
 * leader cut off from its followers answers {@code sync} by itself until it notices, and by then the followers may
 * have elected a new leader that re-armed every session from its own start. The holder stops at
 * {@code t_c + S − margin} with {@code margin = ceil(S × 0.2 %) + 1.25 s + max(0, 1.5 × tickTime − 200 ms)}:
 * <ul>
 *   <li>{@link #DRIFT_PARTS_PER_MILLION} (0.2 %): the server measures S on its clock, we on ours. Quartz oscillators
 *       stay within ±100 ppm and NTP slews a clock by at most 500 ppm, so two clocks differ in rate by at most
 *       0.1 %; the margin takes twice that.</li>
 *   <li>{@link #KERNEL_OVERSHOOT} (1.25 s): the kernel removes an expired address only when its lifetime worker
 *       runs, and that worker never runs sooner than 1 s ({@code ADDRCONF_TIMER_FUZZ_MAX}) after its previous run,
 *       which any address change in the namespace triggers. Measured here: a 1 s lifetime vanished after
 *       1.03–1.04 s, a 2 s one after 2.04–2.29 s; 1 s worst case by the code plus timer and scheduling slack.</li>
 *   <li>{@link #staleLeaderOverlapNanos} (1.5 × tickTime − 200 ms, never negative): how long after a new leader's
 *       start the leader it replaced can still answer.</li>
 * </ul>
 * The margin is subtracted once: the JVM stops at {@code validUntil}, and an address programmed at {@code now} with
 * {@link #kernelLifetimeSeconds} whole seconds is gone by {@code validUntil + KERNEL_OVERSHOOT}, still before the
 * server can expire the session by its own clock.
 *
 * @param sessionTimeoutNanos the negotiated session timeout S
 * @param ensembleTickNanos   the ZooKeeper ensemble's tickTime ({@code zk_tick_time})
 */
public record LeaseTiming(long sessionTimeoutNanos, long ensembleTickNanos) {

    public static final long DRIFT_PARTS_PER_MILLION = 2_000;
    public static final Duration KERNEL_OVERSHOOT = Duration.ofMillis(1_250);
    /**
     * ZooKeeper's {@code FastLeaderElection.finalizeWait}: a server that sees a quorum agree on a leader waits this
     * long for a better vote before it decides, so no election ends sooner after its voters left the old leader.
     */
    public static final Duration ELECTION_FINALIZE_WAIT = Duration.ofMillis(200);

    private static final long SECOND = 1_000_000_000L;

    public LeaseTiming {
        if (ensembleTickNanos <= 0) {
            throw new IllegalArgumentException("ZooKeeper tickTime got " + Duration.ofNanos(ensembleTickNanos)
                    + " (expected more than 0; set zk_tick_time to the ensemble's tickTime)");
        }
        if (sessionTimeoutNanos <= marginNanos(sessionTimeoutNanos, ensembleTickNanos)) {
            throw new IllegalArgumentException("session timeout got " + Duration.ofNanos(sessionTimeoutNanos)
                    + " (expected more than its margin "
                    + Duration.ofNanos(marginNanos(sessionTimeoutNanos, ensembleTickNanos)) + " at a tickTime of "
                    + Duration.ofNanos(ensembleTickNanos) + "; use a session_timeout of at least "
                    + shortestSessionTimeout(Duration.ofNanos(ensembleTickNanos)).toMillis() + " ms)");
        }
    }

    public static LeaseTiming of(Duration sessionTimeout, Duration ensembleTick) {
        return new LeaseTiming(sessionTimeout.toNanos(), ensembleTick.toNanos());
    }

    /** {@code ceil(S × DRIFT) + KERNEL_OVERSHOOT + staleLeaderOverlap(tickTime)}. */
    public long marginNanos() {
        return marginNanos(sessionTimeoutNanos, ensembleTickNanos);
    }

    /** How long one answer keeps the lease valid: {@code S − margin}. */
    public long validityNanos() {
        return sessionTimeoutNanos - marginNanos();
    }

    /** The end of validity that an answer to a request sent at {@code sendNanos} proves. */
    public long validUntil(long sendNanos) {
        return sendNanos + validityNanos();
    }

    /**
     * How long after a new ZooKeeper leader started (and gave every session a full timeout from then) the leader
     * it replaced, cut off from its followers, may still answer a {@code sync}: {@code 1.5 × tickTime − 200 ms},
     * at least 0. Both sides wait {@code syncLimit × tickTime} (the followers' read timeout; the leader's
     * {@code syncLimit}-tick ack deadline), so syncLimit cancels out; the leader checks its deadlines only once a
     * tick (up to one tick more), the followers' last ping may be up to half a tick older than the leader's last
     * packet from them, and the election adds at least {@link #ELECTION_FINALIZE_WAIT}. docs/safety.md, step 2.
     */
    public static long staleLeaderOverlapNanos(long tickNanos) {
        return Math.max(0, Math.multiplyExact(tickNanos, 3) / 2 - ELECTION_FINALIZE_WAIT.toNanos());
    }

    /**
     * The shortest session timeout, in whole milliseconds, that leaves a lease of at least a second (the shortest
     * kernel lifetime) after the margin at {@code ensembleTick}.
     */
    public static Duration shortestSessionTimeout(Duration ensembleTick) {
        long tick = ensembleTick.toNanos();
        long ms = -Math.floorDiv(-(SECOND + KERNEL_OVERSHOOT.toNanos() + staleLeaderOverlapNanos(tick)), 1_000_000L);
        while (ms * 1_000_000L - marginNanos(ms * 1_000_000L, tick) < SECOND) {
            ms++;
        }
        return Duration.ofMillis(ms);
    }

    /**
     * The address lifetime to program at {@code nowNanos}: the whole seconds left until {@code validUntilNanos},
     * rounded down; 0 when less than a second is left (the kernel takes no lifetime under 1 s, so the address must
     * be removed instead).
     *
     * <p>The kernel starts the lifetime when it handles the request, which may be later than {@code nowNanos} (a
     * pause between reading the clock and the syscall). So after the kernel's answer at {@code ackNanos}, a
     * lifetime {@code L} is known to be safe only if {@code kernelLifetimeSeconds(validUntilNanos, ackNanos) >= L};
     * otherwise program it again or remove the address.
     */
    public static long kernelLifetimeSeconds(long validUntilNanos, long nowNanos) {
        long left = validUntilNanos - nowNanos;
        return left < SECOND ? 0 : left / SECOND;
    }

    private static long marginNanos(long sessionTimeoutNanos, long tickNanos) {
        long scaled = Math.multiplyExact(sessionTimeoutNanos, DRIFT_PARTS_PER_MILLION);
        long drift = (scaled + 999_999L) / 1_000_000L;
        return drift + KERNEL_OVERSHOOT.toNanos() + staleLeaderOverlapNanos(tickNanos);
    }
}
