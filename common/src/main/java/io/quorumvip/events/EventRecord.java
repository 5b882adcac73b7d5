package io.quorumvip.events;

import java.util.Objects;

/**
 * One journal entry: the envelope around an {@link Event}.
 *
 * @param node          node id (the agent's configured name)
 * @param seq           per-node sequence, 1, 2, 3 ... without gaps
 * @param wallMicros    wall-clock time in microseconds since the epoch (for people)
 * @param monoNanos     the node's monotonic clock in nanoseconds (for intervals on one node)
 * @param hlc           hybrid logical clock stamp (for order across nodes), see {@link HybridLogicalClock}
 * @param leaseEpoch    fencing number of the lease this event is about, {@link #NO_EPOCH} when none applies
 * @param cause         the input that triggered the event
 * @param previousHash  SHA-256 of the previous record's bytes in the journal ({@link Hash256#ZERO} for the first)
 * @param event         what happened
 */
public record EventRecord(
        String node,
        long seq,
        long wallMicros,
        long monoNanos,
        long hlc,
        long leaseEpoch,
        Cause cause,
        Hash256 previousHash,
        Event event) {

    /** ZooKeeper's czxid is always positive, so 0 can mean "no lease involved". */
    public static final long NO_EPOCH = 0;

    public EventRecord {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(previousHash, "previousHash");
        Objects.requireNonNull(event, "event");
        if (node.isEmpty()) {
            throw new IllegalArgumentException("event record node id is empty (expected the agent's node name)");
        }
        if (seq < 1) {
            throw new IllegalArgumentException("event record seq: got " + seq + " (expected >= 1)");
        }
        if (leaseEpoch < 0) {
            throw new IllegalArgumentException("event record lease epoch: got " + leaseEpoch + " (expected >= 0, 0 = none)");
        }
        if (hlc < 0) {
            throw new IllegalArgumentException("event record HLC stamp: got " + hlc + " (expected >= 0)");
        }
    }
}
