package io.quorumvip.forensics;

import io.quorumvip.events.EventRecord;
import io.quorumvip.events.HybridLogicalClock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** The records of all nodes in one order: hybrid logical clock, then node, then sequence. */
public final class MergedJournals {

    public static final Comparator<EventRecord> ORDER = Comparator.comparingLong(EventRecord::hlc)
            .thenComparing(EventRecord::node)
            .thenComparingLong(EventRecord::seq);

    private MergedJournals() {
    }

    /** One input's next record; ties between inputs go to the earlier input, so its copy of a duplicate is kept. */
    private static final class Cursor {
        final List<EventRecord> records;
        final int input;
        int position;

        Cursor(List<EventRecord> records, int input) {
            this.records = records;
            this.input = input;
        }

        EventRecord head() {
            return records.get(position);
        }
    }

    /**
     * Merges journals (one per node, or already merged, or with duplicates as a coordinator receives them): a
     * record seen twice (same node, sequence and stamp) is kept once. Each journal is already in order (a node's
     * HLC never goes back), so this is a streaming k-way merge; an input out of order is sorted first.
     */
    public static List<EventRecord> merge(Collection<? extends Collection<EventRecord>> journals) {
        PriorityQueue<Cursor> heads = new PriorityQueue<>(Math.max(1, journals.size()),
                Comparator.comparing(Cursor::head, ORDER).thenComparingInt(c -> c.input));
        int total = 0;
        int input = 0;
        for (Collection<EventRecord> journal : journals) {
            List<EventRecord> records = inOrder(journal);
            total += records.size();
            if (!records.isEmpty()) {
                heads.add(new Cursor(records, input));
            }
            input++;
        }
        List<EventRecord> all = new ArrayList<>(total);
        EventRecord last = null;
        while (!heads.isEmpty()) {
            Cursor cursor = heads.poll();
            EventRecord record = cursor.head();
            if (last == null || !sameRecord(last, record)) {
                all.add(record);
                last = record;
            }
            if (all.size() % Cancellation.EVERY == 0) {
                Cancellation.check();
            }
            if (++cursor.position < cursor.records.size()) {
                heads.add(cursor);
            }
        }
        return all;
    }

    /** Equal in the merge order: a duplicate sorts right after its first copy. */
    private static boolean sameRecord(EventRecord a, EventRecord b) {
        return a.hlc() == b.hlc() && a.seq() == b.seq() && a.node().equals(b.node());
    }

    private static List<EventRecord> inOrder(Collection<EventRecord> journal) {
        List<EventRecord> records = journal instanceof List<EventRecord> list ? list : new ArrayList<>(journal);
        for (int i = 1; i < records.size(); i++) {
            if (ORDER.compare(records.get(i - 1), records.get(i)) > 0) {
                List<EventRecord> sorted = new ArrayList<>(records);
                sorted.sort(ORDER);
                return sorted;
            }
        }
        return records;
    }

    /**
     * The time of a record on its node's clock, µs since 1970: its wall time, or its HLC's milliseconds when the
     * wall clock stepped back (the HLC never does), so the times of one node never decrease.
     */
    public static long timeMicros(EventRecord record) {
        return Math.max(record.wallMicros(), HybridLogicalClock.physicalMillis(record.hlc()) * 1000);
    }
}
