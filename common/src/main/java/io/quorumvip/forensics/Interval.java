package io.quorumvip.forensics;

import io.quorumvip.events.EventRecord;
import java.util.Objects;
import java.util.Optional;

/**
 * A stretch of one node's state, in that node's clock (µs since 1970). Its start is a journaled event; its end is
 * known exactly ({@code endMinMicros == endMaxMicros}) when journaled, or lies between the two when the node crashed.
 *
 * @param kind            role, lease or bound address
 * @param node            the node
 * @param instance        the VRRP instance
 * @param vrid            the instance's virtual router id (0 when the node's journal never named it)
 * @param subject         the role, the lease epoch, or the address (see {@link IntervalKind})
 * @param lifetimeSeconds for an address: the kernel lifetime it was bound with (0 = none); else 0
 * @param startMicros     when it began
 * @param endMinMicros    the earliest it can have ended
 * @param endMaxMicros    the latest it can have ended
 * @param endReason       how the end is known
 * @param opening         the record that began it
 * @param closing         the record that ended it, when one did
 */
public record Interval(
        IntervalKind kind,
        String node,
        String instance,
        int vrid,
        String subject,
        int lifetimeSeconds,
        long startMicros,
        long endMinMicros,
        long endMaxMicros,
        EndReason endReason,
        EventRecord opening,
        Optional<EventRecord> closing) {

    public Interval {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(endReason, "endReason");
        Objects.requireNonNull(opening, "opening");
        Objects.requireNonNull(closing, "closing");
        if (endMinMicros < startMicros || endMaxMicros < endMinMicros) {
            throw new IllegalArgumentException("interval " + kind + " " + subject + " on " + node + ": got start "
                    + startMicros + ", end " + endMinMicros + ".." + endMaxMicros + " (expected start <= endMin <= endMax)");
        }
    }

    public boolean endCertain() {
        return endMinMicros == endMaxMicros;
    }
}
