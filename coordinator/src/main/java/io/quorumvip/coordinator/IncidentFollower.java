package io.quorumvip.coordinator;

import io.quorumvip.events.EventRecord;
import io.quorumvip.forensics.Forensics;
import io.quorumvip.forensics.ForensicsSettings;
import io.quorumvip.forensics.Incident;
import io.quorumvip.forensics.IncidentFold;
import io.quorumvip.forensics.Interval;
import io.quorumvip.forensics.IntervalRow;
import io.quorumvip.forensics.MergedJournals;
import io.quorumvip.journal.EventCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The incident fold ({@link IncidentFold}, no window) run over the archives as they grow, on a thread of its own: it
 * reads each node's archive from where it stopped, folds the records in the merge order, and appends what becomes
 * final to the {@link IncidentStore}; a window's report ({@link #window}) is then the stored entries that touch the
 * window plus the fold's tail over what is not final or not read yet. It follows the archives rather than taking
 * records from ingest, so it never holds records in memory: those not folded yet stay in the archives.
 *
 * <p>A record can be folded once every node has a record at or after it. A node with nothing unread holds the fold
 * while the others' records wait, up to {@link #LAG_BOUND} of the coordinator's time; then it counts as lagging and
 * the fold goes on without it (its records the others' were folded past would be older than the fold). When a
 * lagging node ships again, its records that come after the fold's place are folded as usual; one that comes
 * before it (the node shipped a backlog late) cannot be placed, and the fold starts again from the beginning of the
 * archives (a refold: about 6 s per million records on this machine). Until the fold is near the end of the archives
 * ({@link #TAIL_LIMIT}), windows are left to the batch analysis.
 *
 * <p>The fold's state is saved in {@value #STATE_FILE} beside the store's files ({@link SavedFile}: version and
 * checksum) every {@value #SAVE_EVERY} records folded and when the coordinator stops: the fold ({@link
 * IncidentFold#save}), how far it read each node's archive with the last record it folded of each (seq, HLC and chain
 * hash), and how far the store's files went. A coordinator that starts resumes from it when everything still agrees
 * (each archive holds that record at that place; the store's files hold at least what the state covers, cut back to
 * it), else it logs why and folds the archives from the beginning. Memory: the fold's state (what is open and the
 * records of the chain window), not the history.
 */
final class IncidentFollower implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IncidentFollower.class);

    /** How long a node with nothing unread may hold the others' records before the fold goes on without it. */
    static final Duration LAG_BOUND = Duration.ofSeconds(10);
    /** Records folded per turn of the fold's thread: a window asked meanwhile waits for at most one turn. */
    static final int STEP = 4096;
    /** Unread records beyond which a window is left to the batch analysis: the tail would read them all. */
    static final long TAIL_LIMIT = 200_000;
    /** The fold's state is saved whenever this many records were folded since the last save (and at close). */
    static final long SAVE_EVERY = 1_000_000;
    static final String STATE_FILE = "fold-state.bin";
    private static final byte[] MAGIC = {'Q', 'V', 'I', 'F'};
    private static final int SCHEMA = 1;

    /**
     * How far the fold is, for {@code /v1/forensics/fold}: records folded and not yet, the nodes it waits for (silent
     * for less than {@link #LAG_BOUND}) and those it went on without, how often it started again, what it stored.
     */
    record Status(long folded, long unread, Set<String> waitingFor, Set<String> lagging, long refolds, long intervals,
                  long incidents, Optional<String> failure) {
    }

    /** What a window's report needs: the settled entries to read, the tail's entries in the window, the summary. */
    record Window(IncidentStore.View settled, List<IntervalRow> tailIntervals, List<Incident> tailIncidents,
                  Forensics.Summary whole) {
    }

    private final ClusterStore store;
    private final IncidentStore settled;
    private final LongSupplier nanos;
    private final Path stateFile;
    private final long saveEvery;
    private final ScheduledThreadPoolExecutor thread = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "qvip-incident-fold");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean stepQueued = new AtomicBoolean();
    private final Consumer<List<EventRecord>> wake = records -> wake();
    /** Per node: how many of its archive's records were folded. Only the fold's thread uses the fields below. */
    private final Map<String, Long> positions = new TreeMap<>();
    /** Per node: the reader of its archive at its position, kept from turn to turn and extended as records arrive. */
    private final Map<String, NodeArchive.Records> readers = new TreeMap<>();
    /** Per node: the last of its records folded, which a saved state names to check the archive still holds it. */
    private final Map<String, EventRecord> lastOfNode = new TreeMap<>();
    /** Per node with nothing unread while others had: since when (the {@link #nanos} clock). */
    private final Map<String, Long> silentSince = new TreeMap<>();
    private final Set<String> lagging = new TreeSet<>();
    private final Set<String> waitingFor = new TreeSet<>();
    private IncidentFold fold;
    private EventRecord lastFolded;
    private long folded;
    private long refolds;
    private long savedAt;
    private volatile Status status = new Status(0, 0, Set.of(), Set.of(), 0, 0, 0, Optional.empty());

    private IncidentFollower(ClusterStore store, IncidentStore settled, LongSupplier nanos, Path stateFile,
                             long saveEvery) {
        this.store = store;
        this.settled = settled;
        this.nanos = nanos;
        this.stateFile = stateFile;
        this.saveEvery = saveEvery;
        this.fold = newFold();
        // A turn waiting for a silent node's bound must not hold up close, which saves the state after the last turn.
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Starts following {@code store}, keeping the settled results in {@code dir}: from the state saved there when it
     * still agrees with the archives and the store's files, else from the beginning (the files emptied).
     */
    static IncidentFollower start(ClusterStore store, Path dir, LongSupplier nanos) throws IOException {
        return start(store, dir, nanos, SAVE_EVERY);
    }

    /** {@link #start(ClusterStore, Path, LongSupplier)}, saving the state every {@code saveEvery} records folded. */
    static IncidentFollower start(ClusterStore store, Path dir, LongSupplier nanos, long saveEvery)
            throws IOException {
        if (saveEvery < 1) {
            throw new IllegalArgumentException("saveEvery got " + saveEvery + " (expected at least 1 record)");
        }
        Path file = dir.resolve(STATE_FILE);
        IncidentFollower follower;
        try {
            follower = resume(store, dir, nanos, file, saveEvery);
            log.info("incident fold: resumed from {} at {} records folded; {} stored records to fold after them",
                    file, follower.folded, store.version() - follower.folded);
        } catch (IOException | RuntimeException e) {
            if (e instanceof NoSuchFileException missing && file.toString().equals(missing.getFile())) {
                log.info("incident fold: folding the {} stored records from the beginning (no saved state in {})",
                        store.version(), file);
            } else {
                log.warn("incident fold: folding the {} stored records from the beginning (saved state not used: {})",
                        store.version(), e.getMessage());
            }
            Files.deleteIfExists(file);
            follower = new IncidentFollower(store, new IncidentStore(dir), nanos, file, saveEvery);
        }
        store.subscribe(Optional.empty(), 0, follower.wake);
        follower.wake();
        return follower;
    }

    /** The follower as {@link #save} left it, once every part of the saved state agrees with what is on disk. */
    private static IncidentFollower resume(ClusterStore store, Path dir, LongSupplier nanos, Path file,
                                           long saveEvery) throws IOException {
        byte[] body = SavedFile.read(file, MAGIC, SCHEMA);
        EventCodec codec = new EventCodec();
        Map<String, Long> positions = new TreeMap<>();
        Map<String, EventRecord> lastOfNode = new TreeMap<>();
        IncidentStore.View view;
        byte[] foldState;
        EventRecord lastFolded;
        long folded;
        long refolds;
        Set<String> lagging = new TreeSet<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
            int nodes = in.readInt();
            for (int i = 0; i < nodes; i++) {
                String node = in.readUTF();
                positions.put(node, in.readLong());
                lastOfNode.put(node, record(in, codec));
            }
            lastFolded = record(in, codec);
            folded = in.readLong();
            refolds = in.readLong();
            int laggingNodes = in.readInt();
            for (int i = 0; i < laggingNodes; i++) {
                lagging.add(in.readUTF());
            }
            view = IncidentStore.readView(in, dir);
            foldState = new byte[in.readInt()];
            in.readFully(foldState);
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": body does not decode: " + e.getMessage(), e);
        }
        long sum = positions.values().stream().mapToLong(Long::longValue).sum();
        if (sum != folded) {
            throw new IOException(file + ": the positions add up to " + sum + " records (expected the " + folded
                    + " folded)");
        }
        for (Map.Entry<String, Long> entry : positions.entrySet()) {
            checkArchive(store, entry.getKey(), entry.getValue(), lastOfNode.get(entry.getKey()));
        }
        IncidentStore settled = IncidentStore.resume(dir, view);
        IncidentFollower follower = new IncidentFollower(store, settled, nanos, file, saveEvery);
        try {
            follower.fold = IncidentFold.restore(foldState, ForensicsSettings.DEFAULT, follower.listener());
        } catch (IOException | RuntimeException e) {
            settled.close();
            throw e;
        }
        follower.positions.putAll(positions);
        follower.lastOfNode.putAll(lastOfNode);
        follower.lastFolded = lastFolded;
        follower.folded = folded;
        follower.refolds = refolds;
        follower.lagging.addAll(lagging);
        follower.savedAt = folded;
        follower.publish(Optional.empty());
        return follower;
    }

    /** That {@code node}'s archive holds {@code last}, the last record the fold read of it, at {@code position}. */
    private static void checkArchive(ClusterStore store, String node, long position, EventRecord last)
            throws IOException {
        if (position < 1 || last == null) {
            throw new IOException("the saved fold read " + position + " records of node " + node
                    + " (expected at least one, with the last of them)");
        }
        NodeArchive.Records records = store.readers(Map.of(node, position - 1)).get(node);
        if (records == null || !records.hasNext()) {
            throw new IOException("the saved fold read " + position + " records of node " + node + ", but its archive "
                    + (records == null ? "is gone" : "holds fewer"));
        }
        EventRecord stored = records.next();
        if (stored.seq() != last.seq() || stored.hlc() != last.hlc()
                || !stored.previousHash().equals(last.previousHash())) {
            throw new IOException("record " + position + " of node " + node + "'s archive is seq " + stored.seq()
                    + " (hlc " + stored.hlc() + "), not the seq " + last.seq() + " (hlc " + last.hlc()
                    + ") the saved fold read there: the archive was replaced");
        }
    }

    private static EventRecord record(DataInputStream in, EventCodec codec) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return codec.decode(bytes, 0, length);
    }

    private static void record(DataOutputStream out, EventRecord record) throws IOException {
        if (record == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = EventCodec.encode(record);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /**
     * Saves the fold's state between two turns: the store's files flushed first, so the state never covers entries
     * that are not on disk.
     */
    private void save() throws IOException {
        settled.flush();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(positions.size());
            for (Map.Entry<String, Long> entry : positions.entrySet()) {
                out.writeUTF(entry.getKey());
                out.writeLong(entry.getValue());
                record(out, lastOfNode.get(entry.getKey()));
            }
            record(out, lastFolded);
            out.writeLong(folded);
            out.writeLong(refolds);
            out.writeInt(lagging.size());
            for (String node : lagging) {
                out.writeUTF(node);
            }
            IncidentStore.writeView(out, settled.view());
            byte[] state = fold.save();
            out.writeInt(state.length);
            out.write(state);
        }
        SavedFile.write(stateFile, MAGIC, SCHEMA, bytes.toByteArray());
        savedAt = folded;
    }

    /**
     * The last turn's status, with what is unread counted against what is stored now: before the first turn (after a
     * restart, everything) and whatever was stored since the last turn is unread, not the 0 of a turn not yet run.
     */
    Status status() {
        Status last = status;
        return new Status(last.folded(), store.version() - last.folded(), last.waitingFor(), last.lagging(),
                last.refolds(), last.intervals(), last.incidents(), last.failure());
    }

    /**
     * What the report of {@code window} needs, taken on the fold's thread between two turns; empty when the fold is
     * too far behind the archives (more than {@link #TAIL_LIMIT} records unread) or failed.
     */
    CompletableFuture<Optional<Window>> window(ForensicsSettings window) {
        return CompletableFuture.supplyAsync(() -> {
            if (status.failure().isPresent() || unread() > TAIL_LIMIT) {
                return Optional.empty();
            }
            Map<String, NodeArchive.Records> unread = store.readers(positions);
            List<IntervalRow> intervals = new ArrayList<>();
            List<Incident> incidents = new ArrayList<>();
            Forensics.Summary whole = fold.tail(new ArrayList<>(unread.values()),
                    unread.keySet().stream().map(node -> "the archive of node " + node).toList(),
                    new Forensics.Listener() {
                        @Override
                        public void interval(Interval interval) {
                            if (interval.endMaxMicros() >= window.fromMicros()
                                    && interval.startMicros() <= window.toMicros()) {
                                intervals.add(IntervalRow.of(interval));
                            }
                        }

                        @Override
                        public void incident(Incident incident) {
                            if (incident.endMicros() >= window.fromMicros()
                                    && incident.startMicros() <= window.toMicros()) {
                                incidents.add(incident);
                            }
                        }
                    });
            return Optional.of(new Window(settled.view(), intervals, incidents, whole));
        }, thread);
    }

    /** The settled entries of {@code view} that touch {@code window}'s blocks, in their order. */
    void read(IncidentStore.View view, ForensicsSettings window, Consumer<IntervalRow> intervals,
              Consumer<Incident> incidents) throws IOException {
        settled.read(view, window, intervals, incidents);
    }

    private long unread() {
        return store.version() - folded;
    }

    /** Queues a turn of the fold, unless one is queued: for new records, or a silent node's bound that may have passed. */
    void wake() {
        if (stepQueued.compareAndSet(false, true)) {
            try {
                thread.execute(this::step);
            } catch (RejectedExecutionException e) {
                stepQueued.set(false);
            }
        }
    }

    /** One turn: folds up to {@link #STEP} records, then queues the next turn if more are ready. */
    private void step() {
        stepQueued.set(false);
        if (status.failure().isPresent()) {
            return;
        }
        try {
            store.follow(readers, positions);
            long held = -1;
            int turn = 0;
            while (turn < STEP) {
                String nextNode = null;
                EventRecord next = null;
                List<String> silent = new ArrayList<>();
                for (Map.Entry<String, NodeArchive.Records> entry : readers.entrySet()) {
                    NodeArchive.Records records = entry.getValue();
                    if (records.hasNext()) {
                        EventRecord head = records.peek();
                        if (next == null || MergedJournals.ORDER.compare(head, next) < 0) {
                            next = head;
                            nextNode = entry.getKey();
                        }
                    } else if (!lagging.contains(entry.getKey())) {
                        silent.add(entry.getKey());
                    }
                }
                if (next == null) {
                    break;
                }
                if (lastFolded != null && MergedJournals.ORDER.compare(next, lastFolded) < 0) {
                    refold(nextNode + " shipped seq " + next.seq() + ", which comes before what was folded");
                    wake();
                    return;
                }
                held = holdFor(silent);
                if (held >= 0) {
                    break;
                }
                silentSince.remove(nextNode);
                if (lagging.remove(nextNode)) {
                    log.info("incident fold: node {} ships again", nextNode);
                }
                readers.get(nextNode).next();
                fold.accept(next);
                lastFolded = next;
                lastOfNode.put(nextNode, next);
                folded++;
                positions.merge(nextNode, 1L, Long::sum);
                turn++;
            }
            fold.foldQueued();
            settled.flush();
            if (folded - savedAt >= saveEvery) {
                save();
            }
            publish(Optional.empty());
            if (turn == STEP) {
                wake();
            } else if (held >= 0) {
                scheduleWake(held);
            }
        } catch (IOException | RuntimeException e) {
            log.error("incident fold: stopped ({}); windows of /v1/forensics fall back to the batch analysis until "
                    + "the coordinator restarts", e.getMessage(), e);
            publish(Optional.of(String.valueOf(e.getMessage())));
        } catch (OutOfMemoryError e) {
            // The fold's state is what does not fit: dropping it gives the heap back to ingest and the queries.
            fold = null;
            log.error("incident fold: stopped, out of memory; windows of /v1/forensics fall back to the batch analysis "
                    + "(give the coordinator more heap with QVIP_JAVA_OPTS=-Xmx... and restart it)");
            publish(Optional.of("out of memory: give the coordinator more heap (QVIP_JAVA_OPTS=-Xmx...) and restart it"));
        }
    }

    private void scheduleWake(long nanosFromNow) {
        try {
            thread.schedule(this::wake, nanosFromNow, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("incident fold: closing, so no later turn for the silent nodes; the state is saved after this one");
        }
    }

    /**
     * How long the silent nodes may still hold the fold (nanoseconds), or -1 when none does: a node silent for
     * {@link #LAG_BOUND} becomes lagging.
     */
    private long holdFor(List<String> silent) {
        long hold = -1;
        waitingFor.clear();
        if (silent.isEmpty()) {
            return hold;
        }
        long now = nanos.getAsLong();
        for (String node : silent) {
            long since = silentSince.computeIfAbsent(node, n -> now);
            long left = since + LAG_BOUND.toNanos() - now;
            if (left <= 0) {
                lagging.add(node);
                log.warn("incident fold: node {} shipped nothing for {} s while others did; folding on without it "
                        + "(if it later ships older records, the fold starts again from the beginning)", node,
                        LAG_BOUND.toSeconds());
            } else {
                waitingFor.add(node);
                hold = hold < 0 ? left : Math.min(hold, left);
            }
        }
        return hold;
    }

    /** Starts the fold again from the beginning of the archives. */
    private void refold(String why) throws IOException {
        refolds++;
        log.warn("incident fold: {}; folding the {} stored records again from the beginning", why, store.version());
        Files.deleteIfExists(stateFile);
        savedAt = 0;
        settled.clear();
        positions.clear();
        readers.clear();
        lastOfNode.clear();
        silentSince.clear();
        lagging.clear();
        waitingFor.clear();
        folded = 0;
        lastFolded = null;
        fold = newFold();
        publish(Optional.empty());
    }

    private IncidentFold newFold() {
        return new IncidentFold(List.of(), ForensicsSettings.DEFAULT, listener());
    }

    /** Appends what the fold settles to the store. */
    private Forensics.Listener listener() {
        return new Forensics.Listener() {
            @Override
            public void interval(Interval interval) {
                try {
                    settled.add(IntervalRow.of(interval));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void incident(Incident incident) {
                try {
                    settled.add(incident);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    private void publish(Optional<String> failure) {
        status = new Status(folded, unread(), Set.copyOf(waitingFor), Set.copyOf(lagging), refolds, settled.intervals(), settled.incidents(),
                failure);
    }

    /**
     * Stops the fold's thread after its turn and saves the fold's state (waiting up to 10 s for both; a fold that
     * failed saves nothing, and the next start resumes from the last save) and closes the store.
     */
    @Override
    public void close() throws IOException {
        store.unsubscribe(wake);
        try {
            thread.execute(this::saveAtClose);
        } catch (RejectedExecutionException e) {
            log.warn("incident fold: closed twice; its state was saved at the first close");
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("incident fold: did not stop within 10 s; its state is the last one saved");
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
        settled.close();
    }

    private void saveAtClose() {
        if (fold == null || status.failure().isPresent()) {
            return;
        }
        try {
            save();
        } catch (IOException | RuntimeException e) {
            log.warn("incident fold: saving its state at close failed ({}); the next start resumes from the last "
                    + "save or folds from the beginning", e.getMessage(), e);
        }
    }
}
