package io.quorumvip.forensics;

import io.quorumvip.events.EventRecord;
import io.quorumvip.events.HybridLogicalClock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Split-brain forensics over the journals of all nodes. Pure: the caller reads the journals; every time comes from
 * the records. See docs/forensics.md.
 */
public final class Forensics {

    private Forensics() {
    }

    /**
     * Merges the journals (one collection per node, or one merged collection; duplicates are dropped), folds them
     * into intervals and finds the incidents.
     */
    public static ForensicsReport analyze(Collection<? extends Collection<EventRecord>> journals, ForensicsSettings settings) {
        List<EventRecord> merged = MergedJournals.merge(journals);
        List<Interval> intervals = IntervalFolder.fold(merged);
        IncidentFinder finder = new IncidentFinder(merged, intervals, settings);
        IncidentList incidents = new IncidentList(finder.find().stream()
                .filter(f -> f.incident().endMicros() >= settings.fromMicros()
                        && f.incident().startMicros() <= settings.toMicros())
                .toList(), finder);
        long first = merged.stream().mapToLong(MergedJournals::timeMicros).min().orElse(0);
        long last = merged.stream().mapToLong(MergedJournals::timeMicros).max().orElse(0);
        List<String> nodes = merged.stream().map(EventRecord::node).distinct().sorted().toList();
        List<Interval> inWindow = intervals.stream()
                .filter(i -> i.endMaxMicros() >= settings.fromMicros() && i.startMicros() <= settings.toMicros())
                .toList();
        return new ForensicsReport(settings, nodes, first, last, incidents,
                summaries(intervals, incidents.skeletons(), settings, first, last), inWindow, notes(merged, settings));
    }

    private static List<VipSummary> summaries(List<Interval> intervals, List<Incident> incidents,
                                              ForensicsSettings settings, long first, long last) {
        long from = Math.max(first, settings.fromMicros());
        long to = Math.min(last, settings.toMicros());
        Map<String, Map<String, long[]>> byAddress = new TreeMap<>();
        Map<String, String> instances = new TreeMap<>();
        for (Interval vip : intervals) {
            if (vip.kind() != IntervalKind.VIP) {
                continue;
            }
            instances.putIfAbsent(vip.subject(), vip.instance());
            long[] share = byAddress.computeIfAbsent(vip.subject(), k -> new TreeMap<>())
                    .computeIfAbsent(vip.node(), k -> new long[2]);
            long clipped = Math.min(vip.endMinMicros(), to) - Math.max(vip.startMicros(), from);
            if (clipped > 0 || (vip.startMicros() >= from && vip.startMicros() <= to)) {
                share[0] += Math.max(0, clipped);
                share[1] += vip.startMicros() >= from && vip.startMicros() <= to ? 1 : 0;
            }
        }
        List<VipSummary> summaries = new ArrayList<>();
        byAddress.forEach((address, shares) -> {
            List<VipSummary.Owner> owners = new ArrayList<>();
            shares.forEach((node, share) -> owners.add(new VipSummary.Owner(node, share[0], (int) share[1])));
            summaries.add(new VipSummary(address, instances.get(address), owners,
                    count(incidents, IncidentKind.NO_OWNER, address), count(incidents, IncidentKind.DUAL_OWNERSHIP, address)));
        });
        return summaries;
    }

    private static int count(List<Incident> incidents, IncidentKind kind, String address) {
        return (int) incidents.stream().filter(i -> i.kind() == kind && i.address().equals(address)).count();
    }

    /**
     * What the records say about the clocks: a node whose HLC ran ahead of its wall clock had its wall clock step
     * back; its times follow the HLC, and a step larger than the clock bound makes the bound too small.
     */
    private static List<String> notes(List<EventRecord> merged, ForensicsSettings settings) {
        List<String> notes = new ArrayList<>();
        if (merged.isEmpty()) {
            notes.add("no records: nothing to analyse");
        }
        Map<String, Long> stepBack = new TreeMap<>();
        for (EventRecord record : merged) {
            long ahead = HybridLogicalClock.physicalMillis(record.hlc()) * 1000 - record.wallMicros();
            if (ahead >= 1000) {
                stepBack.merge(record.node(), ahead, Math::max);
            }
        }
        stepBack.forEach((node, micros) -> notes.add(node + "'s wall clock stepped back by up to "
                + Times.duration(micros) + " (its HLC ran ahead): its times follow the HLC"
                + (micros > settings.clockUncertaintyMicros()
                ? "; that is more than the clock bound of " + Times.duration(settings.clockUncertaintyMicros())
                + ", so raise --clock-uncertainty" : "")));
        return notes;
    }
}
