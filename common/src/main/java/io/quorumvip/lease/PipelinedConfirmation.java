package io.quorumvip.lease;

/**
 * One session confirmation sent as {@code sync} and {@code exists} back to back on one ZooKeeper session, the
 * monotonic clock read before both (docs/lease.md, "Confirmation"). The {@code exists} answer counts only if the
 * {@code sync} answer before it was OK: ZooKeeper answers a session's requests in order, and a follower holds the
 * session's later requests until the leader has answered its {@code sync} (docs/safety.md, step 2), so an OK
 * {@code sync} followed by an answered {@code exists} proves what the {@code exists} sent after the {@code sync}'s
 * answer used to prove, from the same send time.
 *
 * <p>Both answers come on the client's one event thread, the {@code sync}'s first; an {@code exists} answer with no
 * OK {@code sync} before it (failed, lost with the connection, or never heard) proves nothing. Not thread-safe.
 */
public final class PipelinedConfirmation {

    private final long session;
    private final long sentNanos;
    private boolean synced;

    /** @param session the session both requests go out on; {@code sentNanos} was read before sending either */
    public PipelinedConfirmation(long session, long sentNanos) {
        this.session = session;
        this.sentNanos = sentNanos;
    }

    /** The {@code sync} was answered, {@code ok} or with an error. */
    public void syncAnswered(boolean ok) {
        synced = ok;
    }

    /**
     * The {@code exists} was answered: true when the server answered it (the node there or not) after an OK
     * {@code sync}, that is, the ensemble's leader heard of the session after {@link #sentNanos}.
     */
    public boolean answered(boolean existsAnswered) {
        return synced && existsAnswered;
    }

    /** Whether an answered confirmation proves {@code currentSession}: only the session it was sent on. */
    public boolean proves(long currentSession) {
        return currentSession == session;
    }

    public long session() {
        return session;
    }

    public long sentNanos() {
        return sentNanos;
    }
}
