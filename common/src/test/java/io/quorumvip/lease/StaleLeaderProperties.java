package io.quorumvip.lease;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The lease's margin against a ZooKeeper leader cut off from its followers, checked on a model of ZooKeeper 3.9's
 * own rules rather than on the formula it is meant to cover (docs/safety.md, step 2):
 * <ul>
 *   <li>the leader's loop waits half a tick, increments its tick counter on every other pass, checks that a
 *       quorum is synced, then pings every follower;</li>
 *   <li>a follower counts as synced while the tick counter is at most the counter at the leader's last read from
 *       it plus syncLimit, and while its handler lives (the handler's socket times out syncLimit ticks after the
 *       last read); the first check that fails makes the leader step down, and it answers nothing after that;</li>
 *   <li>a follower leaves the leader syncLimit ticks after its own last read (its socket timeout), the election
 *       waits at least finalizeWait after it, and the new leader gives every session a full timeout from its
 *       start.</li>
 * </ul>
 * The followers hear from the leader only through its pings (the earliest they can have heard from it); the leader
 * may have read a follower's packet up to a tick before the cut, or up to one network latency after it.
 */
class StaleLeaderProperties {

    private static final long MS = 1_000_000L;

    @Property(tries = 5_000)
    void aLeaseProvedThroughTheStaleLeaderEndsBeforeTheNewLeaderCanExpireTheSession(
            @ForAll @LongRange(min = 10, max = 5_000) long tickMs,
            @ForAll @IntRange(min = 1, max = 20) int syncLimit,
            @ForAll @LongRange(min = 0, max = 1_000_000) long phasePerMillion,
            @ForAll boolean tickOnEvenPasses,
            @ForAll @LongRange(min = 0, max = 1_000_000) long cutPerMillion,
            @ForAll @LongRange(min = 0, max = 1_000_000) long latencyPerMillion,
            @ForAll @LongRange(min = 0, max = 1_000_000) long leaderReadPerMillion,
            @ForAll @LongRange(min = 0, max = 500) long discoveryMs,
            @ForAll @LongRange(min = 0, max = 60_000) long sessionExtraMs) {
        long tick = tickMs * MS;
        long half = tick / 2;
        long phase = half * phasePerMillion / 1_000_000;
        // ZooKeeper needs its pings to arrive well within a tick; an eighth of one here.
        long latency = tick / 8 * latencyPerMillion / 1_000_000;
        long cut = 20 * tick + tick * cutPerMillion / 1_000_000;
        long leaderLastRead = cut - tick + (tick + latency) * leaderReadPerMillion / 1_000_000;

        long stepDown = leaderStepsDownAt(leaderLastRead, tick, syncLimit, phase, tickOnEvenPasses);
        long followerLastRead = lastPingBefore(cut - latency, phase, half) + latency;
        long newLeaderStart = followerLastRead + syncLimit * tick + LeaseTiming.ELECTION_FINALIZE_WAIT.toNanos()
                + discoveryMs * MS;

        long sessionTimeout = LeaseTiming.shortestSessionTimeout(java.time.Duration.ofNanos(tick)).toNanos()
                + sessionExtraMs * MS;
        LeaseTiming timing = new LeaseTiming(sessionTimeout, tick);
        long driftAllowance = timing.marginNanos() - LeaseTiming.KERNEL_OVERSHOOT.toNanos()
                - LeaseTiming.staleLeaderOverlapNanos(tick);
        // The latest answer the stale leader gives, with a request sent at that very instant; the address is gone
        // by validUntil plus the kernel's overshoot, and the drift part of the margin is spent on clock rates.
        long addressGoneBy = timing.validUntil(stepDown) + LeaseTiming.KERNEL_OVERSHOOT.toNanos() + driftAllowance;
        long otherHolderEarliest = newLeaderStart + sessionTimeout;

        assertThat(addressGoneBy).as("stale leader answers until %d, new leader starts at %d", stepDown,
                newLeaderStart).isLessThanOrEqualTo(otherHolderEarliest);
    }

    @Property(tries = 2_000)
    void theBoundIsReachedAtZooKeepersUsualTick(
            @ForAll @IntRange(min = 1, max = 20) int syncLimit,
            @ForAll boolean tickOnEvenPasses) {
        long tick = 2_000 * MS;
        long half = tick / 2;
        // The worst case: the cut comes just after a tick, before its ping arrived, and a follower's packet sent
        // just before the cut reaches the leader after that tick.
        long latency = MS;
        long tickAt = 20 * tick + (tickOnEvenPasses ? 0 : half);
        long cut = tickAt + latency / 2;
        long stepDown = leaderStepsDownAt(cut, tick, syncLimit, 0, tickOnEvenPasses);
        long followerLastRead = lastPingBefore(cut - latency, 0, half) + latency;
        long newLeaderStart = followerLastRead + syncLimit * tick + LeaseTiming.ELECTION_FINALIZE_WAIT.toNanos();

        assertThat(stepDown - newLeaderStart).isEqualTo(LeaseTiming.staleLeaderOverlapNanos(tick) - latency);
    }

    /** The first check after {@code lastRead} that finds the follower no longer synced. */
    private static long leaderStepsDownAt(long lastRead, long tick, int syncLimit, long phase,
                                          boolean tickOnEvenPasses) {
        long half = tick / 2;
        long deadline = ticksBy(lastRead, phase, half, tickOnEvenPasses) + syncLimit;
        long handlerDiesAt = lastRead + syncLimit * tick;
        for (long pass = Math.floorDiv(lastRead - phase, half) + 1; ; pass++) {
            long at = phase + pass * half;
            if (ticksOn(pass, tickOnEvenPasses)
                    && (ticksBy(at, phase, half, tickOnEvenPasses) > deadline || at > handlerDiesAt)) {
                return at;
            }
        }
    }

    /** The tick counter at {@code at}: how many ticking passes came by then. */
    private static long ticksBy(long at, long phase, long half, boolean tickOnEvenPasses) {
        long passes = Math.floorDiv(at - phase, half);
        long count = 0;
        for (long pass = 0; pass <= passes; pass++) {
            if (ticksOn(pass, tickOnEvenPasses)) {
                count++;
            }
        }
        return count;
    }

    private static boolean ticksOn(long pass, boolean tickOnEvenPasses) {
        return (pass % 2 == 0) == tickOnEvenPasses;
    }

    /** The last pass (a ping to every follower) at or before {@code at}. */
    private static long lastPingBefore(long at, long phase, long half) {
        return phase + Math.floorDiv(at - phase, half) * half;
    }
}
