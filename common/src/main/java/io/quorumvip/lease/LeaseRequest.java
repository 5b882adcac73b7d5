package io.quorumvip.lease;

/**
 * A request sent to ZooKeeper to confirm the lease, as {@link LeaseValidity#requestSent} recorded it.
 *
 * @param sessionId the ZooKeeper session it was sent on
 * @param sequence  its number within that session, counting from 1
 * @param sendNanos the monotonic time read before it went out
 */
public record LeaseRequest(long sessionId, long sequence, long sendNanos) {
}
