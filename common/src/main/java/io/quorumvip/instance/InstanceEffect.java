package io.quorumvip.instance;

import io.quorumvip.events.Cause;
import io.quorumvip.events.Event;
import io.quorumvip.lease.LeaseTiming;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What {@link InstanceCore#step} asks its driver to do, in order. Effects marked "answer" expect an
 * {@link InstanceInput} back when done; the core waits for it instead of assuming success.
 */
public sealed interface InstanceEffect {

    /** Append to the journal; {@code epoch} is the lease epoch it concerns, 0 when none. */
    record Journal(long epoch, Cause cause, Event event) implements InstanceEffect {
        public Journal {
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(event, "event");
        }
    }

    /** Make the events durable before anything else happens. Answer: {@link InstanceInput.WriteAheadDone}. */
    record WriteAhead(long epoch, Cause cause, List<Event> events) implements InstanceEffect {
        public WriteAhead {
            Objects.requireNonNull(cause, "cause");
            events = List.copyOf(events);
        }
    }

    /**
     * Add every address of the instance, or renew its lifetime; empty lifetime: the address stays until removed.
     * A lifetime must end by {@code endsByNanos} (the lease's validUntil): the effector reads its clock right
     * before the netlink call and programs {@link #lifetimeAt} of that instant, so a pause between the core's
     * step and the call cannot stretch it. {@code gaining} is true for the first bind after the write-ahead
     * (journal the addresses as bound, announce them). Answer: {@link InstanceInput.BindDone} or
     * {@link InstanceInput.BindFailed}.
     */
    record Bind(OptionalLong lifetimeSeconds, long endsByNanos, boolean gaining, Cause cause)
            implements InstanceEffect {
        public Bind {
            Objects.requireNonNull(lifetimeSeconds, "lifetimeSeconds");
            Objects.requireNonNull(cause, "cause");
        }

        /**
         * The whole seconds to program when the call goes out at {@code nowNanos}: at most the lifetime asked for,
         * ending by {@code endsByNanos}; 0 means less than a second is left: program nothing.
         */
        public long lifetimeAt(long nowNanos) {
            return Math.min(lifetimeSeconds.orElseThrow(), LeaseTiming.kernelLifetimeSeconds(endsByNanos, nowNanos));
        }
    }

    /**
     * Remove every address of the instance (also ones this process did not add). {@code wasBound}: the core had
     * bound them; {@code lifetimeEndedNanos}: when their last kernel lifetime ran out, if it has (an address found
     * already gone was removed by the kernel then). Answer: {@link InstanceInput.ReleaseDone} or
     * {@link InstanceInput.ReleaseFailed}.
     */
    record Release(Cause cause, boolean wasBound, OptionalLong lifetimeEndedNanos) implements InstanceEffect {
        public Release {
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(lifetimeEndedNanos, "lifetimeEndedNanos");
        }
    }

    /** Send one advert with this priority (0: "I am leaving, take over now"). */
    record SendAdvert(int priority) implements InstanceEffect {
    }

    /**
     * Gratuitous ARP for the bound addresses again: another master was heard while owning them. (A gaining
     * {@link Bind} announces by itself, with the configured follow-ups.)
     */
    record Announce() implements InstanceEffect {
    }

    /**
     * Replace the instance's one timer: feed {@link InstanceInput.TimerFired} no later than {@code deadlineNanos},
     * and not before {@code earliestNanos} (an earlier firing does nothing). The window lets a driver fire many
     * instances' timers in one wake-up ({@link DeadlineCalendar}); it is one instant (earliest = deadline) unless
     * the timer due first may come early (a master's next advert).
     */
    record SetTimer(long earliestNanos, long deadlineNanos) implements InstanceEffect {
        public SetTimer {
            if (deadlineNanos - earliestNanos < 0) {
                throw new IllegalArgumentException("timer window: earliest " + earliestNanos
                        + " ns lies after the deadline " + deadlineNanos + " ns (expected earliest <= deadline)");
            }
        }
    }

    /** No timer is needed any more. */
    record CancelTimer() implements InstanceEffect {
    }

    /** Enter the instance's latch. Answers, later: latch inputs ({@link InstanceInput.LatchAcquired}, ...). */
    record Contend() implements InstanceEffect {
    }

    /** Leave the latch and delete its node. Answer: {@link InstanceInput.LatchGone} once ZooKeeper confirmed it. */
    record Withdraw() implements InstanceEffect {
    }

    /** Ask, through the ZooKeeper leader, whether anyone is in the latch. Answer: {@link InstanceInput.LatchFree}. */
    record CheckLatchFree() implements InstanceEffect {
    }

    /** Run the notify scripts for entering {@code state} (keepalived's names: MASTER, BACKUP, FAULT, STOP). */
    record Notify(String state, int priority) implements InstanceEffect {
    }

    /**
     * Something failed that an operator must hear of (count it, show it in the status, log it): {@code what} names
     * the operation (journal, bind, release, latch, session), {@code detail} the error and what happens next.
     */
    record ReportError(String what, String detail) implements InstanceEffect {
    }

    /** After {@link InstanceInput.Shutdown}: addresses gone, latch left, priority 0 sent, STOP notified. */
    record Stopped() implements InstanceEffect {
    }
}
