package io.quorumvip.lease;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Until when this node's lease is provably valid, from the requests it sent to ZooKeeper and the answers it got.
 * Pure: every time is a monotonic nanosecond value passed in, compared only by subtraction (so it stays right when
 * {@code System.nanoTime} wraps).
 *
 * <p>Rules:
 * <ul>
 *   <li>Only an answer on the current session counts; a new session, or the end of one, forgets everything
 *       (the old session's ephemeral node is gone or about to be).</li>
 *   <li>An answer proves validity until {@code send time + S − margin} ({@link LeaseTiming}); validity is the
 *       latest such bound, so an answer to an older request never moves it back, nor past a newer one's bound.</li>
 *   <li>The send time is read before the request goes out, so a request that ZooKeeper handles later (a retry,
 *       a slow network) only makes the bound earlier than it could be: safe.</li>
 * </ul>
 * Not thread-safe: one thread drives it.
 */
public final class LeaseValidity {

    /** Requests older than the newest answered one cannot extend validity; bounded so a long outage stays cheap. */
    private static final int MAX_PENDING = 64;

    private long sessionId;
    private LeaseTiming timing;
    private long nextSequence = 1;
    private final Deque<LeaseRequest> pending = new ArrayDeque<>();
    private boolean answered;
    private long validUntilNanos;

    /** With no session: nothing is valid until {@link #sessionStarted} and an answer. */
    public LeaseValidity() {
    }

    /**
     * The client is connected on {@code newSessionId} with its negotiated timeout. A different session than before
     * forgets every request and answer of the previous one and returns true; the same session again (a reconnect
     * within the timeout) keeps them and returns false.
     */
    public boolean sessionStarted(long newSessionId, Duration negotiatedTimeout) {
        if (newSessionId == 0) {
            throw new IllegalArgumentException("session id got 0 (expected the id of an established session)");
        }
        if (newSessionId == sessionId) {
            return false;
        }
        LeaseTiming newTiming = LeaseTiming.of(negotiatedTimeout);
        forget();
        sessionId = newSessionId;
        timing = newTiming;
        return true;
    }

    /** The session expired, was closed or is otherwise gone: nothing is valid any more. */
    public void sessionEnded() {
        forget();
        sessionId = 0;
        timing = null;
    }

    public boolean hasSession() {
        return sessionId != 0;
    }

    /** The current session's id; 0 when there is none. */
    public long sessionId() {
        return sessionId;
    }

    /** Records a request about to be sent at {@code sendNanos}; pass what it returns to {@link #answered}. */
    public LeaseRequest requestSent(long sendNanos) {
        if (!hasSession()) {
            throw new IllegalStateException("a lease request needs a session (call sessionStarted first)");
        }
        LeaseRequest request = new LeaseRequest(sessionId, nextSequence++, sendNanos);
        if (pending.size() == MAX_PENDING) {
            pending.removeFirst();
        }
        pending.addLast(request);
        return request;
    }

    /**
     * ZooKeeper answered {@code request} on its session. Returns whether that moved validity later; an answer from
     * another session, a duplicate, or one older than an answered request changes nothing.
     */
    public boolean answered(LeaseRequest request) {
        if (request.sessionId() != sessionId || sessionId == 0 || !pending.contains(request)) {
            return false;
        }
        while (!pending.isEmpty() && pending.peekFirst().sequence() <= request.sequence()) {
            pending.removeFirst();
        }
        long bound = timing.validUntil(request.sendNanos());
        if (answered && bound - validUntilNanos <= 0) {
            return false;
        }
        answered = true;
        validUntilNanos = bound;
        return true;
    }

    /** The request got no answer (connection loss, timeout): it can no longer prove anything. */
    public void failed(LeaseRequest request) {
        pending.remove(request);
    }

    /** The end of proven validity; empty when no request of the current session has been answered. */
    public OptionalLong validUntil() {
        return answered ? OptionalLong.of(validUntilNanos) : OptionalLong.empty();
    }

    public boolean isValid(long nowNanos) {
        return answered && nowNanos - validUntilNanos < 0;
    }

    /** How much longer the lease is valid at {@code nowNanos}, 0 when it is not. */
    public long remainingNanos(long nowNanos) {
        return isValid(nowNanos) ? validUntilNanos - nowNanos : 0;
    }

    /** The address lifetime to program now ({@link LeaseTiming#kernelLifetimeSeconds}); 0: remove the address. */
    public long kernelLifetimeSeconds(long nowNanos) {
        return isValid(nowNanos) ? LeaseTiming.kernelLifetimeSeconds(validUntilNanos, nowNanos) : 0;
    }

    /** The timing of the current session; empty without one. */
    public Optional<LeaseTiming> timing() {
        return Optional.ofNullable(timing);
    }

    private void forget() {
        pending.clear();
        answered = false;
        validUntilNanos = 0;
        nextSequence = 1;
    }
}
