package io.quorumvip.forensics;

import io.quorumvip.events.EventRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Split-brain forensics over the journals of all nodes. Pure: the caller reads the journals; every time comes from
 * the records. See docs/forensics.md.
 */
public final class Forensics {

    /** The report's order of incidents: by start, then kind, then what they are about. */
    static final Comparator<Incident> INCIDENT_ORDER = Comparator.comparingLong(Incident::startMicros)
            .thenComparing(Incident::kind)
            .thenComparing(Incident::address)
            .thenComparing(Incident::instance)
            .thenComparing(i -> String.join(",", i.nodes()))
            .thenComparingLong(Incident::endMicros)
            .thenComparingLong(Incident::minDurationMicros)
            .thenComparingLong(Incident::maxDurationMicros)
            .thenComparing(Incident::summary);

    private Forensics() {
    }

    /** Receives a streamed analysis: intervals and incidents in the window, each once it is final. */
    public interface Listener {
        void interval(Interval interval);

        /** An incident with its chain of causes, once every record of its window was read. */
        void incident(Incident incident);
    }

    /**
     * What a streamed analysis learnt about the whole input, known at its end.
     *
     * @param settings    the clock bound, grace and window used
     * @param nodes       the nodes whose records were read, sorted
     * @param firstMicros the earliest record's time (µs since 1970)
     * @param lastMicros  the latest record's time: "the end of the journals"
     * @param vips        per address, who owned it in the window
     * @param notes       what the reader should know about the input (clocks that stepped back, empty input)
     * @param splitBrain  whether a DUAL_OWNERSHIP incident was in the window
     */
    public record Summary(ForensicsSettings settings, List<String> nodes, long firstMicros, long lastMicros,
                          List<VipSummary> vips, List<String> notes, boolean splitBrain) {
    }

    /**
     * Merges the journals (one collection per node, or one merged collection; duplicates are dropped), folds them
     * into intervals and finds the incidents, all held in memory (the coordinator's, the timeline's).
     */
    public static ForensicsReport analyze(Collection<? extends Collection<EventRecord>> journals, ForensicsSettings settings) {
        List<EventRecord> merged = MergedJournals.merge(journals);
        List<IncidentSweep.Found> found = new ArrayList<>();
        List<Interval> intervals = new ArrayList<>();
        IncidentSweep sweep = new IncidentSweep(settings, true, new IncidentSweep.Output() {
            @Override
            public void interval(Interval interval) {
                intervals.add(interval);
            }

            @Override
            public void incident(IncidentSweep.Found incident) {
                found.add(incident);
            }
        });
        merged.forEach(sweep::accept);
        IncidentSweep.Outcome outcome = sweep.finish();
        found.sort(Comparator.comparing(IncidentSweep.Found::incident, INCIDENT_ORDER));
        intervals.sort(Comparator.comparingLong(Interval::startMicros).thenComparing(Interval::node)
                .thenComparing(Interval::kind).thenComparing(Interval::instance).thenComparing(Interval::subject));
        return new ForensicsReport(settings, outcome.nodes(), outcome.firstMicros(), outcome.lastMicros(),
                new IncidentList(found, sweep), outcome.vips(), intervals, outcome.notes());
    }

    /**
     * The same analysis over journals read as they go, in bounded memory: each input in merge order already (a
     * node's journal is; one out of order is an {@link IllegalArgumentException}), named for errors. Intervals and
     * incidents go to {@code listener} as they become final, incidents in the order their ends became known (not
     * by start), each with its chain of causes from the records of a bounded window (see {@link IncidentSweep}).
     */
    public static Summary stream(List<Iterator<EventRecord>> journals, List<String> names, ForensicsSettings settings,
                                 Listener listener) {
        IncidentSweep sweep = streamingSweep(settings, listener);
        MergedJournals.merge(journals, names, sweep::accept);
        return summary(settings, sweep.finish());
    }

    static Summary summary(ForensicsSettings settings, IncidentSweep.Outcome outcome) {
        return new Summary(settings, outcome.nodes(), outcome.firstMicros(), outcome.lastMicros(), outcome.vips(),
                outcome.notes(), outcome.splitBrain());
    }

    /** The sweep of a streamed analysis: records kept for a bounded window, each incident out with its chain. */
    static IncidentSweep streamingSweep(ForensicsSettings settings, Listener listener) {
        IncidentSweep[] sweep = new IncidentSweep[1];
        sweep[0] = new IncidentSweep(settings, false, output(listener, () -> sweep[0]));
        return sweep[0];
    }

    /** Hands a sweep's results to {@code listener}, each incident with its chain from that sweep's records. */
    static IncidentSweep.Output output(Listener listener, Supplier<IncidentSweep> sweep) {
        return new IncidentSweep.Output() {
            @Override
            public void interval(Interval interval) {
                listener.interval(interval);
            }

            @Override
            public void incident(IncidentSweep.Found incident) {
                listener.incident(sweep.get().withCauses(incident));
            }
        };
    }
}
