package io.quorumvip.sim;

/** Mirror of node-agent's {@code LeaseSnapshot}. */
record SimLeaseSnapshot(boolean held, long epoch, long sessionId, boolean proven, long validUntilNanos) {

    static final SimLeaseSnapshot NONE = new SimLeaseSnapshot(false, 0, 0, false, 0);

    boolean validAt(long nowNanos) {
        return held && proven && nowNanos - validUntilNanos < 0;
    }
}
