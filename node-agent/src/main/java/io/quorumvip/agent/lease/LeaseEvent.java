package io.quorumvip.agent.lease;

/**
 * What happened to the lease of one VRRP instance. Every event carries the monotonic time at which the keeper saw
 * it and the lease epoch (the latch node's czxid) it concerns.
 */
public sealed interface LeaseEvent {

    String instance();

    long epoch();

    long atNanos();

    /** This node became leader and ZooKeeper confirmed that the latch node is owned by its session. */
    record Acquired(String instance, long epoch, long sessionId, long validUntilNanos, long atNanos)
            implements LeaseEvent {
    }

    /** An answered confirmation moved validity to {@code validUntilNanos}. */
    record Confirmed(String instance, long epoch, long validUntilNanos, long atNanos) implements LeaseEvent {
    }

    /**
     * Validity ran out without a newer answer (ZooKeeper unreachable or slow). The latch may still be held, and a
     * later answer on the same session makes the lease valid again with the same epoch (a {@link Confirmed}).
     */
    record Lapsed(String instance, long epoch, long validUntilNanos, long atNanos) implements LeaseEvent {
    }

    /** The lease is gone for good; a new one needs a new latch node and comes with a larger epoch. */
    record Lost(String instance, long epoch, LossCause cause, long atNanos) implements LeaseEvent {
    }

    /** This node gave the lease up ({@link LeaseKeeper#withdraw()} or close). */
    record Released(String instance, long epoch, long atNanos) implements LeaseEvent {
    }

    /**
     * The ZooKeeper connection changed: {@code usable} is true once connected with a session, false when the session
     * is lost (Curator's LOST). SUSPENDED is not reported: a ZooKeeper leader election passes through it, and the
     * validity bound already covers the time without answers.
     */
    record Connection(String instance, long epoch, boolean usable, String state, long atNanos) implements LeaseEvent {
    }
}
