package io.quorumvip.lease;

import java.util.OptionalLong;

/**
 * When to renew the VIP's kernel lifetime, shared by the agent and the simulation. Pure: times are monotonic
 * nanoseconds passed in, compared only by subtraction.
 *
 * <p>Kernel lifetimes come in whole seconds ({@link LeaseTiming#kernelLifetimeSeconds}), so a renewal right after
 * a confirmation loses up to a second of the proven validity. One renewal timed so that the lifetime ends just
 * {@link #RENEWAL_CUSHION_NANOS} before {@code validUntil} wins it back, which is what carries the owner through a
 * ZooKeeper leader election without dropping the address.
 *
 * <p>A lifetime is renewed only when it nears its end ({@link #renewalAt}), not on every confirmation: about every
 * two to three seconds at the default session timeout instead of every second, since each renewal is a netlink
 * call per address. How often the address is renewed changes nothing about how long it may live: every
 * lifetime still ends within validUntil.
 */
public final class KernelLifetime {

    /** How far before validUntil an aligned lifetime ends: room for the netlink round trip. */
    public static final long RENEWAL_CUSHION_NANOS = 100_000_000L;

    /**
     * A lifetime is renewed no later than this before it ends (up to a second later when the aligned instant
     * has passed): room for a busy event loop and the netlink call before the kernel drops the address.
     */
    public static final long RENEWAL_LEAD_NANOS = 1_500_000_000L;

    private static final long SECOND_NANOS = 1_000_000_000L;

    private KernelLifetime() {
    }

    /**
     * Whether programming {@code seconds} at {@code nowNanos} ends later than the lifetime the kernel already has
     * (which ends at {@code currentEndNanos}); a lifetime is never shortened.
     */
    public static boolean extendsLifetime(long nowNanos, long seconds, long currentEndNanos) {
        return nowNanos + seconds * SECOND_NANOS - currentEndNanos > 0;
    }

    /**
     * The instant at which to renew so that a whole-second lifetime ends {@link #RENEWAL_CUSHION_NANOS} before
     * {@code validUntilNanos}; empty when less than a second would be left, or when that lifetime would not end
     * later than the current one ({@code currentEndNanos}).
     */
    public static OptionalLong alignedRenewalAt(long validUntilNanos, long nowNanos, long currentEndNanos) {
        long wholeSeconds = (validUntilNanos - nowNanos - RENEWAL_CUSHION_NANOS) / SECOND_NANOS;
        long renewAt = validUntilNanos - RENEWAL_CUSHION_NANOS - wholeSeconds * SECOND_NANOS;
        if (wholeSeconds < 1 || !extendsLifetime(renewAt, wholeSeconds, currentEndNanos)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(renewAt);
    }

    /**
     * When to renew a lifetime that ends at {@code currentEndNanos}: at the latest whole-second-aligned instant
     * (the lifetime then ends {@link #RENEWAL_CUSHION_NANOS} before {@code validUntilNanos}) that is still
     * {@link #RENEWAL_LEAD_NANOS} before the current end; {@code nowNanos} when that instant has passed and
     * programming {@link LeaseTiming#kernelLifetimeSeconds} now extends the lifetime; otherwise the next aligned
     * instant ({@link #alignedRenewalAt}); empty when no renewal would end later than the current lifetime.
     * Whatever instant it names, the lifetime programmed then ends by validUntil.
     */
    public static OptionalLong renewalAt(long validUntilNanos, long nowNanos, long currentEndNanos) {
        long alignedEnd = validUntilNanos - RENEWAL_CUSHION_NANOS;
        long latest = currentEndNanos - RENEWAL_LEAD_NANOS;
        long wholeSeconds = -Math.floorDiv(latest - alignedEnd, SECOND_NANOS);
        long renewAt = alignedEnd - wholeSeconds * SECOND_NANOS;
        if (wholeSeconds >= 1 && renewAt - nowNanos >= 0 && extendsLifetime(renewAt, wholeSeconds, currentEndNanos)) {
            return OptionalLong.of(renewAt);
        }
        long seconds = LeaseTiming.kernelLifetimeSeconds(validUntilNanos, nowNanos);
        if (seconds >= 1 && extendsLifetime(nowNanos, seconds, currentEndNanos)) {
            return OptionalLong.of(nowNanos);
        }
        return alignedRenewalAt(validUntilNanos, nowNanos, currentEndNanos);
    }
}
