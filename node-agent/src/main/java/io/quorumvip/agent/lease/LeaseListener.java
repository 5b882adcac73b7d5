package io.quorumvip.agent.lease;

/**
 * Receives an instance's lease events, in order, on that keeper's own thread: hop to your event loop before
 * touching anything that is not thread-safe, and do not block.
 */
@FunctionalInterface
public interface LeaseListener {

    void onLeaseEvent(LeaseEvent event);
}
