package io.quorumvip.forensics;

import io.quorumvip.events.EventRecord;
import io.quorumvip.events.HybridLogicalClock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The records of all nodes in one order: hybrid logical clock, then node, then sequence. */
public final class MergedJournals {

    public static final Comparator<EventRecord> ORDER = Comparator.comparingLong(EventRecord::hlc)
            .thenComparing(EventRecord::node)
            .thenComparingLong(EventRecord::seq);

    private MergedJournals() {
    }

    /**
     * Merges journals (one per node, or already merged, or with duplicates as a coordinator receives them): a
     * record seen twice (same node and sequence) is kept once.
     */
    public static List<EventRecord> merge(Collection<? extends Collection<EventRecord>> journals) {
        List<EventRecord> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Collection<EventRecord> journal : journals) {
            for (EventRecord record : journal) {
                if (seen.add(record.node() + "\u0000" + record.seq())) {
                    all.add(record);
                }
            }
        }
        all.sort(ORDER);
        return all;
    }

    /**
     * The time of a record on its node's clock, µs since 1970: its wall time, or its HLC's milliseconds when the
     * wall clock stepped back (the HLC never does), so the times of one node never decrease.
     */
    public static long timeMicros(EventRecord record) {
        return Math.max(record.wallMicros(), HybridLogicalClock.physicalMillis(record.hlc()) * 1000);
    }
}
