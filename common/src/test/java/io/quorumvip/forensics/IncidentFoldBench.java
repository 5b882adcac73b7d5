package io.quorumvip.forensics;

import io.quorumvip.events.EventRecord;
import io.quorumvip.journal.JournalRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code IncidentFoldBench DIR...}: the incident fold fed as the coordinator receives records — each node's journal in
 * batches of 512 (the shipper's), the nodes taking turns — over journal directories (those of
 * {@code scripts/bench-forensics.sh}); prints the fold's rate, how many records waited at most, and what a
 * {@link IncidentFold#tail} costs in the middle and at the end. The results are counted, not kept: this measures
 * the fold, not a cache.
 */
public final class IncidentFoldBench {

    private static final int BATCH = 512;

    private IncidentFoldBench() {
    }

    /** Counts what a listener receives. */
    private static final class Counted implements Forensics.Listener {
        long intervals;
        long incidents;

        @Override
        public void interval(Interval interval) {
            intervals++;
        }

        @Override
        public void incident(Incident incident) {
            incidents++;
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: IncidentFoldBench DIR DIR... (each a node's journal directory)");
            System.exit(2);
        }
        List<JournalRecords> journals = new ArrayList<>();
        List<String> nodes = new ArrayList<>();
        long total = 0;
        for (String arg : args) {
            JournalRecords records = JournalRecords.open(Path.of(arg));
            journals.add(records);
            total += records.count();
            nodes.add(Path.of(arg).getFileName().toString());
        }
        Counted settled = new Counted();
        IncidentFold fold = new IncidentFold(nodes, ForensicsSettings.DEFAULT, settled);
        long shipped = 0;
        long maxQueued = 0;
        String middle = null;
        long started = System.nanoTime();
        long tailNanos = 0;
        for (boolean more = true; more; ) {
            more = false;
            for (JournalRecords journal : journals) {
                for (int i = 0; i < BATCH && journal.hasNext(); i++) {
                    fold.accept(journal.next());
                    shipped++;
                }
                more |= journal.hasNext();
                maxQueued = Math.max(maxQueued, fold.queued());
            }
            if (middle == null && shipped >= total / 2) {
                long tailStarted = System.nanoTime();
                middle = tail(fold);
                tailNanos += System.nanoTime() - tailStarted;
            }
        }
        long foldNanos = System.nanoTime() - started - tailNanos;
        long tailStarted = System.nanoTime();
        String end = tail(fold);
        long endTailNanos = System.nanoTime() - tailStarted;
        for (JournalRecords journal : journals) {
            journal.close();
        }
        System.out.printf("%,d records folded in %.1f s: %,.0f records/s; at most %,d waited for another node%n",
                shipped, foldNanos / 1e9, shipped / (foldNanos / 1e9), maxQueued);
        System.out.printf("settled before the end: %,d intervals, %,d incidents%n", settled.intervals, settled.incidents);
        System.out.printf("tail in the middle: %s, %.0f ms%n", middle, tailNanos / 1e6);
        System.out.printf("tail at the end: %s, %.0f ms%n", end, endTailNanos / 1e6);
        System.out.println("max RSS " + maxRssMib() + " MiB");
    }

    private static String tail(IncidentFold fold) {
        Counted tail = new Counted();
        fold.tail(tail);
        return String.format("%,d intervals and %,d incidents not settled", tail.intervals, tail.incidents);
    }

    private static long maxRssMib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }
}
