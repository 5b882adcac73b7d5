package io.quorumvip.forensics;

import io.quorumvip.events.Cause;
import io.quorumvip.events.Event;
import io.quorumvip.events.EventRecord;
import io.quorumvip.events.Hash256;
import java.util.HashMap;
import java.util.Map;

/**
 * Makes records read for forensics small: years of history are millions of records held at once. Forensics never
 * reads the hash chain ({@code qvip replay --verify} checks it), so each record's copy of the previous hash is
 * dropped; causes and events repeat (the same advert, the same state change), so equal ones share one instance.
 * At most {@link #MAX_SHARED} distinct values of each are kept for sharing, so values that never repeat (a
 * timestamp in an event) cannot make the table grow without bound.
 */
final class CompactRecords {

    static final int MAX_SHARED = 4096;

    private final Map<Cause, Cause> causes = new HashMap<>();
    private final Map<Event, Event> events = new HashMap<>();

    EventRecord compact(EventRecord r) {
        return new EventRecord(r.node(), r.seq(), r.wallMicros(), r.monoNanos(), r.hlc(), r.leaseEpoch(),
                shared(causes, r.cause()), Hash256.ZERO, shared(events, r.event()));
    }

    private static <T> T shared(Map<T, T> table, T value) {
        T known = table.get(value);
        if (known != null) {
            return known;
        }
        if (table.size() < MAX_SHARED) {
            table.put(value, value);
        }
        return value;
    }
}
