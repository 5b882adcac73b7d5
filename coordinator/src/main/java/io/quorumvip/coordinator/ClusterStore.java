package io.quorumvip.coordinator;

import io.quorumvip.events.EventRecord;
import io.quorumvip.forensics.MergedJournals;
import io.quorumvip.replay.ClusterView;
import io.quorumvip.replay.ReplayState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Every node's archive under {@code <data>/nodes/<node>/}, plus the live cluster state folded from them. All
 * records are also held in memory for the query API (about a few hundred bytes each). One lock for everything: an
 * ingest's fsync holds queries and other nodes' ingests for its duration, which is simple and enough for a cluster
 * of a few agents.
 */
final class ClusterStore implements AutoCloseable {

    private final Path nodesDir;
    private final LongSupplier wallMicros;
    private final Map<String, NodeArchive> archives = new TreeMap<>();
    private final ReplayState live = new ReplayState();

    private ClusterStore(Path nodesDir, LongSupplier wallMicros) {
        this.nodesDir = nodesDir;
        this.wallMicros = wallMicros;
    }

    /** Opens every node archive under {@code dataDir}, recovering what each had durably stored. */
    static ClusterStore open(Path dataDir, LongSupplier wallMicros) throws IOException {
        ClusterStore store = new ClusterStore(dataDir.resolve("nodes"), wallMicros);
        Files.createDirectories(store.nodesDir);
        List<Path> dirs;
        try (Stream<Path> list = Files.list(store.nodesDir)) {
            dirs = list.filter(Files::isDirectory).sorted().toList();
        }
        try {
            for (Path dir : dirs) {
                String node = dir.getFileName().toString();
                NodeArchive archive = NodeArchive.open(dir, node, wallMicros);
                store.archives.put(node, archive);
                archive.records().forEach(store.live::apply);
            }
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /**
     * Stores what continues {@code node}'s chain. The caller has checked that every record is of {@code node}.
     *
     * @throws IOException when the records could not be made durable (none of them counts as stored)
     */
    synchronized IngestOutcome ingest(String node, List<ReceivedRecord> batch) throws IOException {
        NodeArchive archive = archives.get(node);
        if (archive == null) {
            archive = NodeArchive.open(nodesDir.resolve(node), node, wallMicros);
            archives.put(node, archive);
        }
        int before = archive.records().size();
        IngestOutcome outcome = archive.append(batch);
        archive.records().subList(before, archive.records().size()).forEach(live::apply);
        return outcome;
    }

    /** The highest sequence durably stored for {@code node}, 0 when none is. */
    synchronized long ackedSeq(String node) {
        NodeArchive archive = archives.get(node);
        return archive == null ? 0 : archive.lastSeq();
    }

    /**
     * Up to {@code limit} records after {@code after} (from the start when empty), merged across nodes in
     * {@link MergedJournals#ORDER}.
     */
    synchronized List<EventRecord> events(Optional<EventCursor> after, int limit) {
        List<List<EventRecord>> lists = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (NodeArchive archive : archives.values()) {
            List<EventRecord> records = archive.records();
            lists.add(records);
            positions.add(after.map(cursor -> firstAfter(records, cursor)).orElse(0));
        }
        List<EventRecord> page = new ArrayList<>();
        while (page.size() < limit) {
            int best = -1;
            for (int i = 0; i < lists.size(); i++) {
                if (positions.get(i) < lists.get(i).size() && (best < 0
                        || MergedJournals.ORDER.compare(lists.get(i).get(positions.get(i)), lists.get(best).get(positions.get(best))) < 0)) {
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            page.add(lists.get(best).get(positions.get(best)));
            positions.set(best, positions.get(best) + 1);
        }
        return page;
    }

    /** Binary search: one node's records are in HLC order, so those after the cursor are a suffix. */
    private static int firstAfter(List<EventRecord> records, EventCursor cursor) {
        int low = 0;
        int high = records.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (cursor.isBefore(records.get(middle))) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }

    /** The state of every node and instance after everything stored. */
    synchronized ClusterView cluster() {
        return live.view();
    }

    /** The state after every record with {@code hlc <= hlcLimit}. */
    synchronized ClusterView stateAt(long hlcLimit) {
        ReplayState state = new ReplayState();
        for (NodeArchive archive : archives.values()) {
            for (EventRecord record : archive.records()) {
                if (record.hlc() > hlcLimit) {
                    break;
                }
                state.apply(record);
            }
        }
        return state.view();
    }

    /** A copy of every node's records, for forensics to work on outside the lock. */
    synchronized List<List<EventRecord>> journals() {
        return archives.values().stream().map(archive -> List.copyOf(archive.records())).toList();
    }

    @Override
    public synchronized void close() throws IOException {
        IOException failure = null;
        for (NodeArchive archive : archives.values()) {
            try {
                archive.close();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        archives.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
