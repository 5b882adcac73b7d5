package io.quorumvip.coordinator;

import io.quorumvip.events.EventRecord;
import io.quorumvip.forensics.MergedJournals;
import io.quorumvip.replay.ClusterView;
import io.quorumvip.replay.NodeView;
import io.quorumvip.replay.ReplayState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Every node's archive under {@code <data>/nodes/<node>/}, plus the live cluster state folded from them. The
 * archives are the store: queries read records back from their files through each archive's index, so memory holds
 * the index, the live fold and its checkpoints, not the records. One lock for everything: an ingest's fsync holds
 * queries and other nodes' ingests for its duration, which is simple and enough for a cluster of a few agents.
 */
final class ClusterStore implements AutoCloseable {

    private final Path nodesDir;
    private final LongSupplier wallMicros;
    private final Map<String, NodeArchive> archives = new TreeMap<>();
    /**
     * Each node's own fold, checkpointed every {@link #CHECKPOINT_EVERY} records for {@link #stateAt}. The replay
     * fold keeps each node apart, so together they are the cluster's state: no second fold over all records.
     */
    private final Map<String, NodeFold> folds = new TreeMap<>();
    /** Told of newly stored records under the lock, so each sees every record once, in the order stored. */
    private final List<Consumer<List<EventRecord>>> listeners = new CopyOnWriteArrayList<>();

    /** How many records {@link #stateAt} folds per node at most, under the lock: a few milliseconds. */
    static final int CHECKPOINT_EVERY = 4096;

    /** The state after a node's first {@code position} records, the last of which has stamp {@code hlc}. */
    private record Checkpoint(long position, long hlc, ClusterView state) {
    }

    /** One node's fold and its checkpoints, in record order. */
    private static final class NodeFold {
        final ReplayState state = new ReplayState();
        final List<Checkpoint> checkpoints = new ArrayList<>();
        long applied;

        void apply(EventRecord record) {
            state.apply(record);
            if (++applied % CHECKPOINT_EVERY == 0) {
                checkpoints.add(new Checkpoint(applied, record.hlc(), state.view()));
            }
        }

        /** The last checkpoint at or before {@code hlcLimit}, by binary search. */
        Optional<Checkpoint> before(long hlcLimit) {
            int low = 0;
            int high = checkpoints.size();
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (checkpoints.get(middle).hlc() <= hlcLimit) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low == 0 ? Optional.empty() : Optional.of(checkpoints.get(low - 1));
        }
    }

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
        // Each node's archive is read and folded on its own (the folds are per node): the nodes in parallel.
        ExecutorService readers = Executors.newFixedThreadPool(
                Math.max(1, Math.min(dirs.size(), Runtime.getRuntime().availableProcessors())));
        Throwable failure = null;
        try {
            Map<String, Future<NodeArchive>> opening = new TreeMap<>();
            for (Path dir : dirs) {
                String node = dir.getFileName().toString();
                NodeFold fold = new NodeFold();
                store.folds.put(node, fold);
                opening.put(node, readers.submit(() -> NodeArchive.open(dir, node, wallMicros, fold::apply)));
            }
            for (Map.Entry<String, Future<NodeArchive>> entry : opening.entrySet()) {
                try {
                    store.archives.put(entry.getKey(), entry.getValue().get());
                } catch (ExecutionException e) {
                    failure = failure == null ? e.getCause() : failure;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new IOException("opening the archives in " + store.nodesDir + " was interrupted", e);
        } finally {
            readers.shutdownNow();
        }
        if (failure != null) {
            store.close();
            if (failure instanceof IOException io) {
                throw io;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) failure;
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
            archive = NodeArchive.open(nodesDir.resolve(node), node, wallMicros, record -> { });
            archives.put(node, archive);
        }
        NodeFold fold = folds.computeIfAbsent(node, n -> new NodeFold());
        List<EventRecord> stored = new ArrayList<>();
        IngestOutcome outcome = archive.append(batch, record -> {
            fold.apply(record);
            stored.add(record);
        });
        if (!stored.isEmpty()) {
            listeners.forEach(listener -> listener.accept(stored));
        }
        return outcome;
    }

    /**
     * Hands {@code listener} the records after {@code after} (all when empty) and then every record stored from now
     * on, with nothing lost or doubled between the two. When more than {@code maxBacklog} records are due, it gets
     * only the first {@code maxBacklog} and is not registered: the caller sends those and lets the client come back
     * for the rest. The listener is called under the store's lock: it must only hand the records on.
     *
     * @return whether the listener is registered for records stored from now on
     */
    synchronized boolean subscribe(Optional<EventCursor> after, int maxBacklog, Consumer<List<EventRecord>> listener) {
        List<EventRecord> backlog = after.isEmpty() ? List.of() : events(after, maxBacklog + 1);
        if (backlog.size() > maxBacklog) {
            listener.accept(backlog.subList(0, maxBacklog));
            return false;
        }
        if (!backlog.isEmpty()) {
            listener.accept(backlog);
        }
        listeners.add(listener);
        return true;
    }

    /** Stops telling {@code listener} of new records; takes no lock, so the event loop may call it. */
    void unsubscribe(Consumer<List<EventRecord>> listener) {
        listeners.remove(listener);
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
        return events(after, limit, record -> true, Integer.MAX_VALUE).records();
    }

    /**
     * A page of the records {@code wanted} among those after {@code after}: where reading stopped (the last record
     * read, kept when none was), and whether records remain after it.
     */
    record Page(List<EventRecord> records, Optional<EventCursor> next, boolean more) {
    }

    /**
     * Up to {@code limit} of the records {@code wanted} after {@code after}, in merged order, reading at most
     * {@code readLimit} records: a filter that matches little must not hold the lock while it reads the whole archive,
     * so the page may come back short with {@code more} set, and the client goes on from its {@code next}.
     */
    synchronized Page events(Optional<EventCursor> after, int limit, Predicate<EventRecord> wanted, int readLimit) {
        List<NodeArchive.Records> heads = new ArrayList<>();
        for (NodeArchive archive : archives.values()) {
            heads.add(after.map(archive::after).orElseGet(() -> archive.from(0)));
        }
        List<EventRecord> page = new ArrayList<>();
        EventRecord last = null;
        int read = 0;
        while (page.size() < limit && read < readLimit) {
            NodeArchive.Records best = null;
            for (NodeArchive.Records head : heads) {
                if (head.hasNext() && (best == null || MergedJournals.ORDER.compare(head.peek(), best.peek()) < 0)) {
                    best = head;
                }
            }
            if (best == null) {
                break;
            }
            last = best.next();
            read++;
            if (wanted.test(last)) {
                page.add(last);
            }
        }
        boolean more = heads.stream().anyMatch(NodeArchive.Records::hasNext);
        return new Page(page, last == null ? after : Optional.of(EventCursor.after(last)), more);
    }

    /** How many records are stored in all: changes whenever something new is stored. */
    synchronized long version() {
        return archives.values().stream().mapToLong(NodeArchive::count).sum();
    }

    /** The state of every node and instance after everything stored. */
    synchronized ClusterView cluster() {
        Map<String, NodeView> nodes = new TreeMap<>();
        folds.values().forEach(fold -> nodes.putAll(fold.state.view().nodes()));
        return new ClusterView(nodes);
    }

    /**
     * The state after every record with {@code hlc <= hlcLimit}: per node, from the last checkpoint before it, so
     * at most {@link #CHECKPOINT_EVERY} records per node are folded. Only finding the checkpoints and where to read
     * from holds the lock; the records are read and folded outside it, so ingest does not wait for them.
     */
    ClusterView stateAt(long hlcLimit) {
        List<Start> starts = new ArrayList<>();
        synchronized (this) {
            archives.forEach((node, archive) -> {
                Optional<Checkpoint> checkpoint = folds.get(node).before(hlcLimit);
                starts.add(new Start(checkpoint.map(Checkpoint::state),
                        archive.from(checkpoint.map(Checkpoint::position).orElse(0L))));
            });
        }
        Map<String, NodeView> nodes = new TreeMap<>();
        for (Start start : starts) {
            ReplayState state = start.checkpoint().map(ReplayState::of).orElseGet(ReplayState::new);
            while (start.records().hasNext() && start.records().peek().hlc() <= hlcLimit) {
                state.apply(start.records().next());
            }
            nodes.putAll(state.view().nodes());
        }
        return new ClusterView(nodes);
    }

    /** Where one node's fold for {@link #stateAt} starts: a checkpoint's state (none: the start), the records after. */
    private record Start(Optional<ClusterView> checkpoint, NodeArchive.Records records) {
    }

    /**
     * Every node's records as stored now, each a reader in HLC order for forensics to read outside the lock (records
     * stored later are not in it), and the version they are of. Each reader reads through a channel of its own
     * ({@link NodeArchive#readerOfItsOwn}), so a job cancelled by an interrupt cannot close the archives' channels:
     * close the snapshot after use.
     */
    synchronized Snapshot snapshot() throws IOException {
        Map<String, NodeArchive.Records> journals = new TreeMap<>();
        try {
            for (Map.Entry<String, NodeArchive> entry : archives.entrySet()) {
                journals.put(entry.getKey(), entry.getValue().readerOfItsOwn());
            }
        } catch (IOException e) {
            new Snapshot(0, journals).close();
            throw e;
        }
        return new Snapshot(version(), journals);
    }

    /**
     * For each node that stored records, a reader of those after its first {@code positions.get(node)} (0 when absent),
     * to the end stored now: for the incident fold, which follows the archives.
     */
    synchronized Map<String, NodeArchive.Records> readers(Map<String, Long> positions) {
        Map<String, NodeArchive.Records> readers = new TreeMap<>();
        archives.forEach((node, archive) -> {
            if (archive.count() > 0) {
                readers.put(node, archive.from(positions.getOrDefault(node, 0L)));
            }
        });
        return readers;
    }

    /** The stored records of every node at one {@link #version()}. */
    record Snapshot(long version, Map<String, NodeArchive.Records> journals) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            for (NodeArchive.Records records : journals.values()) {
                records.close();
            }
        }
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
