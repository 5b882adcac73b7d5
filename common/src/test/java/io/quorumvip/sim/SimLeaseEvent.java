package io.quorumvip.sim;

/** Mirror of node-agent's {@code LeaseEvent}: what the simulated keeper tells its agent. */
sealed interface SimLeaseEvent {

    record Acquired(long epoch, long sessionId, long validUntilNanos) implements SimLeaseEvent {
    }

    record Confirmed(long epoch, long validUntilNanos) implements SimLeaseEvent {
    }

    record Lapsed(long epoch, long validUntilNanos) implements SimLeaseEvent {
    }

    record Lost(long epoch, Cause cause) implements SimLeaseEvent {
    }

    record Released(long epoch) implements SimLeaseEvent {
    }

    record Connection(boolean usable, ZkConnectionListener.State state) implements SimLeaseEvent {
    }

    /** Mirror of node-agent's {@code LossCause}. */
    enum Cause { SESSION_LOST, SESSION_CHANGED, NODE_DELETED, OWNER_CHANGED, LEADERSHIP_LOST }
}
