package io.quorumvip.forensics;

import io.quorumvip.events.Event;
import io.quorumvip.events.EventRecord;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The load balancer's incidents, in one pass over the merged records (O(n) map updates, no pair of records or
 * nodes compared): {@link IncidentKind#POOL_HELD_FAILED_SERVER} and {@link IncidentKind#POOL_DISAGREEMENT}.
 *
 * <p>A node's pool of a virtual server is its last {@link Event.PoolChanged}; members with weight 0 and the sorry
 * server take no new clients, so they do not count as serving. A clean stop ({@link Event.AgentStopped}) removes the
 * node's tables, so its pools leave the comparison; a crashed agent's last pools stay (its table stays too).
 */
final class PoolIncidents {

    private final ForensicsSettings settings;
    /** node|vs|rs → the RealServerDown still waiting for a pool without that real server. */
    private final Map<String, EventRecord> pendingDown = new LinkedHashMap<>();
    /** vs → node → the serving members of that node's pool (sorted). */
    private final Map<String, Map<String, TreeSet<String>>> pools = new TreeMap<>();
    /** vs → how many nodes hold each distinct pool: more than one key is a disagreement. */
    private final Map<String, Map<TreeSet<String>, Integer>> distinct = new HashMap<>();
    /** vs → the record that began the disagreement still open. */
    private final Map<String, EventRecord> disagreeingSince = new HashMap<>();
    /** vs → the nodes whose pools differed when the open disagreement began. */
    private final Map<String, List<String>> disagreeingNodes = new HashMap<>();
    private final Consumer<IncidentSweep.Found> found;

    /** {@code found} receives each incident once it closed. */
    PoolIncidents(ForensicsSettings settings, Consumer<IncidentSweep.Found> found) {
        this.settings = settings;
        this.found = found;
    }

    /** A copy that goes on from this state on its own, its incidents to {@code found}; pools (sets) are shared. */
    PoolIncidents copy(Consumer<IncidentSweep.Found> found) {
        PoolIncidents copy = new PoolIncidents(settings, found);
        copy.pendingDown.putAll(pendingDown);
        pools.forEach((vs, byNode) -> copy.pools.put(vs, new TreeMap<>(byNode)));
        distinct.forEach((vs, counts) -> copy.distinct.put(vs, new HashMap<>(counts)));
        copy.disagreeingSince.putAll(disagreeingSince);
        copy.disagreeingNodes.putAll(disagreeingNodes);
        return copy;
    }

    /** Writes the state (not {@code found}) for {@link #PoolIncidents(ForensicsSettings, FoldState.Reader, Consumer)}. */
    void save(FoldState.Writer out) throws IOException {
        out.count(pendingDown.size());
        for (Map.Entry<String, EventRecord> down : pendingDown.entrySet()) {
            out.text(down.getKey());
            out.record(down.getValue());
        }
        out.count(pools.size());
        for (Map.Entry<String, Map<String, TreeSet<String>>> vs : pools.entrySet()) {
            out.text(vs.getKey());
            out.count(vs.getValue().size());
            for (Map.Entry<String, TreeSet<String>> node : vs.getValue().entrySet()) {
                out.text(node.getKey());
                out.texts(node.getValue());
            }
        }
        out.count(distinct.size());
        for (Map.Entry<String, Map<TreeSet<String>, Integer>> vs : distinct.entrySet()) {
            out.text(vs.getKey());
            out.count(vs.getValue().size());
            for (Map.Entry<TreeSet<String>, Integer> pool : vs.getValue().entrySet()) {
                out.texts(pool.getKey());
                out.count(pool.getValue());
            }
        }
        out.count(disagreeingSince.size());
        for (Map.Entry<String, EventRecord> since : disagreeingSince.entrySet()) {
            out.text(since.getKey());
            out.record(since.getValue());
        }
        out.count(disagreeingNodes.size());
        for (Map.Entry<String, List<String>> nodes : disagreeingNodes.entrySet()) {
            out.text(nodes.getKey());
            out.texts(nodes.getValue());
        }
    }

    /** The state {@link #save} wrote, its incidents to {@code found}. */
    PoolIncidents(ForensicsSettings settings, FoldState.Reader in, Consumer<IncidentSweep.Found> found)
            throws IOException {
        this(settings, found);
        int count = in.count();
        for (int i = 0; i < count; i++) {
            pendingDown.put(in.text(), in.record());
        }
        count = in.count();
        for (int i = 0; i < count; i++) {
            Map<String, TreeSet<String>> byNode = new TreeMap<>();
            String vs = in.text();
            int nodes = in.count();
            for (int k = 0; k < nodes; k++) {
                byNode.put(in.text(), new TreeSet<>(in.texts()));
            }
            pools.put(vs, byNode);
        }
        count = in.count();
        for (int i = 0; i < count; i++) {
            Map<TreeSet<String>, Integer> counts = new HashMap<>();
            String vs = in.text();
            int kinds = in.count();
            for (int k = 0; k < kinds; k++) {
                counts.put(new TreeSet<>(in.texts()), in.signed());
            }
            distinct.put(vs, counts);
        }
        count = in.count();
        for (int i = 0; i < count; i++) {
            disagreeingSince.put(in.text(), in.record());
        }
        count = in.count();
        for (int i = 0; i < count; i++) {
            disagreeingNodes.put(in.text(), List.copyOf(in.texts()));
        }
    }

    /** The next record in {@link MergedJournals#ORDER}. */
    void accept(EventRecord record) {
        String node = record.node();
        if (record.event() instanceof Event.RealServerDown down) {
            pendingDown.putIfAbsent(node + "|" + down.virtualServer() + "|" + down.realServer(), record);
        } else if (record.event() instanceof Event.RealServerUp up) {
            pendingDown.remove(node + "|" + up.virtualServer() + "|" + up.realServer());
        } else if (record.event() instanceof Event.PoolChanged pool) {
            TreeSet<String> serving = pool.members().stream().filter(m -> m.weight() > 0 && !m.sorry())
                    .map(Event.PoolMemberEntry::endpoint).collect(Collectors.toCollection(TreeSet::new));
            closeHeldFailures(record, pool.virtualServer(), serving);
            setPool(record, pool.virtualServer(), serving);
        } else if (record.event() instanceof Event.AgentStopped) {
            for (String vs : pools.keySet()) {
                setPool(record, vs, null);
            }
            pendingDown.keySet().removeIf(key -> key.startsWith(node + "|"));
        }
    }

    private void closeHeldFailures(EventRecord poolRecord, String vs, TreeSet<String> serving) {
        String prefix = poolRecord.node() + "|" + vs + "|";
        var entries = pendingDown.entrySet().iterator();
        while (entries.hasNext()) {
            var entry = entries.next();
            if (entry.getKey().startsWith(prefix) && !serving.contains(entry.getKey().substring(prefix.length()))) {
                heldFailure(entry.getValue(), poolRecord, MergedJournals.timeMicros(poolRecord), "left the pool");
                entries.remove();
            }
        }
    }

    private void heldFailure(EventRecord downRecord, EventRecord closing, long end, String how) {
        Event.RealServerDown down = (Event.RealServerDown) downRecord.event();
        long start = MergedJournals.timeMicros(downRecord);
        long length = Math.max(0, end - start);
        Event.CheckEvidence evidence = down.evidence();
        String summary = downRecord.node() + " kept " + down.realServer() + " in the pool of " + down.virtualServer()
                + " for " + Times.duration(length) + " after its checks failed (" + evidence.checker() + ": "
                + evidence.detail() + ", " + evidence.consecutive() + " in a row), then it " + how;
        List<String> notes = List.of("detection latency is measured from the RealServerDown: the evidence carries "
                + "no time for the first failed check, which came " + evidence.consecutive() + " checks earlier");
        List<CauseStep> causes = closing == null ? List.of(EventText.step(downRecord))
                : List.of(EventText.step(downRecord), EventText.step(closing));
        found.accept(new IncidentSweep.Found(new Incident(IncidentKind.POOL_HELD_FAILED_SERVER, start, start + length,
                length, length, List.of(downRecord.node()), "", 0, down.virtualServer(), summary, causes, notes),
                null));
    }

    /** Sets (or with null removes) the node's pool of {@code vs}, opening or closing a disagreement. */
    private void setPool(EventRecord record, String vs, TreeSet<String> serving) {
        Map<String, TreeSet<String>> byNode = pools.computeIfAbsent(vs, k -> new TreeMap<>());
        Map<TreeSet<String>, Integer> counts = distinct.computeIfAbsent(vs, k -> new HashMap<>());
        TreeSet<String> before = serving == null ? byNode.remove(record.node()) : byNode.put(record.node(), serving);
        if (before != null) {
            counts.computeIfPresent(before, (k, n) -> n == 1 ? null : n - 1);
        }
        if (serving != null) {
            counts.merge(serving, 1, Integer::sum);
        }
        EventRecord since = disagreeingSince.get(vs);
        if (counts.size() > 1 && since == null) {
            disagreeingSince.put(vs, record);
            disagreeingNodes.put(vs, List.copyOf(byNode.keySet()));
        } else if (counts.size() <= 1 && since != null) {
            disagreeingSince.remove(vs);
            disagreement(vs, disagreeingNodes.remove(vs), since, record, MergedJournals.timeMicros(record));
        }
    }

    private void disagreement(String vs, List<String> nodes, EventRecord opening, EventRecord closing, long end) {
        long start = MergedJournals.timeMicros(opening);
        long length = Math.max(0, end - start);
        long skew = settings.clockUncertaintyMicros();
        String summary = "directors' pools of " + vs + " differed for " + Times.duration(length)
                + " (a fail-over then would have changed who serves)";
        List<CauseStep> causes = closing == null ? List.of(EventText.step(opening))
                : List.of(EventText.step(opening), EventText.step(closing));
        List<String> notes = List.of("each director checks on its own: pools differ for up to one check cycle while "
                + "they detect the same change; longer means they see the real servers differently");
        found.accept(new IncidentSweep.Found(new Incident(IncidentKind.POOL_DISAGREEMENT, start, start + length,
                Math.max(0, length - skew), length + skew, nodes, "", 0,
                vs, summary, causes, notes), null));
    }

    /** The journals ended at {@code endOfJournals}: what is still open closes there. */
    void closeOpen(long endOfJournals) {
        pendingDown.values().forEach(down -> heldFailure(down, null, Math.max(endOfJournals,
                MergedJournals.timeMicros(down)), "was still there at the end of the journals"));
        disagreeingSince.forEach((vs, since) -> disagreement(vs, disagreeingNodes.get(vs), since, null,
                Math.max(endOfJournals, MergedJournals.timeMicros(since))));
    }
}
