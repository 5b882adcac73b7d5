package io.quorumvip.forensics;

import java.util.Objects;

/**
 * What a report says of an {@link Interval}, without the records that opened and closed it: the form a store of
 * years of intervals keeps (the records are in the journals).
 */
public record IntervalRow(
        IntervalKind kind,
        String node,
        String instance,
        int vrid,
        String subject,
        long startMicros,
        long endMinMicros,
        long endMaxMicros,
        EndReason endReason) {

    public IntervalRow {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(endReason, "endReason");
    }

    public static IntervalRow of(Interval interval) {
        return new IntervalRow(interval.kind(), interval.node(), interval.instance(), interval.vrid(),
                interval.subject(), interval.startMicros(), interval.endMinMicros(), interval.endMaxMicros(),
                interval.endReason());
    }
}
