package io.quorumvip.vrrp;

import java.util.Objects;

/** What the state machine asks the agent to do; the agent applies a step's outputs in order. */
public sealed interface VrrpOutput {

    /** Send one advert with this priority (0 = "I am leaving, take over now"). */
    record SendAdvert(int priority) implements VrrpOutput {
    }

    /** Arm the instance's single timer for this deadline, replacing any earlier one. */
    record ArmTimer(long deadlineNanos, VrrpTimer timer) implements VrrpOutput {
        public ArmTimer {
            Objects.requireNonNull(timer, "timer");
        }
    }

    /** Disarm the instance's timer: from now on none is armed. */
    record CancelTimer() implements VrrpOutput {
    }

    /** The instance changed state; journaled with its cause. */
    record StateChanged(VrrpState from, VrrpState to, Cause cause) implements VrrpOutput {
        public StateChanged {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(cause, "cause");
        }
    }
}
