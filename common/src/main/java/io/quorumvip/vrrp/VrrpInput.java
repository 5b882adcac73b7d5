package io.quorumvip.vrrp;

import java.net.InetAddress;
import java.util.Objects;

/** What the agent feeds {@link VrrpStateMachine#step}; each is one event, its time passed alongside. */
public sealed interface VrrpInput {

    /** The instance starts (RFC 5798 §6.4.1 Startup event). */
    record Startup() implements VrrpInput {
    }

    /** The instance stops (RFC 5798 Shutdown event); from MASTER it sends a priority-0 advert. */
    record Shutdown() implements VrrpInput {
    }

    /**
     * A valid advert for this VRID, already decoded and checked by the codec.
     *
     * @param sender                  the sender's primary address (the IP source address)
     * @param priority                the advertised priority, 0..255; 0 means the master is leaving
     * @param maxAdvertIntervalCentis the advertised interval in centiseconds (v2: seconds * 100)
     */
    record AdvertReceived(InetAddress sender, int priority, int maxAdvertIntervalCentis) implements VrrpInput {
        public AdvertReceived {
            Objects.requireNonNull(sender, "sender");
            if (priority < 0 || priority > 255) {
                throw new IllegalArgumentException("advert priority: got " + priority + " (expected 0..255)");
            }
            if (maxAdvertIntervalCentis < 1) {
                throw new IllegalArgumentException("advert interval: got " + maxAdvertIntervalCentis
                        + " centiseconds (expected 1 or more; the codec drops adverts with interval 0)");
            }
        }
    }

    /** The agent's clock reached the deadline of the last {@link VrrpOutput.ArmTimer}. */
    record TimerFired() implements VrrpInput {
    }

    /**
     * A MASTER's Adver_Timer has not run out yet, but its driver sends the advert now, early, so that it shares a
     * wake-up with other instances' adverts: the advert goes out and the timer restarts from now, so no gap between
     * two adverts grows past the Advertisement_Interval (it shrinks, once). Ignored in any other state.
     */
    record AdvertEarly() implements VrrpInput {
    }

    /**
     * The trackers changed the total priority (configured priority plus weights); it may be out of range, the state
     * machine clamps it as keepalived does.
     */
    record PriorityChanged(int totalPriority) implements VrrpInput {
    }

    /** A tracked interface or script (later: the quorum) failed; {@code source} names it, e.g. "script chk_http". */
    record FaultRaised(String source) implements VrrpInput {
        public FaultRaised {
            Objects.requireNonNull(source, "source");
        }
    }

    /** The fault raised under the same {@code source} is gone. */
    record FaultCleared(String source) implements VrrpInput {
        public FaultCleared {
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * Leave MASTER now (e.g. the quorum lease cannot be proven): send a priority-0 advert and go BACKUP;
     * {@code reason} is journaled as the cause. Ignored outside MASTER. It does not hold the node out: if it still
     * has the top priority and preempts, it takes over again one Master_Down_Interval later, so to stay out the
     * agent should also lower the priority or raise a fault.
     */
    record ForceBackup(String reason) implements VrrpInput {
        public ForceBackup {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The master that just sent priority 0 is known to be gone (its quorum lease is released): a BACKUP waiting out
     * Skew_Time after that priority-0 advert (RFC 5798 §6.4.2) becomes MASTER now. Ignored in any other situation.
     */
    record TakeOver(String reason) implements VrrpInput {
        public TakeOver {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
