package io.quorumvip.events;

import java.util.Objects;

/**
 * What the agent hands to the journal: the event and the times it happened. The journal adds node id, sequence,
 * HLC stamp and previous hash, because only the journal knows the order records really land in.
 */
public record EventDraft(long wallMicros, long monoNanos, long leaseEpoch, Cause cause, Event event) {

    public EventDraft {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(event, "event");
        if (wallMicros < 0) {
            throw new IllegalArgumentException("wall time: got " + wallMicros + " µs (expected >= 0, microseconds since 1970)");
        }
        if (leaseEpoch < 0) {
            throw new IllegalArgumentException("lease epoch: got " + leaseEpoch + " (expected >= 0, 0 = none)");
        }
    }

    public static EventDraft of(long wallMicros, long monoNanos, Cause cause, Event event) {
        return new EventDraft(wallMicros, monoNanos, EventRecord.NO_EPOCH, cause, event);
    }
}
