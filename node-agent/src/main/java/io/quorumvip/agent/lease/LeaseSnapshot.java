package io.quorumvip.agent.lease;

/**
 * The lease of one instance as last published by its keeper; read from any thread.
 *
 * @param held            leader of the latch and the node confirmed as owned by this session
 * @param epoch           czxid of the latch node while held, 0 otherwise
 * @param sessionId       the ZooKeeper session, 0 when there is none
 * @param proven          whether {@code validUntilNanos} means anything (some confirmation was answered)
 * @param validUntilNanos monotonic end of proven validity when {@code proven}
 */
public record LeaseSnapshot(boolean held, long epoch, long sessionId, boolean proven, long validUntilNanos) {

    public static final LeaseSnapshot NONE = new LeaseSnapshot(false, 0, 0, false, 0);

    /** Held and provably valid at {@code nowNanos}: the lease half of the ownership rule. */
    public boolean validAt(long nowNanos) {
        return held && proven && nowNanos - validUntilNanos < 0;
    }

    /** How long the lease stays provably valid after {@code nowNanos}; 0 when it is not. */
    public long validForNanos(long nowNanos) {
        return validAt(nowNanos) ? validUntilNanos - nowNanos : 0;
    }
}
