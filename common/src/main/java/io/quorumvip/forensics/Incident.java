package io.quorumvip.forensics;

import java.util.List;
import java.util.Objects;

/**
 * Something forensics found, with its interval as the journals show it and its true duration's bounds.
 *
 * @param kind               what it is (its severity with it)
 * @param startMicros        when it began, as journaled (µs since 1970, the clock of the node whose event began it)
 * @param endMicros          when it ended, as journaled (the latest possible end when a crash leaves it open)
 * @param minDurationMicros  the shortest it can have lasted, given the clock uncertainty between the nodes involved
 *                           and the uncertain end of a crashed node's holdings; 0 when it may not have happened
 * @param maxDurationMicros  the longest it can have lasted
 * @param nodes              the nodes involved, sorted
 * @param instance           the VRRP instance ("" when not about one instance)
 * @param vrid               the VRID (0 when unknown or not about one)
 * @param address            the virtual address ("" when not about one)
 * @param summary            one line in words
 * @param causes             the events that led in and out, in merged order
 * @param notes              how uncertain ends were closed, what the journals cannot tell
 */
public record Incident(
        IncidentKind kind,
        long startMicros,
        long endMicros,
        long minDurationMicros,
        long maxDurationMicros,
        List<String> nodes,
        String instance,
        int vrid,
        String address,
        String summary,
        List<CauseStep> causes,
        List<String> notes) {

    public Incident {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(summary, "summary");
        nodes = List.copyOf(nodes);
        causes = List.copyOf(causes);
        notes = List.copyOf(notes);
        if (minDurationMicros < 0 || maxDurationMicros < minDurationMicros) {
            throw new IllegalArgumentException(kind + " incident duration: got " + minDurationMicros + ".."
                    + maxDurationMicros + " µs (expected 0 <= min <= max)");
        }
    }
}
