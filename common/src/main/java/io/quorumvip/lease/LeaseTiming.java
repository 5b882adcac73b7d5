package io.quorumvip.lease;

import java.time.Duration;

/**
 * The arithmetic of the lease (DESIGN.md §3, docs/lease.md): how long an answered request keeps the lease provably
 * valid, and which address lifetime the kernel may be given.
 *
 * <p>ZooKeeper cannot expire a session before {@code t_c + S}, where {@code t_c} is the send time of a request it
 * answered on that session and {@code S} the negotiated session timeout. The holder stops at
 * {@code t_c + S − margin} with {@code margin = ceil(S × 0.2 %) + 1.25 s}:
 * <ul>
 *   <li>{@link #DRIFT_PARTS_PER_MILLION} (0.2 %): the server measures S on its clock, we on ours. Quartz oscillators
 *       stay within ±100 ppm and NTP slews a clock by at most 500 ppm, so two clocks differ in rate by at most
 *       0.1 %; the margin takes twice that.</li>
 *   <li>{@link #KERNEL_OVERSHOOT} (1.25 s): the kernel removes an expired address only when its lifetime worker
 *       runs, and that worker never runs sooner than 1 s ({@code ADDRCONF_TIMER_FUZZ_MAX}) after its previous run,
 *       which any address change in the namespace triggers. Measured here: a 1 s lifetime vanished after
 *       1.03–1.04 s, a 2 s one after 2.04–2.29 s; 1 s worst case by the code plus timer and scheduling slack.</li>
 * </ul>
 * The margin is subtracted once: the JVM stops at {@code validUntil}, and an address programmed at {@code now} with
 * {@link #kernelLifetimeSeconds} whole seconds is gone by {@code validUntil + KERNEL_OVERSHOOT}, still before the
 * server can expire the session by its own clock.
 *
 * @param sessionTimeoutNanos the negotiated session timeout S
 */
public record LeaseTiming(long sessionTimeoutNanos) {

    public static final long DRIFT_PARTS_PER_MILLION = 2_000;
    public static final Duration KERNEL_OVERSHOOT = Duration.ofMillis(1_250);

    private static final long SECOND = 1_000_000_000L;

    public LeaseTiming {
        if (sessionTimeoutNanos <= marginNanos(sessionTimeoutNanos)) {
            throw new IllegalArgumentException("session timeout got " + Duration.ofNanos(sessionTimeoutNanos)
                    + " (expected more than its margin " + Duration.ofNanos(marginNanos(sessionTimeoutNanos))
                    + "; use a session_timeout of 3000 ms or more)");
        }
    }

    public static LeaseTiming of(Duration sessionTimeout) {
        return new LeaseTiming(sessionTimeout.toNanos());
    }

    /** {@code ceil(S × DRIFT) + KERNEL_OVERSHOOT}. */
    public long marginNanos() {
        return marginNanos(sessionTimeoutNanos);
    }

    /** The end of validity that an answer to a request sent at {@code sendNanos} proves. */
    public long validUntil(long sendNanos) {
        return sendNanos + sessionTimeoutNanos - marginNanos();
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

    private static long marginNanos(long sessionTimeoutNanos) {
        long scaled = Math.multiplyExact(sessionTimeoutNanos, DRIFT_PARTS_PER_MILLION);
        long drift = (scaled + 999_999L) / 1_000_000L;
        return drift + KERNEL_OVERSHOOT.toNanos();
    }
}
