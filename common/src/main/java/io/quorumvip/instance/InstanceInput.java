package io.quorumvip.instance;

import io.quorumvip.track.TrackerStatus;
import java.net.InetAddress;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What the agent (or the simulation) feeds {@link InstanceCore#step}: one event each, its monotonic time passed
 * alongside. Acknowledgements of effects come back as inputs too, so the core never reads the effector's memory.
 */
public sealed interface InstanceInput {

    /** The instance starts: trackers' initial verdicts, then the RFC 5798 Startup event. */
    record Start() implements InstanceInput {
    }

    /** Graceful stop: addresses, then latch, then the priority-0 advert, then {@link InstanceEffect.Stopped}. */
    record Shutdown() implements InstanceInput {
    }

    /**
     * A valid advert for this VRID; the step's time is when the socket received it, not when it was handled.
     *
     * @param sender                the sender's primary address
     * @param priority              0..255; 0 means the master is leaving
     * @param advertIntervalCentis  the advertised interval in centiseconds
     */
    record AdvertReceived(InetAddress sender, int priority, int advertIntervalCentis) implements InstanceInput {
        public AdvertReceived {
            Objects.requireNonNull(sender, "sender");
        }
    }

    /** The driver's timer reached the last {@link InstanceEffect.SetTimer} deadline (early firings do nothing). */
    record TimerFired() implements InstanceInput {
    }

    /** A tracker's verdict (script or interface) changed. */
    record TrackerChanged(String tracker, boolean healthy) implements InstanceInput {
        public TrackerChanged {
            Objects.requireNonNull(tracker, "tracker");
        }
    }

    /**
     * A tracker whose contribution is a value rather than a verdict (a {@code vrrp_track_file}) has a new status:
     * its weight is what it now adds, and it faults when its weight is 0 and it is unhealthy.
     */
    record TrackerStatusChanged(TrackerStatus status) implements InstanceInput {
        public TrackerStatusChanged {
            Objects.requireNonNull(status, "status");
        }
    }

    /**
     * The node's ZooKeeper client is connected on this session, with this negotiated timeout; the ensemble's
     * tickTime ({@code zk_tick_time}) bounds how long a stale ZooKeeper leader may still answer (the lease's margin).
     */
    record SessionStarted(long sessionId, long timeoutNanos, long ensembleTickNanos) implements InstanceInput {
    }

    /** The node's ZooKeeper session is gone (Curator's LOST): nothing it proved counts any more. */
    record SessionLost() implements InstanceInput {
    }

    /**
     * The node's session prover got an answer, through the ZooKeeper leader, to a request sent at {@code sendNanos}
     * (read before sending) on {@code sessionId}. One answer proves the session for every instance of the node.
     */
    record ConfirmationAnswered(long sessionId, long sendNanos) implements InstanceInput {
    }

    /**
     * This instance's latch says leader, and a request sent at {@code sendNanos} found its node owned by
     * {@code sessionId}; {@code epoch} is the node's czxid.
     */
    record LatchAcquired(long sessionId, long epoch, long sendNanos) implements InstanceInput {
    }

    /** The latch no longer leads (or its node is gone); the adapter keeps contending until told to withdraw. */
    record LatchLost(LeaseLossCause cause) implements InstanceInput {
        public LatchLost {
            Objects.requireNonNull(cause, "cause");
        }
    }

    /** The latch could not be started (a {@link InstanceEffect.Contend} failed). */
    record LatchStartFailed(String error) implements InstanceInput {
    }

    /** After {@link InstanceEffect.Withdraw}: ZooKeeper confirmed this instance's latch node is gone. */
    record LatchGone() implements InstanceInput {
    }

    /** Answer to {@link InstanceEffect.CheckLatchFree}: whether nobody is in the latch (asked through the leader). */
    record LatchFree(boolean free) implements InstanceInput {
    }

    /** Answer to {@link InstanceEffect.WriteAhead}: whether the events are durable. */
    record WriteAheadDone(boolean durable, String detail) implements InstanceInput {
    }

    /**
     * The kernel accepted {@link InstanceEffect.Bind}; the step's time is read after its answer.
     * {@code lifetimeSeconds}: the lifetime programmed ({@link InstanceEffect.Bind#lifetimeAt}), 0 when the
     * effector found less than a second left and called nothing; ignored for a bind without lifetime.
     */
    record BindDone(long lifetimeSeconds) implements InstanceInput {
    }

    /** {@link InstanceEffect.Bind} failed for at least one address. */
    record BindFailed(String error) implements InstanceInput {
    }

    /** The kernel confirmed {@link InstanceEffect.Release}: no address of the instance is on the interface. */
    record ReleaseDone() implements InstanceInput {
    }

    /** {@link InstanceEffect.Release} failed for at least one address. */
    record ReleaseFailed(String error) implements InstanceInput {
    }

    /**
     * From the instance's sync group: whether every other member is MASTER with a provably valid lease, and (with
     * a lease) the earliest of their validUntil. The addresses are owned only while it is open and before that
     * instant, and their kernel lifetime ends by it (docs/safety.md, sync groups). Never sent outside a group.
     */
    record GroupGate(boolean open, OptionalLong othersValidUntilNanos) implements InstanceInput {
        public GroupGate {
            Objects.requireNonNull(othersValidUntilNanos, "othersValidUntilNanos");
        }
    }

    /** From the sync group: another member is in FAULT of its own ({@code raised}), or no longer is. */
    record GroupFault(String source, boolean raised) implements InstanceInput {
        public GroupFault {
            Objects.requireNonNull(source, "source");
        }
    }

    /** From the sync group: another member left MASTER for BACKUP, so this one leaves MASTER too. */
    record GroupBackup(String reason) implements InstanceInput {
        public GroupBackup {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * From the sync group: while held, a BACKUP whose master-down timer runs out only says it wants MASTER
     * ({@link InstanceCore.MemberView#wantsMaster}) and stays BACKUP; released, it becomes MASTER then. keepalived's
     * "can go to master" rule: the members become MASTER together, once each of them would.
     */
    record GroupHold(boolean hold) implements InstanceInput {
    }
}
