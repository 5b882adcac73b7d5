package io.quorumvip.forensics;

import io.quorumvip.events.Event;
import io.quorumvip.events.EventRecord;
import io.quorumvip.events.EventType;
import io.quorumvip.events.HybridLogicalClock;
import io.quorumvip.ownership.RoleInput;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Finds the incidents in folded intervals; see {@link IncidentKind} and docs/forensics.md for each rule.
 *
 * <p>In O(n log n): overlapping pairs by one sweep over intervals sorted by start (not every pair), the pieces not
 * covered by an interval list from a binary search on its running end (not a scan and sort per piece), each chain of
 * causes from a binary search on the merged records' HLC milliseconds, which never decrease in merge order (not a
 * scan of every record per incident). Chains are built only when an incident is read (see {@link Found}).
 */
final class IncidentFinder {

    private static final int CAUSES_BEFORE = 8;
    private static final int CAUSES_DURING = 24;
    private static final Set<EventType> NODE_WIDE = Set.of(EventType.AGENT_STARTED, EventType.AGENT_STOPPED,
            EventType.TRACKER_RESULT_CHANGED);

    private final List<EventRecord> merged;
    private final List<Interval> intervals;
    private final ForensicsSettings settings;
    private final long endOfJournals;
    /** The most a record's time runs ahead of its HLC milliseconds: bounds where a time can sit in merge order. */
    private final long timeLeadMicros;
    private final Map<String, EventRecord> lastRecords = new TreeMap<>();
    private final RangeIndex<Interval> vips;
    /** One string for every incident between nodes (hundreds of thousands in years of history). */
    private final String clockNote;

    /** {@code merged} in {@link MergedJournals#ORDER}; {@code intervals} sorted by start, as the folder returns them. */
    IncidentFinder(List<EventRecord> merged, List<Interval> intervals, ForensicsSettings settings) {
        this.merged = merged;
        this.intervals = intervals;
        this.settings = settings;
        long end = 0;
        long lead = 0;
        for (EventRecord record : merged) {
            long t = MergedJournals.timeMicros(record);
            end = Math.max(end, t);
            lead = Math.max(lead, t - hlcMicros(record));
            lastRecords.put(record.node(), record);
        }
        this.endOfJournals = end;
        this.clockNote = "times of different nodes compared within ±" + Times.duration(settings.clockUncertaintyMicros())
                + " (clock uncertainty)";
        this.timeLeadMicros = lead;
        this.vips = new RangeIndex<>(intervals.stream().filter(i -> i.kind() == IntervalKind.VIP).toList(),
                Interval::startMicros, Interval::endMaxMicros);
    }

    /**
     * An incident as found, without its chain of causes: {@link #withCauses} builds that when the incident is read,
     * so that a report of years of history holds only these skeletons.
     *
     * @param incident the incident; its causes are empty unless {@code edges} is null (they were known when found)
     * @param edges    the records that opened and closed the intervals involved, always in the chain
     */
    record Found(Incident incident, List<EventRecord> edges) {
    }

    /** The incident with its chain of causes. */
    Incident withCauses(Found found) {
        Cancellation.check();
        Incident i = found.incident();
        if (found.edges() == null) {
            return i;
        }
        return new Incident(i.kind(), i.startMicros(), i.endMicros(), i.minDurationMicros(), i.maxDurationMicros(),
                i.nodes(), i.instance(), i.vrid(), i.address(), i.summary(),
                causes(i.nodes(), i.instance(), i.startMicros(), i.endMicros(), found.edges()), i.notes());
    }

    List<Found> find() {
        List<Found> incidents = new ArrayList<>();
        List<Found> dualOwnership = dualOwnership();
        incidents.addAll(dualOwnership);
        incidents.addAll(dualMaster(dualOwnership));
        Cancellation.check();
        incidents.addAll(leaseVrrpDisagreement());
        Cancellation.check();
        incidents.addAll(noOwner());
        incidents.addAll(configDisagreement());
        incidents.addAll(PoolIncidents.find(merged, settings, endOfJournals));
        incidents.sort(Comparator.comparingLong((Found f) -> f.incident().startMicros())
                .thenComparing(f -> f.incident().kind()));
        return incidents;
    }

    private List<Found> dualOwnership() {
        List<Found> found = new ArrayList<>();
        Map<String, List<Interval>> byAddress = group(IntervalKind.VIP, Interval::subject);
        byAddress.forEach((address, held) -> forEachOverlappingPair(held, (a, b) -> {
            OverlapBounds.Bounds bounds = OverlapBounds.of(a, b, settings.uncertaintyBetween(a.node(), b.node()));
            if (bounds.min() <= 0) {
                return;
            }
            long start = Math.max(a.startMicros(), b.startMicros());
            long end = Math.min(a.endMaxMicros(), b.endMaxMicros());
            String summary = a.node() + " and " + b.node() + " both had " + address + " bound: split brain"
                    + (a.lifetimeSeconds() == 0 || b.lifetimeSeconds() == 0
                    ? " (an address bound without a kernel lifetime: an agent without a quorum block?)" : "");
            found.add(incident(IncidentKind.DUAL_OWNERSHIP, start, end, bounds, List.of(a, b), a.instance(), address,
                    summary, List.of()));
        }));
        return found;
    }

    private List<Found> dualMaster(List<Found> dualOwnership) {
        List<Found> found = new ArrayList<>();
        Map<String, List<Interval>> byVrid = group(IntervalKind.ROLE,
                i -> i.vrid() != 0 ? "vrid " + i.vrid() : "instance " + i.instance());
        List<Incident> byStart = dualOwnership.stream().map(Found::incident)
                .sorted(Comparator.comparingLong(Incident::startMicros)).toList();
        RangeIndex<Incident> splits = new RangeIndex<>(byStart, Incident::startMicros, Incident::endMicros);
        byVrid.forEach((key, roles) -> forEachOverlappingPair(
                roles.stream().filter(i -> i.subject().equals(RoleInput.MASTER.name())).toList(), (a, b) -> {
                    OverlapBounds.Bounds bounds = OverlapBounds.of(a, b, settings.uncertaintyBetween(a.node(), b.node()));
                    if (bounds.min() <= 0) {
                        return;
                    }
                    long start = Math.max(a.startMicros(), b.startMicros());
                    long end = Math.min(a.endMaxMicros(), b.endMaxMicros());
                    String ownership = ownershipDuring(a, b, start, end, splits);
                    String summary = a.node() + " and " + b.node() + " both VRRP MASTER for VRID " + a.vrid() + " ("
                            + a.instance() + "): the heartbeat path was split; " + ownership;
                    found.add(incident(IncidentKind.DUAL_MASTER, start, end, bounds, List.of(a, b), a.instance(), "",
                            summary, List.of()));
                }));
        return found;
    }

    /** Whether ownership stayed single while both were MASTER: who had which address bound. */
    private String ownershipDuring(Interval a, Interval b, long start, long end, RangeIndex<Incident> dualOwnership) {
        Set<String> pair = Set.of(a.node(), b.node());
        boolean[] split = {false};
        dualOwnership.forEachTouching(start, end, d -> {
            split[0] = pair.containsAll(d.nodes()) && d.startMicros() <= end && d.endMicros() >= start;
            return !split[0];
        });
        if (split[0]) {
            return "ownership split: both had the address bound (see DUAL_OWNERSHIP)";
        }
        Set<String> owners = new TreeSet<>();
        vips.forEachTouching(start, end, vip -> {
            if (pair.contains(vip.node())
                    && (vip.instance().equals(a.instance()) || vip.instance().equals(b.instance()))
                    && vip.startMicros() < end && vip.endMaxMicros() > start) {
                owners.add(vip.node() + " (" + vip.subject() + ")");
            }
            return true;
        });
        return owners.isEmpty() ? "ownership stayed single: nobody had an address bound"
                : "ownership stayed single: " + String.join(", ", owners);
    }

    private List<Found> leaseVrrpDisagreement() {
        Map<String, List<long[]>> quorum = quorumRuns();
        List<Found> found = new ArrayList<>();
        Map<String, List<Interval>> roles = group(IntervalKind.ROLE, i -> i.node() + "|" + i.instance());
        Map<String, List<Interval>> leases = group(IntervalKind.LEASE, i -> i.node() + "|" + i.instance());
        Set<String> keys = new TreeSet<>(roles.keySet());
        keys.addAll(leases.keySet());
        for (String key : keys) {
            List<Interval> masterList = roles.getOrDefault(key, List.of()).stream()
                    .filter(i -> i.subject().equals(RoleInput.MASTER.name())).toList();
            RangeIndex<Interval> masters = byStart(masterList);
            List<Interval> heldList = leases.getOrDefault(key, List.of());
            RangeIndex<Interval> held = byStart(heldList);
            for (Interval lease : heldList) {
                for (long[] piece : subtract(lease, masters)) {
                    disagreement(found, lease, piece, "held lease epoch " + lease.subject() + " while not VRRP MASTER");
                }
            }
            RangeIndex<long[]> runs = new RangeIndex<>(quorum.getOrDefault(key, List.of()), r -> r[0], r -> r[1]);
            for (Interval master : masterList) {
                for (int r = runs.firstReachingPast(master.startMicros());
                     r < runs.size() && !runs.startsFrom(r, master.endMinMicros()); r++) {
                    long[] run = runs.get(r);
                    long from = Math.max(master.startMicros(), run[0]);
                    long to = Math.min(master.endMinMicros(), run[1]);
                    if (from >= to) {
                        continue;
                    }
                    Interval during = new Interval(master.kind(), master.node(), master.instance(), master.vrid(),
                            master.subject(), master.lifetimeSeconds(), from, to, to, master.endReason(),
                            master.opening(), master.closing());
                    for (long[] piece : subtract(during, held)) {
                        disagreement(found, master, piece, "VRRP MASTER without the lease");
                    }
                }
            }
        }
        return found;
    }

    private void disagreement(List<Found> found, Interval interval, long[] piece, String what) {
        long length = piece[1] - piece[0];
        if (length <= settings.leaseGraceMicros()) {
            return;
        }
        String summary = interval.node() + " " + what + " for " + Times.duration(length) + " (" + interval.instance()
                + ", grace " + Times.duration(settings.leaseGraceMicros()) + ")";
        found.add(incident(IncidentKind.LEASE_VRRP_DISAGREEMENT, piece[0], piece[1],
                new OverlapBounds.Bounds(length, length), List.of(interval), interval.instance(), "", summary, List.of()));
    }

    /** Intervals sorted by start (stable), indexed by their earliest end. */
    private static RangeIndex<Interval> byStart(List<Interval> list) {
        return new RangeIndex<>(list.stream().sorted(Comparator.comparingLong(Interval::startMicros)).toList(),
                Interval::startMicros, Interval::endMinMicros);
    }

    /**
     * The parts of {@code whole} (to its earliest end) that none of {@code cuts} covers: from the first cut that
     * reaches past its start, up to the first that starts after its end.
     */
    private static List<long[]> subtract(Interval whole, RangeIndex<Interval> cuts) {
        List<long[]> pieces = new ArrayList<>();
        long from = whole.startMicros();
        for (int c = cuts.firstReachingPast(from); c < cuts.size() && !cuts.startsFrom(c, whole.endMinMicros()); c++) {
            Interval cut = cuts.get(c);
            if (cut.endMinMicros() <= from) {
                continue;
            }
            if (cut.startMicros() > from) {
                pieces.add(new long[] {from, cut.startMicros()});
            }
            from = Math.max(from, cut.endMinMicros());
        }
        if (from < whole.endMinMicros()) {
            pieces.add(new long[] {from, whole.endMinMicros()});
        }
        return pieces;
    }

    /**
     * Per node|instance, the stretches of time its agent ran with a quorum block: from the agent's start (or the
     * journal's first record) to its next start or the journal's end, for runs that contended for a lease or said
     * so when deciding. A node that ran without a quorum block has no lease to disagree with.
     */
    private Map<String, List<long[]>> quorumRuns() {
        Map<String, Long> runStart = new HashMap<>();
        Map<String, Set<String>> quorumInstancesOfRun = new HashMap<>();
        Map<String, List<long[]>> runs = new HashMap<>();
        BiConsumer<String, Long> closeRun = (node, at) -> {
            for (String instance : quorumInstancesOfRun.getOrDefault(node, Set.of())) {
                long from = runStart.getOrDefault(node, 0L);
                runs.computeIfAbsent(node + "|" + instance, k -> new ArrayList<>()).add(new long[] {from, at});
            }
            quorumInstancesOfRun.remove(node);
        };
        for (EventRecord record : merged) {
            Event event = record.event();
            long at = MergedJournals.timeMicros(record);
            runStart.putIfAbsent(record.node(), at);
            if (event instanceof Event.AgentStarted) {
                closeRun.accept(record.node(), at);
                runStart.put(record.node(), at);
            } else if (event instanceof Event.LeaseRequested requested) {
                quorumInstancesOfRun.computeIfAbsent(record.node(), n -> new HashSet<>()).add(requested.instance());
            } else if (event instanceof Event.OwnershipDecided decided && decided.inputs().quorumConfigured()) {
                quorumInstancesOfRun.computeIfAbsent(record.node(), n -> new HashSet<>()).add(decided.instance());
            }
        }
        for (String node : new ArrayList<>(quorumInstancesOfRun.keySet())) {
            closeRun.accept(node, endOfJournals);
        }
        return runs;
    }

    private List<Found> noOwner() {
        List<Found> found = new ArrayList<>();
        Map<String, List<Interval>> byAddress = group(IntervalKind.VIP, Interval::subject);
        byAddress.forEach((address, held) -> {
            List<Interval> sorted = held.stream().sorted(Comparator.comparingLong(Interval::startMicros)).toList();
            Interval cover = sorted.get(0);
            long coverEnd = cover.endMinMicros();
            long coverEndMax = cover.endMaxMicros();
            for (Interval next : sorted.subList(1, sorted.size())) {
                if (next.startMicros() > coverEnd) {
                    long epsilon = settings.uncertaintyBetween(cover.node(), next.node());
                    long min = Math.max(0, next.startMicros() - coverEndMax - epsilon);
                    long max = next.startMicros() - coverEnd + epsilon;
                    String summary = "nobody had " + address + " bound between " + cover.node() + " and " + next.node();
                    found.add(incident(IncidentKind.NO_OWNER, coverEnd, next.startMicros(),
                            new OverlapBounds.Bounds(min, max), List.of(cover, next), next.instance(), address, summary,
                            List.of()));
                }
                if (next.endMinMicros() >= coverEnd) {
                    cover = next;
                }
                coverEnd = Math.max(coverEnd, next.endMinMicros());
                coverEndMax = Math.max(coverEndMax, next.endMaxMicros());
            }
            trailingGap(found, address, cover, coverEnd, coverEndMax);
        });
        return found;
    }

    /**
     * After the last holding: an outage only while some node that runs the instance is still up (a cluster that
     * was stopped on purpose is not one), and only when the last holding is known to have ended: a holder whose
     * journal simply ends earlier than another's (it is running and had nothing to record, or its records have not
     * been shipped yet) may hold it still, so the open end is not evidence of an outage.
     */
    private void trailingGap(List<Found> found, String address, Interval last, long coverEnd, long coverEndMax) {
        if (coverEnd >= endOfJournals || last.endReason() == EndReason.OPEN) {
            return;
        }
        List<String> running = intervals.stream()
                .filter(i -> i.kind() == IntervalKind.ROLE && i.instance().equals(last.instance()))
                .map(Interval::node).distinct()
                .filter(n -> !(lastRecords.get(n).event() instanceof Event.AgentStopped)
                        && MergedJournals.timeMicros(lastRecords.get(n)) > coverEnd)
                .sorted().toList();
        if (running.isEmpty()) {
            return;
        }
        long min = Math.max(0, endOfJournals - coverEndMax - settings.clockUncertaintyMicros());
        long max = endOfJournals - coverEnd + settings.clockUncertaintyMicros();
        String summary = "nobody had " + address + " bound after " + last.node() + " until the end of the journals, while "
                + String.join(", ", running) + " ran " + last.instance();
        found.add(incident(IncidentKind.NO_OWNER, coverEnd, endOfJournals, new OverlapBounds.Bounds(min, max),
                List.of(last), running, last.instance(), address, summary,
                List.of("open: no node bound it again before the journals end")));
    }

    private List<Found> configDisagreement() {
        Map<String, EventRecord> lastConfig = new TreeMap<>();
        for (EventRecord record : merged) {
            if (record.event() instanceof Event.ConfigLoaded) {
                lastConfig.put(record.node(), record);
            }
        }
        Map<String, Map<String, EventRecord>> byInstance = new TreeMap<>();
        for (Interval role : intervals) {
            EventRecord config = lastConfig.get(role.node());
            if (role.kind() == IntervalKind.ROLE && config != null) {
                byInstance.computeIfAbsent(role.instance(), k -> new TreeMap<>()).put(role.node(), config);
            }
        }
        Map<Map<String, EventRecord>, List<String>> groups = new LinkedHashMap<>();
        byInstance.forEach((instance, configs) -> {
            long hashes = configs.values().stream().map(r -> ((Event.ConfigLoaded) r.event()).sha256()).distinct().count();
            if (hashes > 1) {
                groups.computeIfAbsent(configs, k -> new ArrayList<>()).add(instance);
            }
        });
        List<Found> found = new ArrayList<>();
        groups.forEach((configs, instances) -> {
            long start = configs.values().stream().mapToLong(MergedJournals::timeMicros).max().orElse(endOfJournals);
            long length = Math.max(0, endOfJournals - start);
            String files = configs.entrySet().stream().map(e -> {
                var loaded = (Event.ConfigLoaded) e.getValue().event();
                return e.getKey() + " " + loaded.path() + " sha256 " + loaded.sha256().toHex().substring(0, 12) + "…";
            }).collect(Collectors.joining("; "));
            String summary = String.join(", ", configs.keySet()) + " run " + String.join(", ", instances)
                    + " with different configuration files (" + files + ")";
            List<String> notes = List.of("the journal carries only each file's path and hash: run `qvip lint FILE...` on "
                    + "these files for the cross-node checks (VRID, addresses, authentication, advert interval); "
                    + "different priorities alone also make the hashes differ");
            List<CauseStep> causes = configs.values().stream().sorted(MergedJournals.ORDER).map(EventText::step).toList();
            found.add(new Found(new Incident(IncidentKind.CONFIG_DISAGREEMENT, start, endOfJournals,
                    Math.max(0, length - settings.clockUncertaintyMicros()), length + settings.clockUncertaintyMicros(),
                    List.copyOf(configs.keySet()), String.join(",", instances), 0, "", summary, causes, notes), null));
        });
        return found;
    }

    private Found incident(IncidentKind kind, long start, long end, OverlapBounds.Bounds bounds,
                              List<Interval> involved, String instance, String address, String summary,
                              List<String> extraNotes) {
        return incident(kind, start, end, bounds, involved, List.of(), instance, address, summary, extraNotes);
    }

    private Found incident(IncidentKind kind, long start, long end, OverlapBounds.Bounds bounds,
                              List<Interval> involved, List<String> alsoInvolved, String instance, String address,
                              String summary, List<String> extraNotes) {
        Set<String> nodes = new TreeSet<>(alsoInvolved);
        List<EventRecord> edges = new ArrayList<>();
        List<String> notes = new ArrayList<>(extraNotes);
        for (Interval interval : involved) {
            nodes.add(interval.node());
            edges.add(interval.opening());
            interval.closing().ifPresent(edges::add);
            endNote(interval).filter(n -> !notes.contains(n)).ifPresent(notes::add);
        }
        if (nodes.size() > 1 && settings.clockUncertaintyMicros() > 0) {
            notes.add(clockNote);
        }
        int vrid = involved.stream().mapToInt(Interval::vrid).filter(v -> v != 0).findFirst().orElse(0);
        return new Found(new Incident(kind, start, Math.max(start, end), bounds.min(), bounds.max(), List.copyOf(nodes),
                instance, vrid, address, summary, List.of(), notes), List.copyOf(edges));
    }

    /** The events of the nodes involved about the instance, leading in (a look-back) and through the incident. */
    private List<CauseStep> causes(List<String> nodes, String instance, long start, long end, List<EventRecord> edges) {
        ArrayDeque<EventRecord> before = new ArrayDeque<>(CAUSES_BEFORE + 1);
        List<EventRecord> during = new ArrayList<>();
        long lookback = start - settings.causeLookbackMicros();
        // A record's time is within [HLC ms, HLC ms + lead], and HLC ms never decrease in merge order: records before
        // the first that can reach the look-back are too early; once a record's HLC ms pass the end, all are too late.
        for (int i = firstReaching(lookback - timeLeadMicros); i < merged.size(); i++) {
            EventRecord record = merged.get(i);
            long floor = hlcMicros(record);
            if (floor > end || (during.size() >= CAUSES_DURING && floor >= start)) {
                break;
            }
            long t = MergedJournals.timeMicros(record);
            if (!nodes.contains(record.node()) || t < lookback || t > end || !relevant(record, instance)) {
                continue;
            }
            if (t < start) {
                before.addLast(record);
                if (before.size() > CAUSES_BEFORE) {
                    before.removeFirst();
                }
            } else if (during.size() < CAUSES_DURING) {
                during.add(record);
            }
        }
        // By identity: every record here is an instance of the merged list, where no two are equal, and a
        // record's own hash code walks its whole event.
        Set<EventRecord> chosen = Collections.newSetFromMap(new IdentityHashMap<>());
        chosen.addAll(before);
        chosen.addAll(during);
        chosen.addAll(edges);
        return chosen.stream().sorted(MergedJournals.ORDER).map(EventText::step).toList();
    }

    /** The first merged record whose HLC milliseconds are at or after {@code micros}. */
    private int firstReaching(long micros) {
        int low = 0;
        int high = merged.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (hlcMicros(merged.get(mid)) >= micros) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }

    private static long hlcMicros(EventRecord record) {
        return HybridLogicalClock.physicalMillis(record.hlc()) * 1000;
    }

    private static boolean relevant(EventRecord record, String instance) {
        if (NODE_WIDE.contains(record.event().type())) {
            return true;
        }
        Optional<String> about = EventText.instanceOf(record.event());
        return about.isPresent() && about.get().equals(instance);
    }

    /** Says how an uncertain end was closed. */
    private static Optional<String> endNote(Interval interval) {
        String what = switch (interval.kind()) {
            case ROLE -> interval.instance() + " " + interval.subject();
            case LEASE -> interval.instance() + " lease epoch " + interval.subject();
            case VIP -> interval.subject();
        };
        String node = interval.node();
        String last = Times.instant(interval.endMinMicros());
        String latest = Times.instant(interval.endMaxMicros());
        return Optional.ofNullable(switch (interval.endReason()) {
            case RECORDED -> null;
            case RESTARTED -> node + " crashed after its record at " + last + " and restarted: its " + what
                    + " ended between then and " + latest;
            case TAKEN_OVER -> node + "'s journal ends at " + last + " (a crash leaves no record): its " + what
                    + " ended before another node took over at " + latest;
            case CLOSED_BY_LIFETIME -> node + "'s journal ends at " + last + " with " + what + " bound with a kernel lifetime of "
                    + interval.lifetimeSeconds() + " s: renewals are not journaled, but they need a confirmed lease, "
                    + "none after another node acquired the lease; so the kernel removed it by " + latest
                    + " (lease take-over + lifetime)";
            case EXPIRED -> node + "'s kernel removed " + what + " by itself when its lifetime ran out: the lifetime "
                    + "ended at " + last + " and the kernel removes within its slack, so it was gone by " + latest
                    + "; the agent (frozen or late) journaled the release only at "
                    + interval.closing().map(r -> Times.instant(MergedJournals.timeMicros(r))).orElse(latest);
            case OPEN -> node + "'s journal ends at " + last + " with " + what + " still held"
                    + (interval.kind() == IntervalKind.VIP && interval.lifetimeSeconds() == 0
                    ? " and no kernel lifetime: the kernel keeps it until removed; counted until the end of the journals "
                    : " and nothing bounds its end: counted until ") + latest;
        });
    }

    private Map<String, List<Interval>> group(IntervalKind kind, Function<Interval, String> key) {
        Map<String, List<Interval>> groups = new TreeMap<>();
        for (Interval interval : intervals) {
            if (interval.kind() == kind) {
                groups.computeIfAbsent(key.apply(interval), k -> new ArrayList<>()).add(interval);
            }
        }
        return groups;
    }

    /**
     * Each pair of intervals of two nodes whose stretches to their earliest ends overlap, in the order a pair loop
     * over the list would meet them, found by one sweep: {@code list} is sorted by start, so an interval ending at
     * or before a start overlaps nothing after it. Only such pairs can overlap for certain under any clock skew
     * within the bound (the overlap is concave in the skew, so it is positive at 0 when positive at ±ε).
     */
    private static void forEachOverlappingPair(List<Interval> list, BiConsumer<Interval, Interval> action) {
        List<int[]> pairs = new ArrayList<>();
        List<Integer> open = new ArrayList<>();
        for (int j = 0; j < list.size(); j++) {
            Interval b = list.get(j);
            open.removeIf(i -> list.get(i).endMinMicros() <= b.startMicros());
            for (int i : open) {
                if (!list.get(i).node().equals(b.node())) {
                    pairs.add(new int[] {i, j});
                }
            }
            open.add(j);
        }
        pairs.sort(Comparator.<int[]>comparingInt(p -> p[0]).thenComparingInt(p -> p[1]));
        pairs.forEach(p -> action.accept(list.get(p[0]), list.get(p[1])));
    }
}
