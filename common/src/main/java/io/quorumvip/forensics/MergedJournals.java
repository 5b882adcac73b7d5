package io.quorumvip.forensics;

import io.quorumvip.events.EventRecord;
import io.quorumvip.events.HybridLogicalClock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/** The records of all nodes in one order: hybrid logical clock, then node, then sequence. */
public final class MergedJournals {

    public static final Comparator<EventRecord> ORDER = Comparator.comparingLong(EventRecord::hlc)
            .thenComparing(EventRecord::node)
            .thenComparingLong(EventRecord::seq);

    private MergedJournals() {
    }

    /** One input's next record; ties between inputs go to the earlier input, so its copy of a duplicate is kept. */
    private static final class Cursor {
        final Iterator<EventRecord> records;
        final String name;
        final int input;
        EventRecord head;

        Cursor(Iterator<EventRecord> records, String name, int input) {
            this.records = records;
            this.name = name;
            this.input = input;
        }

        /** Moves to the next record; false at the end. A record before the previous one is an error. */
        boolean advance() {
            if (!records.hasNext()) {
                return false;
            }
            EventRecord next = records.next();
            if (head != null && compare(head, next) > 0) {
                throw new IllegalArgumentException("journal " + name + " is out of order: " + next.node() + " seq "
                        + next.seq() + " (hlc " + next.hlc() + ") comes after " + head.node() + " seq " + head.seq()
                        + " (hlc " + head.hlc() + "); a node's journal is written in HLC order, so this one was put "
                        + "together by hand: give each node's journal directory as it was written");
            }
            head = next;
            return true;
        }
    }

    /**
     * Merges journals (one per node, or already merged, or with duplicates as a coordinator receives them): a
     * record seen twice (same node, sequence and stamp) is kept once. An input out of order is sorted first.
     */
    public static List<EventRecord> merge(Collection<? extends Collection<EventRecord>> journals) {
        List<Iterator<EventRecord>> inputs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int total = 0;
        for (Collection<EventRecord> journal : journals) {
            List<EventRecord> records = inOrder(journal);
            total += records.size();
            inputs.add(records.iterator());
            names.add("#" + (names.size() + 1));
        }
        List<EventRecord> all = new ArrayList<>(total);
        merge(inputs, names, all::add);
        return all;
    }

    /**
     * The streaming k-way merge: each input in {@link #ORDER} already (a node's journal is), named for errors;
     * {@code out} receives every record once, duplicates dropped, holding one record per input.
     *
     * @throws IllegalArgumentException when an input is out of order
     */
    public static void merge(List<Iterator<EventRecord>> inputs, List<String> names, Consumer<EventRecord> out) {
        PriorityQueue<Cursor> heads = new PriorityQueue<>(Math.max(1, inputs.size()), (a, b) -> {
            int order = compare(a.head, b.head);
            return order != 0 ? order : Integer.compare(a.input, b.input);
        });
        for (int i = 0; i < inputs.size(); i++) {
            Cursor cursor = new Cursor(inputs.get(i), names.get(i), i);
            if (cursor.advance()) {
                heads.add(cursor);
            }
        }
        EventRecord last = null;
        long merged = 0;
        while (!heads.isEmpty()) {
            Cursor cursor = heads.poll();
            EventRecord record = cursor.head;
            if (last == null || !sameRecord(last, record)) {
                out.accept(record);
                last = record;
            }
            if (++merged % Cancellation.EVERY == 0) {
                Cancellation.check();
            }
            if (cursor.advance()) {
                heads.add(cursor);
            }
        }
    }

    /**
     * {@link #ORDER} written out: the merge compares every record once or twice, and the composed comparator's
     * lambdas and boxing cost several times the comparison itself.
     */
    static int compare(EventRecord a, EventRecord b) {
        if (a.hlc() != b.hlc()) {
            return Long.compare(a.hlc(), b.hlc());
        }
        int node = a.node().compareTo(b.node());
        return node != 0 ? node : Long.compare(a.seq(), b.seq());
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
