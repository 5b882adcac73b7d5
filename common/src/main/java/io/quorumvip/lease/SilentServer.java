package io.quorumvip.lease;

import java.time.Duration;

/**
 * When the session prover should move its ZooKeeper session to another server of the ensemble: once the server it
 * is connected to has left a confirmation unanswered for {@link #boundNanos} (docs/lease.md, "Leaving a silent
 * server").
 *
 * <p>Why: a server cut off without a reset (its host or network gone) answers nothing, and the ZooKeeper client
 * notices only after its read timeout, two thirds of S, then sleeps up to a second before reconnecting; when that
 * server was the ensemble's leader, the first answer through the new leader came after the validity of the last
 * one had run out (docs/safety.md). Moving at once leaves the rest of the validity for the reconnection. Moving
 * keeps the session (the client resumes it on the next server with its id and password), so it changes nothing
 * about the bound: ZooKeeper cannot expire the session before {@code t_c + S} after any request it answered.
 *
 * <p>Silence counts from the send time of a confirmation still unanswered, and only while connected: a client that
 * lost its connection is already moving by itself, and an agent that was paused sends afresh before it can judge.
 * At most one move per connection: the next one waits for the client to be connected again. Not thread-safe; time
 * is passed in.
 */
public final class SilentServer {

    /**
     * ZooKeeper's client sleeps a random 0–1 s before each reconnection ({@code ClientCnxn.startConnect}); 100 ms
     * more for the connection, the session's revalidation and the confirmation's round trip.
     */
    public static final Duration RECONNECT_BUDGET = Duration.ofMillis(1_100);
    /**
     * A server that works answers a confirmation in milliseconds, and a follower that lost its leader drops its
     * clients by itself; one second of silence on a live connection means the server cannot answer, so waiting
     * longer only spends validity.
     */
    public static final Duration LONGEST_BOUND = Duration.ofSeconds(1);

    private static final long NONE = Long.MIN_VALUE;

    private final long periodNanos;
    private long boundNanos = NONE;
    private boolean moved;
    private long unansweredSince = NONE;
    private long lastSent = NONE;

    /** @param period how often the prover sends a confirmation */
    public SilentServer(Duration period) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("confirmation period got " + period + " (expected more than 0)");
        }
        this.periodNanos = period.toNanos();
    }

    /**
     * How long a confirmation may stay unanswered before the session moves: as late as still leaves a period and
     * {@link #RECONNECT_BUDGET} of the validity one answer gives ({@code S − margin}), at most
     * {@link #LONGEST_BOUND}, and never under two periods (one late answer is not silence). With a 250 ms period on
     * a 200 ms tick: 1 s at S = 4 and 6 s, 0.5 s at S = 3 s; on a 2 s tick, 0.59 s at S = 6 s.
     */
    public static long boundNanos(LeaseTiming timing, long periodNanos) {
        long validity = timing.validityNanos();
        long latest = validity - periodNanos - RECONNECT_BUDGET.toNanos();
        return Math.max(2 * periodNanos, Math.min(LONGEST_BOUND.toNanos(), latest));
    }

    /** The client is connected (again) with the negotiated session timeout {@code timing}: silence starts afresh. */
    public void connected(LeaseTiming timing) {
        boundNanos = boundNanos(timing, periodNanos);
        moved = false;
        unansweredSince = NONE;
        lastSent = NONE;
    }

    /** The client lost its connection: it looks for a server by itself. */
    public void disconnected() {
        boundNanos = NONE;
        unansweredSince = NONE;
        lastSent = NONE;
    }

    /** A confirmation went out; {@code sentNanos} was read before sending. */
    public void sent(long sentNanos) {
        if (boundNanos == NONE) {
            return;
        }
        lastSent = sentNanos;
        if (unansweredSince == NONE) {
            unansweredSince = sentNanos;
        }
    }

    /**
     * The server answered the confirmation sent at {@code sentNanos}. A newer one may still be out; silence then
     * counts from the newest (later than it may have begun: a server that answers slowly is not left).
     */
    public void answered(long sentNanos) {
        if (unansweredSince == NONE || sentNanos - unansweredSince < 0) {
            return;
        }
        unansweredSince = lastSent - sentNanos > 0 ? lastSent : NONE;
    }

    /** True, once per connection, when a confirmation has been unanswered for the bound at {@code nowNanos}. */
    public boolean shouldMove(long nowNanos) {
        if (moved || boundNanos == NONE || unansweredSince == NONE || nowNanos - unansweredSince < boundNanos) {
            return false;
        }
        moved = true;
        return true;
    }

    /** The bound of the current connection in nanoseconds; 0 while not connected. */
    public long boundNanos() {
        return boundNanos == NONE ? 0 : boundNanos;
    }
}
