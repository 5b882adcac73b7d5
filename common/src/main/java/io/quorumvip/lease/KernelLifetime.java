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
 */
public final class KernelLifetime {

    /** How far before validUntil an aligned lifetime ends: room for the netlink round trip. */
    public static final long RENEWAL_CUSHION_NANOS = 100_000_000L;

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
}
