package io.quorumvip.forensics;

import io.quorumvip.events.Event;
import io.quorumvip.events.EventRecord;
import io.quorumvip.events.EventType;
import io.quorumvip.events.HybridLogicalClock;
import io.quorumvip.ownership.RoleInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * Finds the incidents (see {@link IncidentKind} and docs/forensics.md for each rule) in one sweep over the merged
 * records, holding only what can still matter: intervals not final yet, final ones that an interval still to come
 * may overlap, and the records of a bounded time window for chains of causes.
 *
 * <p>Records come in {@link MergedJournals#ORDER}; their HLC milliseconds never decrease, and a record's time is at or
 * after them: the <em>floor</em>, the last record's HLC milliseconds, is a time before which nothing new can start.
 * Each rule waits until what it compares is final and then never looks back further than it must:
 * <ul>
 *   <li>pairs (DUAL_OWNERSHIP per address, DUAL_MASTER per VRID): when an interval is final it is compared with the
 *       final ones of its key kept so far; a final one is kept while an interval not final yet, or one still to
 *       come, may overlap it;</li>
 *   <li>gaps (NO_OWNER): an address's final holdings are released in order of start once nothing earlier can come;</li>
 *   <li>LEASE_VRRP_DISAGREEMENT: a lease once the MASTER intervals of its node and instance that it may meet are
 *       final, a MASTER interval once the leases and quorum runs it may meet are;</li>
 *   <li>a DUAL_MASTER's "ownership stayed single" once the addresses of its two nodes during it are final.</li>
 * </ul>
 * An incident goes out once the floor passed its end (every record of its window has been read), with its chain of
 * causes from the records kept: those of the last {@link #CHAIN_WINDOW_MICROS} beyond the look-back. An incident
 * settled later than that after it began (a holding left open by a crash and bounded only at the end) gets the part
 * of its chain still held and a note saying so. {@link Forensics#analyze} keeps every record instead.
 */
final class IncidentSweep {

    /** How far behind the floor, beyond the causes' look-back, records are kept for chains of causes. */
    static final long CHAIN_WINDOW_MICROS = 10 * 60 * 1_000_000L;
    private static final int CAUSES_BEFORE = 8;
    private static final int CAUSES_DURING = 24;
    /** Records between two passes of the rules over what became final. */
    private static final int ADVANCE_EVERY = 256;
    private static final Set<EventType> NODE_WIDE = Set.of(EventType.AGENT_STARTED, EventType.AGENT_STOPPED,
            EventType.TRACKER_RESULT_CHANGED);
    private static final Comparator<Interval> BY_START_NODE = Comparator.comparingLong(Interval::startMicros)
            .thenComparing(Interval::node);

    /**
     * An incident as found, without its chain of causes: {@link #withCauses} builds that.
     *
     * @param incident the incident; its causes are empty unless {@code edges} is null (they were known when found)
     * @param edges    the records that opened and closed the intervals involved, always in the chain
     */
    record Found(Incident incident, List<EventRecord> edges) {
    }

    /** Receives each interval in the report's window once final, and each incident in the window once settled. */
    interface Output {
        void interval(Interval interval);

        void incident(Found found);
    }

    /** What the sweep learnt about the whole input, known at its end. */
    record Outcome(List<String> nodes, long firstMicros, long lastMicros, List<VipSummary> vips, List<String> notes,
                   boolean splitBrain) {
    }

    private record Queued(Found found, long seq) {
    }

    /** One DUAL_MASTER pair waiting until the addresses of its nodes during it are final. */
    private record MasterPair(Interval a, Interval b, OverlapBounds.Bounds bounds, long start, long end) {
    }

    /** Per address: the NO_OWNER cover and the owner shares. */
    private static final class AddressState {
        final PriorityQueue<Interval> unreleased = new PriorityQueue<>(BY_START_NODE);
        final Map<String, long[]> shares = new TreeMap<>();
        String instance;
        Interval cover;
        long coverEnd;
        long coverEndMax;
        int noOwner;
        int dualOwnership;

        AddressState copy() {
            AddressState copy = new AddressState();
            copy.unreleased.addAll(unreleased);
            shares.forEach((node, share) -> copy.shares.put(node, share.clone()));
            copy.instance = instance;
            copy.cover = cover;
            copy.coverEnd = coverEnd;
            copy.coverEndMax = coverEndMax;
            copy.noOwner = noOwner;
            copy.dualOwnership = dualOwnership;
            return copy;
        }
    }

    /** Per node and instance: LEASE_VRRP_DISAGREEMENT's intervals and quorum runs. */
    private static final class LeaseKey {
        final List<Interval> masters = new ArrayList<>();
        final List<Interval> leases = new ArrayList<>();
        final List<Interval> unprocessedMasters = new ArrayList<>();
        final List<Interval> unprocessedLeases = new ArrayList<>();
        final List<long[]> runs = new ArrayList<>();

        /** The runs' arrays are never changed once added: they are shared. */
        LeaseKey copy() {
            LeaseKey copy = new LeaseKey();
            copy.masters.addAll(masters);
            copy.leases.addAll(leases);
            copy.unprocessedMasters.addAll(unprocessedMasters);
            copy.unprocessedLeases.addAll(unprocessedLeases);
            copy.runs.addAll(runs);
            return copy;
        }
    }

    private final ForensicsSettings settings;
    private final Output output;
    private final boolean keepAllRecords;
    private final IntervalFolder folder;
    private final PoolIncidents pools;
    private final String clockNote;

    private long floor = Long.MIN_VALUE;
    private long first = Long.MAX_VALUE;
    private long timeLeadMicros;
    private long records;
    private long queuedSeq;
    private boolean finished;
    private boolean splitBrain;
    private final Set<String> nodes = new TreeSet<>();
    private final Map<String, EventRecord> lastRecords = new HashMap<>();
    private final Map<String, Long> stepBack = new TreeMap<>();
    private final Map<String, EventRecord> lastConfig = new TreeMap<>();
    private final Map<String, Set<String>> roleNodes = new TreeMap<>();

    /** Records kept for chains: {@code window[windowHead..]} in merge order. */
    private final ArrayList<EventRecord> window = new ArrayList<>();
    /** Each kept record's step in a chain, made once: a record is in the chains of several incidents. */
    private final ArrayList<CauseStep> windowSteps = new ArrayList<>();
    private final EventText.Remembered words = new EventText.Remembered();
    private int windowHead;
    private long evictedReach = Long.MIN_VALUE;

    private final Map<String, List<Interval>> ownershipPairs = new HashMap<>();
    private final Map<String, List<Interval>> masterPairs = new HashMap<>();
    private final Map<String, AddressState> addresses = new TreeMap<>();
    private final Map<String, LeaseKey> leaseKeys = new HashMap<>();
    private final List<MasterPair> waitingMasterPairs = new ArrayList<>();
    private final List<Interval> vipEvidence = new ArrayList<>();
    private final List<Incident> dualOwnershipEvidence = new ArrayList<>();
    private final PriorityQueue<Queued> unsettled = new PriorityQueue<>(
            Comparator.comparingLong((Queued q) -> q.found().incident().endMicros()).thenComparingLong(Queued::seq));

    private final Map<String, Long> runStart = new HashMap<>();
    private final Map<String, Set<String>> quorumInstancesOfRun = new HashMap<>();

    IncidentSweep(ForensicsSettings settings, boolean keepAllRecords, Output output) {
        this.settings = settings;
        this.output = output;
        this.keepAllRecords = keepAllRecords;
        this.folder = new IntervalFolder(this::intervalFinal);
        this.pools = new PoolIncidents(settings, this::found);
        this.clockNote = "times of different nodes compared within ±" + Times.duration(settings.clockUncertaintyMicros())
                + " (clock uncertainty)";
    }

    /**
     * A sweep that goes on from this one's state on its own, its results to {@code output}: what {@link #finish} would
     * give now (the tail not out yet), or what more records would, while this one goes on unchanged. Records,
     * intervals, incidents and steps are immutable and shared; every collection is copied.
     */
    IncidentSweep copy(Output output) {
        return new IncidentSweep(this, output);
    }

    private IncidentSweep(IncidentSweep from, Output output) {
        this.settings = from.settings;
        this.output = output;
        this.keepAllRecords = from.keepAllRecords;
        this.folder = from.folder.copy(this::intervalFinal);
        this.pools = from.pools.copy(this::found);
        this.clockNote = from.clockNote;
        floor = from.floor;
        first = from.first;
        timeLeadMicros = from.timeLeadMicros;
        records = from.records;
        queuedSeq = from.queuedSeq;
        finished = from.finished;
        splitBrain = from.splitBrain;
        nodes.addAll(from.nodes);
        lastRecords.putAll(from.lastRecords);
        stepBack.putAll(from.stepBack);
        lastConfig.putAll(from.lastConfig);
        from.roleNodes.forEach((instance, of) -> roleNodes.put(instance, new TreeSet<>(of)));
        window.addAll(from.window);
        windowSteps.addAll(from.windowSteps);
        windowHead = from.windowHead;
        evictedReach = from.evictedReach;
        from.ownershipPairs.forEach((key, kept) -> ownershipPairs.put(key, new ArrayList<>(kept)));
        from.masterPairs.forEach((key, kept) -> masterPairs.put(key, new ArrayList<>(kept)));
        from.addresses.forEach((address, state) -> addresses.put(address, state.copy()));
        from.leaseKeys.forEach((key, state) -> leaseKeys.put(key, state.copy()));
        waitingMasterPairs.addAll(from.waitingMasterPairs);
        vipEvidence.addAll(from.vipEvidence);
        dualOwnershipEvidence.addAll(from.dualOwnershipEvidence);
        unsettled.addAll(from.unsettled);
        runStart.putAll(from.runStart);
        from.quorumInstancesOfRun.forEach((node, instances) -> quorumInstancesOfRun.put(node, new HashSet<>(instances)));
    }

    /**
     * Writes the state (not the output) for {@link #IncidentSweep(ForensicsSettings, FoldState.Reader, Output)}: a
     * streaming sweep's, since one that keeps every record would write the whole history.
     */
    void save(FoldState.Writer out) throws IOException {
        if (keepAllRecords || finished) {
            throw new IllegalStateException("incident sweep: state asked of a sweep that "
                    + (finished ? "finished" : "keeps every record") + " (expected a streaming one, not finished)");
        }
        folder.save(out);
        pools.save(out);
        out.number(floor);
        out.number(first);
        out.number(timeLeadMicros);
        out.number(records);
        out.number(queuedSeq);
        out.flag(splitBrain);
        out.texts(nodes);
        saveRecords(out, lastRecords);
        out.count(stepBack.size());
        for (Map.Entry<String, Long> step : stepBack.entrySet()) {
            out.text(step.getKey());
            out.number(step.getValue());
        }
        saveRecords(out, lastConfig);
        saveTexts(out, roleNodes);
        out.records(window.subList(windowHead, window.size()));
        out.number(evictedReach);
        savePairs(out, ownershipPairs);
        savePairs(out, masterPairs);
        out.count(addresses.size());
        for (Map.Entry<String, AddressState> entry : addresses.entrySet()) {
            AddressState state = entry.getValue();
            out.text(entry.getKey());
            out.intervals(state.unreleased);
            out.count(state.shares.size());
            for (Map.Entry<String, long[]> share : state.shares.entrySet()) {
                out.text(share.getKey());
                out.longs(share.getValue());
            }
            out.maybeText(state.instance);
            out.interval(state.cover);
            out.number(state.coverEnd);
            out.number(state.coverEndMax);
            out.count(state.noOwner);
            out.count(state.dualOwnership);
        }
        out.count(leaseKeys.size());
        for (Map.Entry<String, LeaseKey> entry : leaseKeys.entrySet()) {
            LeaseKey key = entry.getValue();
            out.text(entry.getKey());
            out.intervals(key.masters);
            out.intervals(key.leases);
            out.intervals(key.unprocessedMasters);
            out.intervals(key.unprocessedLeases);
            out.count(key.runs.size());
            for (long[] run : key.runs) {
                out.longs(run);
            }
        }
        out.count(waitingMasterPairs.size());
        for (MasterPair pair : waitingMasterPairs) {
            out.interval(pair.a());
            out.interval(pair.b());
            out.number(pair.bounds().min());
            out.number(pair.bounds().max());
            out.number(pair.start());
            out.number(pair.end());
        }
        out.intervals(vipEvidence);
        out.count(dualOwnershipEvidence.size());
        for (Incident incident : dualOwnershipEvidence) {
            out.incident(incident);
        }
        // A priority queue's iteration order is its heap's array, which adding in that order rebuilds as it was.
        out.count(unsettled.size());
        for (Queued queued : unsettled) {
            out.found(queued.found());
            out.number(queued.seq());
        }
        out.count(runStart.size());
        for (Map.Entry<String, Long> start : runStart.entrySet()) {
            out.text(start.getKey());
            out.number(start.getValue());
        }
        saveTexts(out, quorumInstancesOfRun);
    }

    /** A streaming sweep with the state {@link #save} wrote, its results to {@code output}. */
    IncidentSweep(ForensicsSettings settings, FoldState.Reader in, Output output) throws IOException {
        this.settings = settings;
        this.output = output;
        this.keepAllRecords = false;
        this.folder = new IntervalFolder(in, this::intervalFinal);
        this.pools = new PoolIncidents(settings, in, this::found);
        this.clockNote = "times of different nodes compared within ±" + Times.duration(settings.clockUncertaintyMicros())
                + " (clock uncertainty)";
        floor = in.number();
        first = in.number();
        timeLeadMicros = in.number();
        records = in.number();
        queuedSeq = in.number();
        splitBrain = in.flag();
        nodes.addAll(in.texts());
        readRecords(in, lastRecords);
        int count = in.count();
        for (int i = 0; i < count; i++) {
            stepBack.put(in.text(), in.number());
        }
        readRecords(in, lastConfig);
        readTexts(in, roleNodes, TreeSet::new);
        window.addAll(in.records());
        window.forEach(record -> windowSteps.add(null));
        evictedReach = in.number();
        readPairs(in, ownershipPairs);
        readPairs(in, masterPairs);
        count = in.count();
        for (int i = 0; i < count; i++) {
            String address = in.text();
            AddressState state = new AddressState();
            state.unreleased.addAll(in.intervals());
            int shares = in.count();
            for (int k = 0; k < shares; k++) {
                state.shares.put(in.text(), in.longs());
            }
            state.instance = in.maybeText();
            state.cover = in.interval();
            state.coverEnd = in.number();
            state.coverEndMax = in.number();
            state.noOwner = in.signed();
            state.dualOwnership = in.signed();
            addresses.put(address, state);
        }
        count = in.count();
        for (int i = 0; i < count; i++) {
            String name = in.text();
            LeaseKey key = new LeaseKey();
            key.masters.addAll(in.intervals());
            key.leases.addAll(in.intervals());
            key.unprocessedMasters.addAll(in.intervals());
            key.unprocessedLeases.addAll(in.intervals());
            int runs = in.count();
            for (int k = 0; k < runs; k++) {
                key.runs.add(in.longs());
            }
            leaseKeys.put(name, key);
        }
        count = in.count();
        for (int i = 0; i < count; i++) {
            waitingMasterPairs.add(new MasterPair(in.interval(), in.interval(),
                    new OverlapBounds.Bounds(in.number(), in.number()), in.number(), in.number()));
        }
        vipEvidence.addAll(in.intervals());
        count = in.count();
        for (int i = 0; i < count; i++) {
            dualOwnershipEvidence.add(in.incident());
        }
        count = in.count();
        for (int i = 0; i < count; i++) {
            unsettled.add(new Queued(in.found(), in.number()));
        }
        count = in.count();
        for (int i = 0; i < count; i++) {
            runStart.put(in.text(), in.number());
        }
        readTexts(in, quorumInstancesOfRun, HashSet::new);
    }

    private static void saveRecords(FoldState.Writer out, Map<String, EventRecord> map) throws IOException {
        out.count(map.size());
        for (Map.Entry<String, EventRecord> entry : map.entrySet()) {
            out.text(entry.getKey());
            out.record(entry.getValue());
        }
    }

    private static void readRecords(FoldState.Reader in, Map<String, EventRecord> map) throws IOException {
        int count = in.count();
        for (int i = 0; i < count; i++) {
            map.put(in.text(), in.record());
        }
    }

    private static void saveTexts(FoldState.Writer out, Map<String, Set<String>> map) throws IOException {
        out.count(map.size());
        for (Map.Entry<String, Set<String>> entry : map.entrySet()) {
            out.text(entry.getKey());
            out.texts(entry.getValue());
        }
    }

    private static void readTexts(FoldState.Reader in, Map<String, Set<String>> map,
                                  Supplier<Set<String>> newSet) throws IOException {
        int count = in.count();
        for (int i = 0; i < count; i++) {
            String key = in.text();
            Set<String> set = newSet.get();
            set.addAll(in.texts());
            map.put(key, set);
        }
    }

    private static void savePairs(FoldState.Writer out, Map<String, List<Interval>> pairs) throws IOException {
        out.count(pairs.size());
        for (Map.Entry<String, List<Interval>> entry : pairs.entrySet()) {
            out.text(entry.getKey());
            out.intervals(entry.getValue());
        }
    }

    private static void readPairs(FoldState.Reader in, Map<String, List<Interval>> pairs) throws IOException {
        int count = in.count();
        for (int i = 0; i < count; i++) {
            pairs.put(in.text(), in.intervals());
        }
    }

    /** The next record in {@link MergedJournals#ORDER}, without duplicates. */
    void accept(EventRecord record) {
        long hlcMicros = hlcMicros(record);
        long t = MergedJournals.timeMicros(record);
        floor = Math.max(floor, hlcMicros);
        first = Math.min(first, t);
        timeLeadMicros = Math.max(timeLeadMicros, t - hlcMicros);
        nodes.add(record.node());
        lastRecords.put(record.node(), record);
        long ahead = hlcMicros - record.wallMicros();
        if (ahead >= 1000) {
            stepBack.merge(record.node(), ahead, Math::max);
        }
        quorumRun(record, t);
        if (record.event() instanceof Event.ConfigLoaded) {
            lastConfig.put(record.node(), record);
        }
        pools.accept(record);
        window.add(record);
        windowSteps.add(null);
        folder.apply(record);
        if (++records % ADVANCE_EVERY == 0) {
            advance();
        }
    }

    /** The input ended: everything still open is closed as the journals' end says, and goes out. */
    Outcome finish() {
        folder.finish();
        long end = folder.endOfJournals();
        for (String node : new ArrayList<>(quorumInstancesOfRun.keySet())) {
            closeRun(node, end);
        }
        finished = true;
        floor = Long.MAX_VALUE;
        advance();
        addresses.forEach((address, state) -> {
            if (state.cover != null) {
                trailingGap(address, state);
            }
        });
        configDisagreement(end);
        pools.closeOpen(end);
        settle();
        long last = lastRecords.isEmpty() ? 0 : end;
        return new Outcome(List.copyOf(nodes), lastRecords.isEmpty() ? 0 : first, last, summaries(), notes(),
                splitBrain);
    }

    /** The incident with its chain of causes. */
    Incident withCauses(Found found) {
        Cancellation.check();
        Incident i = found.incident();
        if (found.edges() == null) {
            return i;
        }
        List<String> notes = i.notes();
        long from = i.startMicros() - settings.causeLookbackMicros() - timeLeadMicros;
        if (evictedReach >= from) {
            notes = new ArrayList<>(notes);
            notes.add("chain of causes from " + Times.instant(evictedReach) + " on only: records are kept for "
                    + Times.duration(CHAIN_WINDOW_MICROS) + " beyond the look-back, and this incident was settled "
                    + "later than that after it began");
        }
        return new Incident(i.kind(), i.startMicros(), i.endMicros(), i.minDurationMicros(), i.maxDurationMicros(),
                i.nodes(), i.instance(), i.vrid(), i.address(), i.summary(),
                causes(i.nodes(), i.instance(), i.startMicros(), i.endMicros(), found.edges()), notes);
    }

    // ---- records ----------------------------------------------------------------------------------------------

    /**
     * Per node|instance, the stretches of time its agent ran with a quorum block: from the agent's start (or the
     * journal's first record) to its next start or the journals' end, for runs that contended for a lease or said
     * so when deciding. A node that ran without a quorum block has no lease to disagree with.
     */
    private void quorumRun(EventRecord record, long at) {
        Event event = record.event();
        runStart.putIfAbsent(record.node(), at);
        if (event instanceof Event.AgentStarted) {
            closeRun(record.node(), at);
            runStart.put(record.node(), at);
        } else if (event instanceof Event.LeaseRequested requested) {
            quorumInstancesOfRun.computeIfAbsent(record.node(), n -> new HashSet<>()).add(requested.instance());
        } else if (event instanceof Event.OwnershipDecided decided && decided.inputs().quorumConfigured()) {
            quorumInstancesOfRun.computeIfAbsent(record.node(), n -> new HashSet<>()).add(decided.instance());
        }
    }

    private void closeRun(String node, long at) {
        for (String instance : quorumInstancesOfRun.getOrDefault(node, Set.of())) {
            long from = runStart.getOrDefault(node, 0L);
            leaseKey(node + "|" + instance).runs.add(new long[] {from, at});
        }
        quorumInstancesOfRun.remove(node);
    }

    // ---- intervals --------------------------------------------------------------------------------------------

    private void intervalFinal(Interval x) {
        if (x.endMaxMicros() >= settings.fromMicros() && x.startMicros() <= settings.toMicros()) {
            output.interval(x);
        }
        switch (x.kind()) {
            case ROLE -> {
                roleNodes.computeIfAbsent(x.instance(), k -> new TreeSet<>()).add(x.node());
                if (x.subject().equals(RoleInput.MASTER.name())) {
                    pairs(masterPairs, masterKey(x.vrid(), x.instance()), x, this::dualMaster);
                    LeaseKey key = leaseKey(x.node() + "|" + x.instance());
                    key.masters.add(x);
                    key.unprocessedMasters.add(x);
                }
            }
            case LEASE -> {
                LeaseKey key = leaseKey(x.node() + "|" + x.instance());
                key.leases.add(x);
                key.unprocessedLeases.add(x);
            }
            case VIP -> {
                pairs(ownershipPairs, x.subject(), x, this::dualOwnership);
                addresses.computeIfAbsent(x.subject(), k -> new AddressState()).unreleased.add(x);
                vipEvidence.add(x);
            }
        }
    }

    private static String masterKey(int vrid, String instance) {
        return vrid != 0 ? "vrid " + vrid : "instance " + instance;
    }

    private LeaseKey leaseKey(String key) {
        return leaseKeys.computeIfAbsent(key, k -> new LeaseKey());
    }

    /**
     * Compares a final interval with the final ones of its key kept so far: a pair of two nodes whose stretches to
     * their earliest ends overlap, the earlier start (then node) first. Only such pairs can overlap for certain
     * under any skew within the bound (the overlap is concave in the skew).
     */
    private static void pairs(Map<String, List<Interval>> store, String key, Interval x, PairAction action) {
        List<Interval> kept = store.computeIfAbsent(key, k -> new ArrayList<>());
        for (Interval y : kept) {
            if (y.node().equals(x.node())) {
                continue;
            }
            boolean yFirst = BY_START_NODE.compare(y, x) <= 0;
            Interval a = yFirst ? y : x;
            Interval b = yFirst ? x : y;
            if (a.endMinMicros() > b.startMicros()) {
                action.pair(a, b);
            }
        }
        kept.add(x);
    }

    @FunctionalInterface
    private interface PairAction {
        void pair(Interval a, Interval b);
    }

    private void dualOwnership(Interval a, Interval b) {
        OverlapBounds.Bounds bounds = OverlapBounds.of(a, b, settings.uncertaintyBetween(a.node(), b.node()));
        if (bounds.min() <= 0) {
            return;
        }
        String address = a.subject();
        long start = Math.max(a.startMicros(), b.startMicros());
        long end = Math.min(a.endMaxMicros(), b.endMaxMicros());
        String summary = a.node() + " and " + b.node() + " both had " + address + " bound: split brain"
                + (a.lifetimeSeconds() == 0 || b.lifetimeSeconds() == 0
                ? " (an address bound without a kernel lifetime: an agent without a quorum block?)" : "");
        Found found = incident(IncidentKind.DUAL_OWNERSHIP, start, end, bounds, List.of(a, b), List.of(), a.instance(),
                address, summary, List.of());
        dualOwnershipEvidence.add(found.incident());
        found(found);
    }

    private void dualMaster(Interval a, Interval b) {
        OverlapBounds.Bounds bounds = OverlapBounds.of(a, b, settings.uncertaintyBetween(a.node(), b.node()));
        if (bounds.min() > 0) {
            waitingMasterPairs.add(new MasterPair(a, b, bounds, Math.max(a.startMicros(), b.startMicros()),
                    Math.min(a.endMaxMicros(), b.endMaxMicros())));
        }
    }

    private void dualMaster(MasterPair p) {
        Interval a = p.a();
        Interval b = p.b();
        String summary = a.node() + " and " + b.node() + " both VRRP MASTER for VRID " + a.vrid() + " ("
                + a.instance() + "): the heartbeat path was split; " + ownershipDuring(a, b, p.start(), p.end());
        found(incident(IncidentKind.DUAL_MASTER, p.start(), p.end(), p.bounds(), List.of(a, b), List.of(),
                a.instance(), "", summary, List.of()));
    }

    /** Whether ownership stayed single while both were MASTER: who had which address bound. */
    private String ownershipDuring(Interval a, Interval b, long start, long end) {
        Set<String> pair = Set.of(a.node(), b.node());
        for (Incident d : dualOwnershipEvidence) {
            if (pair.containsAll(d.nodes()) && d.startMicros() <= end && d.endMicros() >= start) {
                return "ownership split: both had the address bound (see DUAL_OWNERSHIP)";
            }
        }
        Set<String> owners = new TreeSet<>();
        for (Interval vip : vipEvidence) {
            if (pair.contains(vip.node())
                    && (vip.instance().equals(a.instance()) || vip.instance().equals(b.instance()))
                    && vip.startMicros() < end && vip.endMaxMicros() > start) {
                owners.add(vip.node() + " (" + vip.subject() + ")");
            }
        }
        return owners.isEmpty() ? "ownership stayed single: nobody had an address bound"
                : "ownership stayed single: " + String.join(", ", owners);
    }

    // ---- the pass over what became final ----------------------------------------------------------------------

    /** Where intervals not final yet begin, by the keys the rules use. */
    private static final class OpenStarts {
        final Map<String, Long> vipByAddress = new HashMap<>();
        final Map<String, Long> vipByNode = new HashMap<>();
        final Map<String, Long> masterByLeaseKey = new HashMap<>();
        final Map<String, Long> leaseByLeaseKey = new HashMap<>();
        final Map<String, List<OpenMaster>> mastersByPairKey = new HashMap<>();
    }

    private record OpenMaster(String node, long start) {
    }

    private void advance() {
        OpenStarts open = new OpenStarts();
        Map<String, List<OpenMaster>> mastersByPairKey = open.mastersByPairKey;
        folder.forEachOpen((kind, node, instance, vrid, subject, start) -> {
            switch (kind) {
                case VIP -> {
                    open.vipByAddress.merge(subject, start, Math::min);
                    open.vipByNode.merge(node, start, Math::min);
                }
                case LEASE -> open.leaseByLeaseKey.merge(node + "|" + instance, start, Math::min);
                case ROLE -> {
                    if (subject.equals(RoleInput.MASTER.name())) {
                        open.masterByLeaseKey.merge(node + "|" + instance, start, Math::min);
                        mastersByPairKey.computeIfAbsent(masterKey(vrid, instance), k -> new ArrayList<>())
                                .add(new OpenMaster(node, start));
                    }
                }
            }
        });
        addresses.forEach((address, state) -> releaseHoldings(address, state,
                Math.min(floor, open.vipByAddress.getOrDefault(address, Long.MAX_VALUE))));
        evictPairs(ownershipPairs, key -> open.vipByAddress.getOrDefault(key, Long.MAX_VALUE));
        evictPairs(masterPairs, key -> mastersByPairKey.getOrDefault(key, List.of()).stream()
                .mapToLong(OpenMaster::start).min().orElse(Long.MAX_VALUE));
        leaseKeys.forEach((key, state) -> leaseDisagreements(key, state,
                open.masterByLeaseKey.getOrDefault(key, Long.MAX_VALUE),
                open.leaseByLeaseKey.getOrDefault(key, Long.MAX_VALUE)));
        waitingMasterPairs.removeIf(p -> {
            long openA = open.vipByNode.getOrDefault(p.a().node(), Long.MAX_VALUE);
            long openB = open.vipByNode.getOrDefault(p.b().node(), Long.MAX_VALUE);
            if (floor > p.end() && openA > p.end() && openB > p.end()) {
                dualMaster(p);
                return true;
            }
            return false;
        });
        evictEvidence(mastersByPairKey);
        settle();
        evictRecords();
    }

    /** Releases an address's final holdings that start before {@code before} in order of start: gaps and shares. */
    private void releaseHoldings(String address, AddressState state, long before) {
        while (!state.unreleased.isEmpty() && (finished || state.unreleased.peek().startMicros() < before)) {
            Interval next = state.unreleased.poll();
            share(state, next);
            if (state.cover == null) {
                state.cover = next;
                state.coverEnd = next.endMinMicros();
                state.coverEndMax = next.endMaxMicros();
                continue;
            }
            if (next.startMicros() > state.coverEnd) {
                long epsilon = settings.uncertaintyBetween(state.cover.node(), next.node());
                long min = Math.max(0, next.startMicros() - state.coverEndMax - epsilon);
                long max = next.startMicros() - state.coverEnd + epsilon;
                String summary = noOwnerSummary(address, state.cover.node(), next.node());
                found(incident(IncidentKind.NO_OWNER, state.coverEnd, next.startMicros(),
                        new OverlapBounds.Bounds(min, max), List.of(state.cover, next), List.of(), next.instance(),
                        address, summary, List.of()));
            }
            if (next.endMinMicros() >= state.coverEnd) {
                state.cover = next;
            }
            state.coverEnd = Math.max(state.coverEnd, next.endMinMicros());
            state.coverEndMax = Math.max(state.coverEndMax, next.endMaxMicros());
        }
    }

    /** "between n2 and n2" read as two nodes: a node that let the address go and took it back says so. */
    static String noOwnerSummary(String address, String before, String after) {
        return before.equals(after)
                ? "nobody had " + address + " bound from " + after + "'s release until " + after + " bound it again"
                : "nobody had " + address + " bound between " + before + " and " + after;
    }

    /** Adds a holding to its address's owner shares within the report's window. */
    private void share(AddressState state, Interval vip) {
        if (state.instance == null) {
            state.instance = vip.instance();
        }
        share(state.shares.computeIfAbsent(vip.node(), k -> new long[2]), settings, vip.startMicros(),
                vip.endMinMicros());
    }

    /**
     * Adds a holding from {@code start} to {@code endMin} to a node's share of an address ({owned µs, binds}) within
     * the report's window: the time inside it, and a bind when it began inside it.
     */
    static void share(long[] share, ForensicsSettings settings, long start, long endMin) {
        long from = settings.fromMicros();
        long to = settings.toMicros();
        long clipped = Math.min(endMin, to) - Math.max(start, from);
        boolean startsInside = start >= from && start <= to;
        if (clipped > 0 || startsInside) {
            share[0] += Math.max(0, clipped);
            share[1] += startsInside ? 1 : 0;
        }
    }

    /** Drops kept intervals that nothing not final yet, and nothing still to come, can overlap. */
    private void evictPairs(Map<String, List<Interval>> store, ToLongFunction<String> openStart) {
        store.forEach((key, kept) -> {
            long horizon = Math.min(floor, openStart.applyAsLong(key));
            kept.removeIf(y -> y.endMinMicros() <= horizon);
        });
    }

    /**
     * Drops addresses and DUAL_OWNERSHIP incidents no DUAL_MASTER still to be described can touch: one still to come
     * starts at the later start of two MASTER intervals of one key, one of them not final yet.
     */
    private void evictEvidence(Map<String, List<OpenMaster>> openMasters) {
        long horizon = floor;
        for (MasterPair p : waitingMasterPairs) {
            horizon = Math.min(horizon, p.start());
        }
        for (Map.Entry<String, List<OpenMaster>> entry : openMasters.entrySet()) {
            List<Interval> kept = masterPairs.getOrDefault(entry.getKey(), List.of());
            for (OpenMaster o : entry.getValue()) {
                long other = floor;
                for (Interval y : kept) {
                    if (!y.node().equals(o.node())) {
                        other = Math.min(other, y.startMicros());
                    }
                }
                for (OpenMaster p : entry.getValue()) {
                    if (!p.node().equals(o.node())) {
                        other = Math.min(other, p.start());
                    }
                }
                horizon = Math.min(horizon, Math.max(o.start(), other));
            }
        }
        long h = horizon;
        if (!finished) {
            vipEvidence.removeIf(v -> v.endMaxMicros() < h);
            dualOwnershipEvidence.removeIf(d -> d.endMicros() < h);
        }
    }

    private void leaseDisagreements(String key, LeaseKey state, long openMaster, long openLease) {
        String node = key.substring(0, key.indexOf('|'));
        String instance = key.substring(key.indexOf('|') + 1);
        state.unprocessedLeases.removeIf(lease -> {
            if (!finished && (openMaster < lease.endMinMicros() || floor < lease.endMinMicros())) {
                return false;
            }
            List<Interval> masters = state.masters.stream().sorted(Comparator.comparingLong(Interval::startMicros))
                    .toList();
            for (long[] piece : subtract(lease.startMicros(), lease.endMinMicros(), masters)) {
                disagreement(lease, piece, "held lease epoch " + lease.subject() + " while not VRRP MASTER");
            }
            return true;
        });
        state.unprocessedMasters.removeIf(master -> {
            if (!finished && !masterReady(node, instance, master, openLease)) {
                return false;
            }
            List<long[]> runs = new ArrayList<>(state.runs);
            if (!finished && quorumInstancesOfRun.getOrDefault(node, Set.of()).contains(instance)) {
                runs.add(new long[] {runStart.get(node), Long.MAX_VALUE});
            }
            List<Interval> held = state.leases.stream().sorted(Comparator.comparingLong(Interval::startMicros)).toList();
            for (long[] run : runs) {
                long from = Math.max(master.startMicros(), run[0]);
                long to = Math.min(master.endMinMicros(), run[1]);
                if (from < to) {
                    for (long[] piece : subtract(from, to, held)) {
                        disagreement(master, piece, "VRRP MASTER without the lease");
                    }
                }
            }
            return true;
        });
        long leaseHorizon = Math.min(floor, Math.min(openLease,
                state.unprocessedLeases.stream().mapToLong(Interval::startMicros).min().orElse(Long.MAX_VALUE)));
        long masterHorizon = Math.min(floor, Math.min(openMaster,
                state.unprocessedMasters.stream().mapToLong(Interval::startMicros).min().orElse(Long.MAX_VALUE)));
        if (!finished) {
            // "Still waiting" means this very interval: equals would compare two whole records (opening and closing
            // events included) for every pair, on lists that grow while a node's quorum run is open.
            Set<Interval> waitingMasters = identitySet(state.unprocessedMasters);
            Set<Interval> waitingLeases = identitySet(state.unprocessedLeases);
            state.masters.removeIf(m -> m.endMinMicros() <= leaseHorizon && !waitingMasters.contains(m));
            state.leases.removeIf(l -> l.endMinMicros() <= masterHorizon && !waitingLeases.contains(l));
            state.runs.removeIf(r -> r[1] <= masterHorizon);
        }
    }

    private static Set<Interval> identitySet(List<Interval> intervals) {
        Set<Interval> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(intervals);
        return set;
    }

    /**
     * A MASTER interval can be compared with the leases once the quorum runs it meets are known (the current run of
     * its node counts from its start if the instance is already known to contend, else it may still turn out to:
     * wait for the run to end) and the leases it may meet are final.
     */
    private boolean masterReady(String node, String instance, Interval master, long openLease) {
        long currentRun = runStart.getOrDefault(node, Long.MAX_VALUE);
        EventRecord last = lastRecords.get(node);
        boolean runKnown = currentRun >= master.endMinMicros()
                || (quorumInstancesOfRun.getOrDefault(node, Set.of()).contains(instance)
                && last != null && MergedJournals.timeMicros(last) >= master.endMinMicros());
        return runKnown && openLease >= master.endMinMicros() && floor >= master.endMinMicros();
    }

    private void disagreement(Interval interval, long[] piece, String what) {
        long length = piece[1] - piece[0];
        if (length <= settings.leaseGraceMicros()) {
            return;
        }
        String summary = interval.node() + " " + what + " for " + Times.duration(length) + " (" + interval.instance()
                + ", grace " + Times.duration(settings.leaseGraceMicros()) + ")";
        found(incident(IncidentKind.LEASE_VRRP_DISAGREEMENT, piece[0], piece[1],
                new OverlapBounds.Bounds(length, length), List.of(interval), List.of(), interval.instance(), "",
                summary, List.of()));
    }

    /** The parts of [from, to) that none of {@code cuts} (sorted by start, to their earliest ends) covers. */
    private static List<long[]> subtract(long from, long to, List<Interval> cuts) {
        List<long[]> pieces = new ArrayList<>();
        for (Interval cut : cuts) {
            if (cut.startMicros() >= to) {
                break;
            }
            if (cut.endMinMicros() <= from) {
                continue;
            }
            if (cut.startMicros() > from) {
                pieces.add(new long[] {from, cut.startMicros()});
            }
            from = Math.max(from, cut.endMinMicros());
        }
        if (from < to) {
            pieces.add(new long[] {from, to});
        }
        return pieces;
    }

    // ---- at the end -------------------------------------------------------------------------------------------

    /**
     * After the last holding: an outage only while some node that runs the instance is still up (a cluster that
     * was stopped on purpose is not one), and only when the last holding is known to have ended: a holder whose
     * journal simply ends earlier than another's (it is running and had nothing to record, or its records have not
     * been shipped yet) may hold it still, so the open end is not evidence of an outage.
     */
    private void trailingGap(String address, AddressState state) {
        long endOfJournals = folder.endOfJournals();
        Interval last = state.cover;
        long coverEnd = state.coverEnd;
        if (coverEnd >= endOfJournals || last.endReason() == EndReason.OPEN) {
            return;
        }
        List<String> running = roleNodes.getOrDefault(last.instance(), Set.of()).stream()
                .filter(n -> !(lastRecords.get(n).event() instanceof Event.AgentStopped)
                        && MergedJournals.timeMicros(lastRecords.get(n)) > coverEnd)
                .toList();
        if (running.isEmpty()) {
            return;
        }
        long min = Math.max(0, endOfJournals - state.coverEndMax - settings.clockUncertaintyMicros());
        long max = endOfJournals - coverEnd + settings.clockUncertaintyMicros();
        String summary = "nobody had " + address + " bound after " + last.node() + " until the end of the journals, while "
                + String.join(", ", running) + " ran " + last.instance();
        found(incident(IncidentKind.NO_OWNER, coverEnd, endOfJournals, new OverlapBounds.Bounds(min, max),
                List.of(last), running, last.instance(), address, summary,
                List.of("open: no node bound it again before the journals end")));
    }

    private void configDisagreement(long endOfJournals) {
        Map<String, Map<String, EventRecord>> byInstance = new TreeMap<>();
        roleNodes.forEach((instance, roleNodesOfInstance) -> {
            for (String node : roleNodesOfInstance) {
                EventRecord config = lastConfig.get(node);
                if (config != null) {
                    byInstance.computeIfAbsent(instance, k -> new TreeMap<>()).put(node, config);
                }
            }
        });
        Map<Map<String, EventRecord>, List<String>> groups = new LinkedHashMap<>();
        byInstance.forEach((instance, configs) -> {
            long hashes = configs.values().stream().map(r -> ((Event.ConfigLoaded) r.event()).sha256()).distinct().count();
            if (hashes > 1) {
                groups.computeIfAbsent(configs, k -> new ArrayList<>()).add(instance);
            }
        });
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
            found(new Found(new Incident(IncidentKind.CONFIG_DISAGREEMENT, start, endOfJournals,
                    Math.max(0, length - settings.clockUncertaintyMicros()), length + settings.clockUncertaintyMicros(),
                    List.copyOf(configs.keySet()), String.join(",", instances), 0, "", summary, causes, notes), null));
        });
    }

    private List<VipSummary> summaries() {
        List<VipSummary> summaries = new ArrayList<>();
        addresses.forEach((address, state) -> {
            if (state.instance == null) {
                return;
            }
            List<VipSummary.Owner> owners = new ArrayList<>();
            state.shares.forEach((node, share) -> owners.add(new VipSummary.Owner(node, share[0], (int) share[1])));
            summaries.add(new VipSummary(address, state.instance, owners, state.noOwner, state.dualOwnership));
        });
        return summaries;
    }

    /**
     * What the records say about the clocks: a node whose HLC ran ahead of its wall clock had its wall clock step
     * back; its times follow the HLC, and a step larger than the clock bound makes the bound too small.
     */
    private List<String> notes() {
        List<String> notes = new ArrayList<>();
        if (lastRecords.isEmpty()) {
            notes.add("no records: nothing to analyse");
        }
        stepBack.forEach((node, micros) -> notes.add(node + "'s wall clock stepped back by up to "
                + Times.duration(micros) + " (its HLC ran ahead): its times follow the HLC"
                + (micros > settings.clockUncertaintyMicros()
                ? "; that is more than the clock bound of " + Times.duration(settings.clockUncertaintyMicros())
                + ", so raise --clock-uncertainty" : "")));
        return notes;
    }

    // ---- incidents out ----------------------------------------------------------------------------------------

    /** An incident found: kept for the report when it touches the window, out once every record of it was read. */
    private void found(Found found) {
        Incident incident = found.incident();
        if (incident.endMicros() < settings.fromMicros() || incident.startMicros() > settings.toMicros()) {
            return;
        }
        if (incident.kind() == IncidentKind.DUAL_OWNERSHIP) {
            splitBrain = true;
        }
        if (incident.kind() == IncidentKind.NO_OWNER || incident.kind() == IncidentKind.DUAL_OWNERSHIP) {
            AddressState state = addresses.computeIfAbsent(incident.address(), k -> new AddressState());
            if (incident.kind() == IncidentKind.NO_OWNER) {
                state.noOwner++;
            } else {
                state.dualOwnership++;
            }
        }
        unsettled.add(new Queued(found, queuedSeq++));
    }

    private void settle() {
        while (!unsettled.isEmpty() && (finished || unsettled.peek().found().incident().endMicros() < floor)) {
            output.incident(unsettled.poll().found());
        }
    }

    private void evictRecords() {
        if (keepAllRecords || finished) {
            return;
        }
        long keepFrom = floor - settings.causeLookbackMicros() - CHAIN_WINDOW_MICROS;
        while (windowHead < window.size() && hlcMicros(window.get(windowHead)) < keepFrom) {
            evictedReach = Math.max(evictedReach, hlcMicros(window.get(windowHead)));
            windowSteps.set(windowHead, null);
            window.set(windowHead++, null);
        }
        if (windowHead > 4096 && windowHead > window.size() / 2) {
            window.subList(0, windowHead).clear();
            windowSteps.subList(0, windowHead).clear();
            windowHead = 0;
        }
    }

    private Found incident(IncidentKind kind, long start, long end, OverlapBounds.Bounds bounds,
                           List<Interval> involved, List<String> alsoInvolved, String instance, String address,
                           String summary, List<String> extraNotes) {
        Set<String> involvedNodes = new TreeSet<>(alsoInvolved);
        List<EventRecord> edges = new ArrayList<>();
        List<String> notes = new ArrayList<>(extraNotes);
        for (Interval interval : involved) {
            involvedNodes.add(interval.node());
            edges.add(interval.opening());
            interval.closing().ifPresent(edges::add);
            endNote(interval).filter(n -> !notes.contains(n)).ifPresent(notes::add);
        }
        if (involvedNodes.size() > 1 && settings.clockUncertaintyMicros() > 0) {
            notes.add(clockNote);
        }
        int vrid = involved.stream().mapToInt(Interval::vrid).filter(v -> v != 0).findFirst().orElse(0);
        return new Found(new Incident(kind, start, Math.max(start, end), bounds.min(), bounds.max(),
                List.copyOf(involvedNodes), instance, vrid, address, summary, List.of(), notes), List.copyOf(edges));
    }

    /**
     * The events of the nodes involved about the instance, leading in (a look-back) and through the incident, plus
     * the edges of its intervals. Each record's step is the one made when it was first in a chain; only an edge no
     * longer kept (the opening of a holding older than the records kept) is formatted again.
     */
    private List<CauseStep> causes(List<String> involved, String instance, long start, long end, List<EventRecord> edges) {
        int[] before = new int[CAUSES_BEFORE];
        int beforeSeen = 0;
        int[] chosen = new int[CAUSES_BEFORE + CAUSES_DURING + edges.size()];
        int during = 0;
        long lookback = start - settings.causeLookbackMicros();
        // A record's time is within [HLC ms, HLC ms + lead], and HLC ms never decrease in merge order: records before
        // the first that can reach the look-back are too early; once a record's HLC ms pass the end, all are too late.
        for (int i = firstReaching(lookback - timeLeadMicros); i < window.size(); i++) {
            EventRecord record = window.get(i);
            long recordFloor = hlcMicros(record);
            if (recordFloor > end || (during >= CAUSES_DURING && recordFloor >= start)) {
                break;
            }
            long t = MergedJournals.timeMicros(record);
            if (!involved.contains(record.node()) || t < lookback || t > end || !relevant(record, instance)) {
                continue;
            }
            if (t < start) {
                before[beforeSeen++ % CAUSES_BEFORE] = i;
            } else if (during < CAUSES_DURING) {
                chosen[CAUSES_BEFORE + during++] = i;
            }
        }
        // The last (up to) CAUSES_BEFORE lead-in records, oldest first, right before those during it.
        int kept = Math.min(beforeSeen, CAUSES_BEFORE);
        for (int k = 0; k < kept; k++) {
            chosen[CAUSES_BEFORE - kept + k] = before[(beforeSeen - kept + k) % CAUSES_BEFORE];
        }
        int from = CAUSES_BEFORE - kept;
        int to = CAUSES_BEFORE + during;
        List<EventRecord> dropped = null;
        for (EventRecord edge : edges) {
            int position = positionOf(edge);
            if (position >= 0) {
                chosen[to++] = position;
            } else {
                if (dropped == null) {
                    dropped = new ArrayList<>(2);
                }
                if (dropped.stream().noneMatch(e -> e == edge)) {
                    dropped.add(edge);
                }
            }
        }
        // Window positions are in merge order; records dropped from the window come before all of them.
        Arrays.sort(chosen, from, to);
        int distinct = 0;
        for (int k = from; k < to; k++) {
            if (k == from || chosen[k] != chosen[k - 1]) {
                chosen[from + distinct++] = chosen[k];
            }
        }
        int outside = dropped == null ? 0 : dropped.size();
        CauseStep[] steps = new CauseStep[outside + distinct];
        if (dropped != null) {
            dropped.sort(MergedJournals.ORDER);
            for (int k = 0; k < outside; k++) {
                steps[k] = words.step(dropped.get(k));
            }
        }
        for (int k = 0; k < distinct; k++) {
            steps[outside + k] = step(chosen[from + k]);
        }
        return List.of(steps);
    }

    private CauseStep step(int position) {
        CauseStep step = windowSteps.get(position);
        if (step == null) {
            step = words.step(window.get(position));
            windowSteps.set(position, step);
        }
        return step;
    }

    /** Where a record is among those kept, by identity (one instance per merged record); -1 when not kept. */
    private int positionOf(EventRecord record) {
        int low = windowHead;
        int high = window.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            int order = MergedJournals.compare(window.get(mid), record);
            if (order == 0) {
                return window.get(mid) == record ? mid : -1;
            }
            if (order < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return -1;
    }

    /** The first kept record whose HLC milliseconds are at or after {@code micros}. */
    private int firstReaching(long micros) {
        int low = windowHead;
        int high = window.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (hlcMicros(window.get(mid)) >= micros) {
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
}
