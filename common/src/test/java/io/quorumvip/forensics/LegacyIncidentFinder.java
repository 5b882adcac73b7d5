package io.quorumvip.forensics;

import io.quorumvip.events.Event;
import io.quorumvip.events.EventRecord;
import io.quorumvip.events.EventType;
import io.quorumvip.ownership.RoleInput;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
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
 * The incident finder as it was before issue 15 (quadratic: a scan of every record per incident, pair loops), kept
 * unchanged as the reference the equivalence test compares the streaming finder with. Test code only.
 */
final class LegacyIncidentFinder {

    private static final int CAUSES_BEFORE = 8;
    private static final int CAUSES_DURING = 24;
    private static final Set<EventType> NODE_WIDE = Set.of(EventType.AGENT_STARTED, EventType.AGENT_STOPPED,
            EventType.TRACKER_RESULT_CHANGED);

    private final List<EventRecord> merged;
    private final List<Interval> intervals;
    private final ForensicsSettings settings;
    private final long endOfJournals;

    LegacyIncidentFinder(List<EventRecord> merged, List<Interval> intervals, ForensicsSettings settings) {
        this.merged = merged;
        this.intervals = intervals;
        this.settings = settings;
        this.endOfJournals = merged.stream().mapToLong(MergedJournals::timeMicros).max().orElse(0);
    }

    /** The whole analysis as it was: merge with a string key per record and a full sort, fold, find, window. */
    static List<Incident> analyze(Collection<? extends Collection<EventRecord>> journals, ForensicsSettings settings) {
        List<EventRecord> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Collection<EventRecord> journal : journals) {
            for (EventRecord record : journal) {
                if (seen.add(record.node() + "\u0000" + record.seq())) {
                    all.add(record);
                }
            }
        }
        all.sort(MergedJournals.ORDER);
        List<Incident> incidents = new LegacyIncidentFinder(all, LegacyIntervalFolder.fold(all), settings).find();
        return incidents.stream()
                .filter(i -> i.endMicros() >= settings.fromMicros() && i.startMicros() <= settings.toMicros())
                .toList();
    }

    List<Incident> find() {
        List<Incident> incidents = new ArrayList<>();
        List<Incident> dualOwnership = dualOwnership();
        incidents.addAll(dualOwnership);
        incidents.addAll(dualMaster(dualOwnership));
        incidents.addAll(leaseVrrpDisagreement());
        incidents.addAll(noOwner());
        incidents.addAll(configDisagreement());
        incidents.sort(Comparator.comparingLong(Incident::startMicros).thenComparing(Incident::kind));
        return incidents;
    }

    private List<Incident> dualOwnership() {
        List<Incident> found = new ArrayList<>();
        Map<String, List<Interval>> byAddress = group(IntervalKind.VIP, Interval::subject);
        byAddress.forEach((address, held) -> forEachPair(held, (a, b) -> {
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

    private List<Incident> dualMaster(List<Incident> dualOwnership) {
        List<Incident> found = new ArrayList<>();
        Map<String, List<Interval>> byVrid = group(IntervalKind.ROLE,
                i -> i.vrid() != 0 ? "vrid " + i.vrid() : "instance " + i.instance());
        byVrid.forEach((key, roles) -> forEachPair(
                roles.stream().filter(i -> i.subject().equals(RoleInput.MASTER.name())).toList(), (a, b) -> {
                    OverlapBounds.Bounds bounds = OverlapBounds.of(a, b, settings.uncertaintyBetween(a.node(), b.node()));
                    if (bounds.min() <= 0) {
                        return;
                    }
                    long start = Math.max(a.startMicros(), b.startMicros());
                    long end = Math.min(a.endMaxMicros(), b.endMaxMicros());
                    String ownership = ownershipDuring(a, b, start, end, dualOwnership);
                    String summary = a.node() + " and " + b.node() + " both VRRP MASTER for VRID " + a.vrid() + " ("
                            + a.instance() + "): the heartbeat path was split; " + ownership;
                    found.add(incident(IncidentKind.DUAL_MASTER, start, end, bounds, List.of(a, b), a.instance(), "",
                            summary, List.of()));
                }));
        return found;
    }

    /** Whether ownership stayed single while both were MASTER: who had which address bound. */
    private String ownershipDuring(Interval a, Interval b, long start, long end, List<Incident> dualOwnership) {
        Set<String> pair = Set.of(a.node(), b.node());
        boolean split = dualOwnership.stream().anyMatch(d -> pair.containsAll(d.nodes())
                && d.startMicros() <= end && d.endMicros() >= start);
        if (split) {
            return "ownership split: both had the address bound (see DUAL_OWNERSHIP)";
        }
        Set<String> owners = new TreeSet<>();
        for (Interval vip : intervals) {
            if (vip.kind() == IntervalKind.VIP && pair.contains(vip.node())
                    && (vip.instance().equals(a.instance()) || vip.instance().equals(b.instance()))
                    && vip.startMicros() < end && vip.endMaxMicros() > start) {
                owners.add(vip.node() + " (" + vip.subject() + ")");
            }
        }
        return owners.isEmpty() ? "ownership stayed single: nobody had an address bound"
                : "ownership stayed single: " + String.join(", ", owners);
    }

    private List<Incident> leaseVrrpDisagreement() {
        Map<String, List<long[]>> quorum = quorumRuns();
        List<Incident> found = new ArrayList<>();
        Map<String, List<Interval>> roles = group(IntervalKind.ROLE, i -> i.node() + "|" + i.instance());
        Map<String, List<Interval>> leases = group(IntervalKind.LEASE, i -> i.node() + "|" + i.instance());
        Set<String> keys = new TreeSet<>(roles.keySet());
        keys.addAll(leases.keySet());
        for (String key : keys) {
            List<Interval> masters = roles.getOrDefault(key, List.of()).stream()
                    .filter(i -> i.subject().equals(RoleInput.MASTER.name())).toList();
            List<Interval> held = leases.getOrDefault(key, List.of());
            for (Interval lease : held) {
                for (long[] piece : subtract(lease, masters)) {
                    disagreement(found, lease, piece, "held lease epoch " + lease.subject() + " while not VRRP MASTER");
                }
            }
            List<long[]> runs = quorum.getOrDefault(key, List.of());
            for (Interval master : masters) {
                for (long[] run : runs) {
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

    private void disagreement(List<Incident> found, Interval interval, long[] piece, String what) {
        long length = piece[1] - piece[0];
        if (length <= settings.leaseGraceMicros()) {
            return;
        }
        String summary = interval.node() + " " + what + " for " + Times.duration(length) + " (" + interval.instance()
                + ", grace " + Times.duration(settings.leaseGraceMicros()) + ")";
        found.add(incident(IncidentKind.LEASE_VRRP_DISAGREEMENT, piece[0], piece[1],
                new OverlapBounds.Bounds(length, length), List.of(interval), interval.instance(), "", summary, List.of()));
    }

    /** The parts of {@code whole} (to its earliest end) that none of {@code cuts} covers. */
    private static List<long[]> subtract(Interval whole, List<Interval> cuts) {
        List<long[]> pieces = new ArrayList<>();
        long from = whole.startMicros();
        List<Interval> sorted = cuts.stream().sorted(Comparator.comparingLong(Interval::startMicros)).toList();
        for (Interval cut : sorted) {
            if (cut.endMinMicros() <= from || cut.startMicros() >= whole.endMinMicros()) {
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

    private List<Incident> noOwner() {
        List<Incident> found = new ArrayList<>();
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
                    String summary = IncidentSweep.noOwnerSummary(address, cover.node(), next.node());
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
    private void trailingGap(List<Incident> found, String address, Interval last, long coverEnd, long coverEndMax) {
        if (coverEnd >= endOfJournals || last.endReason() == EndReason.OPEN) {
            return;
        }
        Map<String, EventRecord> lastRecords = new TreeMap<>();
        merged.forEach(r -> lastRecords.put(r.node(), r));
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

    private List<Incident> configDisagreement() {
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
        List<Incident> found = new ArrayList<>();
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
            found.add(new Incident(IncidentKind.CONFIG_DISAGREEMENT, start, endOfJournals,
                    Math.max(0, length - settings.clockUncertaintyMicros()), length + settings.clockUncertaintyMicros(),
                    List.copyOf(configs.keySet()), String.join(",", instances), 0, "", summary, causes, notes));
        });
        return found;
    }

    private Incident incident(IncidentKind kind, long start, long end, OverlapBounds.Bounds bounds,
                              List<Interval> involved, String instance, String address, String summary,
                              List<String> extraNotes) {
        return incident(kind, start, end, bounds, involved, List.of(), instance, address, summary, extraNotes);
    }

    private Incident incident(IncidentKind kind, long start, long end, OverlapBounds.Bounds bounds,
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
            notes.add("times of different nodes compared within ±" + Times.duration(settings.clockUncertaintyMicros())
                    + " (clock uncertainty)");
        }
        int vrid = involved.stream().mapToInt(Interval::vrid).filter(v -> v != 0).findFirst().orElse(0);
        return new Incident(kind, start, Math.max(start, end), bounds.min(), bounds.max(), List.copyOf(nodes), instance,
                vrid, address, summary, causes(nodes, instance, start, Math.max(start, end), edges), notes);
    }

    /** The events of the nodes involved about the instance, leading in (a look-back) and through the incident. */
    private List<CauseStep> causes(Set<String> nodes, String instance, long start, long end, List<EventRecord> edges) {
        List<EventRecord> before = new ArrayList<>();
        List<EventRecord> during = new ArrayList<>();
        for (EventRecord record : merged) {
            long t = MergedJournals.timeMicros(record);
            if (!nodes.contains(record.node()) || t < start - settings.causeLookbackMicros() || t > end
                    || !relevant(record, instance)) {
                continue;
            }
            if (t < start) {
                before.add(record);
            } else if (during.size() < CAUSES_DURING) {
                during.add(record);
            }
        }
        Set<EventRecord> chosen = new HashSet<>(before.subList(Math.max(0, before.size() - CAUSES_BEFORE), before.size()));
        chosen.addAll(during);
        chosen.addAll(edges);
        return chosen.stream().sorted(MergedJournals.ORDER).map(EventText::step).toList();
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

    private static void forEachPair(List<Interval> list, BiConsumer<Interval, Interval> action) {
        for (int i = 0; i < list.size(); i++) {
            for (int j = i + 1; j < list.size(); j++) {
                if (!list.get(i).node().equals(list.get(j).node())) {
                    action.accept(list.get(i), list.get(j));
                }
            }
        }
    }
}
