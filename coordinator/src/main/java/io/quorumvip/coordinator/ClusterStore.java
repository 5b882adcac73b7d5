package io.quorumvip.coordinator;

import io.quorumvip.events.EventRecord;
import io.quorumvip.forensics.MergedJournals;
import io.quorumvip.replay.ClusterView;
import io.quorumvip.replay.NodeView;
import io.quorumvip.replay.ReplayState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every node's archive under {@code <data>/nodes/<node>/}, plus the live cluster state folded from them. The
 * archives are the store: queries read records back from their files through each archive's index, so memory holds
 * the index, the live fold and its checkpoints, not the records. One lock for everything: an ingest's fsync holds
 * queries and other nodes' ingests for its duration, which is simple and enough for a cluster of a few agents.
 * Each node's index and fold are saved as its {@link RecoveryState} (every {@value #SAVE_EVERY} records and at
 * close), so a restart reads only the records stored after the saved state.
 */
final class ClusterStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterStore.class);

    private final Path nodesDir;
    private final LongSupplier wallMicros;
    private final long saveEvery;
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
    /**
     * A node's recovery state is saved whenever this many of its records were stored since the last save (and at
     * close), so a restart after a crash reads at most about this many records per node: a few seconds.
     */
    static final int SAVE_EVERY = 1_000_000;

    /** The state after a node's first {@code position} records, the last of which has stamp {@code hlc}. */
    record Checkpoint(long position, long hlc, ClusterView state) {
    }

    /** One node's fold and its checkpoints, in record order. */
    private static final class NodeFold {
        final ReplayState state;
        final List<Checkpoint> checkpoints;
        long applied;
        /** {@link #applied} when the recovery state was last saved. */
        long savedAt;
        /** Held while the recovery state is written: one writer per archive. */
        final Object saving = new Object();

        NodeFold() {
            this(new ReplayState(), new ArrayList<>(), 0);
        }

        private NodeFold(ReplayState state, List<Checkpoint> checkpoints, long applied) {
            this.state = state;
            this.checkpoints = checkpoints;
            this.applied = applied;
            this.savedAt = applied;
        }

        static NodeFold of(RecoveryState.Fold saved) {
            return new NodeFold(ReplayState.of(saved.state()), new ArrayList<>(saved.checkpoints()), saved.applied());
        }

        RecoveryState.Fold saved() {
            savedAt = applied;
            return new RecoveryState.Fold(applied, state.view(), List.copyOf(checkpoints));
        }

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

    private ClusterStore(Path nodesDir, LongSupplier wallMicros, long saveEvery) {
        this.nodesDir = nodesDir;
        this.wallMicros = wallMicros;
        this.saveEvery = saveEvery;
    }

    /** Opens every node archive under {@code dataDir}, recovering what each had durably stored. */
    static ClusterStore open(Path dataDir, LongSupplier wallMicros) throws IOException {
        return open(dataDir, wallMicros, SAVE_EVERY);
    }

    /**
     * {@link #open(Path, LongSupplier)}, saving a node's recovery state whenever {@code saveEvery} of its records were
     * stored since the last save: what a restart after a crash reads at most per node.
     */
    static ClusterStore open(Path dataDir, LongSupplier wallMicros, long saveEvery) throws IOException {
        if (saveEvery < 1) {
            throw new IllegalArgumentException("saveEvery got " + saveEvery + " (expected at least 1 record)");
        }
        ClusterStore store = new ClusterStore(dataDir.resolve("nodes"), wallMicros, saveEvery);
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
            Map<String, Future<Opened>> opening = new TreeMap<>();
            for (Path dir : dirs) {
                String node = dir.getFileName().toString();
                opening.put(node, readers.submit(() -> openNode(dir, node, wallMicros)));
            }
            for (Map.Entry<String, Future<Opened>> entry : opening.entrySet()) {
                try {
                    Opened opened = entry.getValue().get();
                    store.archives.put(entry.getKey(), opened.archive());
                    store.folds.put(entry.getKey(), opened.fold());
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

    private record Opened(NodeArchive archive, NodeFold fold) {
    }

    /**
     * Opens one node's archive from its saved recovery state, checking and folding only the records stored after
     * it; without a usable state (none, stale, damaged, another node's), from the start, as the log line says.
     */
    private static Opened openNode(Path dir, String node, LongSupplier wallMicros) throws IOException {
        String why;
        boolean unusable = false;
        try {
            RecoveryState saved = RecoveryState.load(dir, node);
            NodeFold fold = NodeFold.of(saved.fold());
            NodeArchive archive = NodeArchive.resume(dir, node, wallMicros, saved.archive(), fold::apply);
            log.info("archive of node {}: resumed from its saved state at seq {}; checked and folded the {} records after it",
                    node, saved.archive().resume().lastSeq(), archive.lastSeq() - saved.archive().resume().lastSeq());
            return new Opened(archive, fold);
        } catch (NoSuchFileException e) {
            why = "no saved state in " + RecoveryState.file(dir);
        } catch (IOException | RuntimeException e) {
            why = "saved state not used: " + e.getMessage();
            unusable = true;
        }
        NodeFold fold = new NodeFold();
        NodeArchive archive = NodeArchive.open(dir, node, wallMicros, fold::apply);
        if (unusable) {
            log.warn("archive of node {}: read and checked whole ({} records), {}", node, archive.count(), why);
        } else {
            log.info("archive of node {}: read and checked whole ({} records), {}", node, archive.count(), why);
        }
        return new Opened(archive, fold);
    }

    /**
     * Stores what continues {@code node}'s chain. The caller has checked that every record is of {@code node}.
     *
     * @throws IOException when the records could not be made durable (none of them counts as stored)
     */
    IngestOutcome ingest(String node, List<ReceivedRecord> batch) throws IOException {
        IngestOutcome outcome;
        NodeFold fold;
        Optional<RecoveryState> due = Optional.empty();
        synchronized (this) {
            NodeArchive archive = archives.get(node);
            if (archive == null) {
                archive = NodeArchive.open(nodesDir.resolve(node), node, wallMicros, record -> { });
                archives.put(node, archive);
            }
            fold = folds.computeIfAbsent(node, n -> new NodeFold());
            List<EventRecord> stored = new ArrayList<>();
            NodeFold folding = fold;
            outcome = archive.append(batch, record -> {
                folding.apply(record);
                stored.add(record);
            });
            if (!stored.isEmpty()) {
                listeners.forEach(listener -> listener.accept(stored));
            }
            if (fold.applied - fold.savedAt >= saveEvery) {
                due = recoveryState(node);
            }
        }
        // Written outside the lock: ingest and queries go on while it is written (it is taken whole under the lock).
        if (due.isPresent()) {
            save(due.get(), fold);
        }
        return outcome;
    }

    /** The node's recovery state as stored now; empty when nothing is stored. Called under the lock. */
    private Optional<RecoveryState> recoveryState(String node) {
        return archives.get(node).saved().map(archive ->
                new RecoveryState(RecoveryState.SCHEMA, node, archive, folds.get(node).saved()));
    }

    private void save(RecoveryState state, NodeFold fold) {
        synchronized (fold.saving) {
            try {
                state.save(nodesDir.resolve(state.node()));
            } catch (IOException | RuntimeException e) {
                log.warn("saving the recovery state of node {} failed: {} (a restart reads the archive after the last"
                        + " saved state, or whole)", state.node(), e.toString());
            }
        }
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
     * Brings the incident fold's {@code readers} to the end stored now: a node's reader read to its end goes on from
     * where it is ({@code positions.get(node)} records read), a node that had none gets one; a reader with records
     * left is kept as it is.
     */
    synchronized void follow(Map<String, NodeArchive.Records> readers, Map<String, Long> positions) {
        archives.forEach((node, archive) -> {
            NodeArchive.Records reader = readers.get(node);
            long position = positions.getOrDefault(node, 0L);
            if (archive.count() == 0 || (reader != null && reader.hasNext())) {
                return;
            }
            readers.put(node, reader == null ? archive.from(position) : archive.extend(reader, position));
        });
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

    /** Saves every node's recovery state, then closes the archives. */
    @Override
    public synchronized void close() throws IOException {
        archives.keySet().forEach(node -> recoveryState(node).ifPresent(state -> save(state, folds.get(node))));
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
