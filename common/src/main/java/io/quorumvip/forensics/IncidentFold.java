package io.quorumvip.forensics;

import io.quorumvip.events.EventRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Forensics as a fold advanced as records arrive, the way a coordinator receives them: each node's records in its
 * own order, the nodes interleaved in any way (batches of one node, then of another). It runs the streamed analysis
 * ({@link Forensics#stream}, the same {@link IncidentSweep}, so the same rules), fed in {@link MergedJournals#ORDER}
 * as far as that order is known: a record is folded once every node (those named at the start and those that sent
 * records since) has one queued at or after it, since no record of any node can then come before it. Intervals and incidents go to the listener as the
 * sweep makes them final, and a final one never changes: whatever the nodes send next comes after it in the merge
 * order. So the listener receives, in the same order, exactly what {@link Forensics#stream} would over the same
 * journals; {@link #finish} folds what is still queued and returns the same summary, and {@link #tail} says what
 * finishing now would add, without ending the fold: settled results plus the tail answer for everything received.
 *
 * <p>"Settled" is therefore bounded by the slowest node: a node that stopped sending (down, or not shipping) holds
 * the others' records in the queue until it sends again or {@link #finish} is called ({@link #queued} says how many
 * wait). A record that arrives after the fold has passed its place (a node seen for the first time with older
 * records, or one that was silent and sends records older than what was folded) cannot be folded in: {@link #accept}
 * refuses it, and the caller folds anew from the start. Pure: no clock, no I/O; not thread-safe.
 */
public final class IncidentFold {

    private final ForensicsSettings settings;
    private final IncidentSweep sweep;
    /** Per node, the records received and not folded yet, in the node's order; a node once seen stays. */
    private final Map<String, ArrayDeque<EventRecord>> queues = new LinkedHashMap<>();
    private final Map<String, EventRecord> lastReceived = new LinkedHashMap<>();
    private EventRecord lastFolded;
    private long queued;
    private long folded;
    private boolean finished;

    /**
     * {@code nodes}: those expected to send (nothing is folded until each has sent a record: before that, any of them
     * may still send the earliest); a node not named joins with its first record. {@code listener} receives each
     * interval and incident in {@code settings}' window once it is final.
     */
    public IncidentFold(Collection<String> nodes, ForensicsSettings settings, Forensics.Listener listener) {
        this.settings = settings;
        nodes.forEach(node -> queues.put(node, new ArrayDeque<>()));
        this.sweep = Forensics.streamingSweep(settings, listener);
    }

    private IncidentFold(ForensicsSettings settings, IncidentSweep sweep) {
        this.settings = settings;
        this.sweep = sweep;
    }

    /**
     * The fold's state in bytes: what {@link #restore} needs to go on exactly as this fold would (the records queued,
     * the sweep's open intervals, pairs, evidence and records of the chain window), not the history. Folding A, saving,
     * restoring and folding B gives what folding A and B in one go gives, byte for byte. The bytes carry no version or
     * checksum: the caller's file does.
     *
     * @throws IllegalStateException after {@link #finish}
     */
    public byte[] save() {
        if (finished) {
            throw new IllegalStateException("incident fold: save called after finish (expected it before)");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        try (DataOutputStream data = new DataOutputStream(bytes)) {
            FoldState.Writer out = new FoldState.Writer(data);
            saveSettings(out, settings);
            out.count(queues.size());
            for (Map.Entry<String, ArrayDeque<EventRecord>> queue : queues.entrySet()) {
                out.text(queue.getKey());
                out.records(queue.getValue());
            }
            out.count(lastReceived.size());
            for (EventRecord record : lastReceived.values()) {
                out.record(record);
            }
            out.record(lastFolded);
            out.number(queued);
            out.number(folded);
            sweep.save(out);
        } catch (IOException e) {
            throw new UncheckedIOException("incident fold: writing its state in memory failed", e);
        }
        return bytes.toByteArray();
    }

    /**
     * The fold {@link #save} saved, going on with {@code settings} (those it was saved with) and its results to
     * {@code listener}.
     *
     * @throws IOException naming what does not decode, or the settings it was saved with when they differ
     */
    public static IncidentFold restore(byte[] state, ForensicsSettings settings, Forensics.Listener listener)
            throws IOException {
        try (DataInputStream data = new DataInputStream(new ByteArrayInputStream(state))) {
            FoldState.Reader in = new FoldState.Reader(data);
            ForensicsSettings saved = new ForensicsSettings(in.number(), in.number(), in.number(), in.number(),
                    in.number());
            if (!saved.equals(settings)) {
                throw new FoldState.CorruptException("incident fold: the state was saved with " + saved
                        + " (expected " + settings + ")");
            }
            IncidentSweep[] sweep = new IncidentSweep[1];
            Map<String, ArrayDeque<EventRecord>> queues = new LinkedHashMap<>();
            int nodes = in.count();
            for (int i = 0; i < nodes; i++) {
                queues.put(in.text(), new ArrayDeque<>(in.records()));
            }
            List<EventRecord> lastReceived = in.records();
            EventRecord lastFolded = in.record();
            long queued = in.number();
            long folded = in.number();
            sweep[0] = new IncidentSweep(settings, in, Forensics.output(listener, () -> sweep[0]));
            if (data.read() != -1) {
                throw new FoldState.CorruptException("incident fold: the state goes on after its end ("
                        + state.length + " bytes)");
            }
            IncidentFold fold = new IncidentFold(settings, sweep[0]);
            fold.queues.putAll(queues);
            lastReceived.forEach(record -> fold.lastReceived.put(record.node(), record));
            fold.lastFolded = lastFolded;
            fold.queued = queued;
            fold.folded = folded;
            return fold;
        } catch (EOFException e) {
            throw new FoldState.CorruptException("incident fold: the state of " + state.length
                    + " bytes ends early (cut short)");
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new FoldState.CorruptException("incident fold: the state does not decode: " + e.getMessage());
        }
    }

    private static void saveSettings(FoldState.Writer out, ForensicsSettings settings) throws IOException {
        out.number(settings.clockUncertaintyMicros());
        out.number(settings.leaseGraceMicros());
        out.number(settings.causeLookbackMicros());
        out.number(settings.fromMicros());
        out.number(settings.toMicros());
    }

    /**
     * The next record of its node, folding whatever this makes final.
     *
     * @throws IllegalArgumentException when the record is not after its node's previous one
     * @throws IllegalStateException    when the fold already passed the record's place (fold anew from the start), or
     *                                  after {@link #finish}
     */
    public void accept(EventRecord record) {
        if (finished) {
            throw new IllegalStateException("incident fold: got " + describe(record) + " after finish (expected none: "
                    + "start a new fold)");
        }
        EventRecord previous = lastReceived.get(record.node());
        if (previous != null && MergedJournals.ORDER.compare(previous, record) >= 0) {
            throw new IllegalArgumentException("incident fold: got " + describe(record) + " after "
                    + describe(previous) + " (expected each node's records in its journal's order, once each)");
        }
        if (lastFolded != null && MergedJournals.ORDER.compare(record, lastFolded) < 0) {
            throw new IllegalStateException("incident fold: got " + describe(record) + ", which comes before "
                    + describe(lastFolded) + " already folded (expected records after it: a node that was silent or "
                    + "new sent older records; fold anew from the start)");
        }
        lastReceived.put(record.node(), record);
        queues.computeIfAbsent(record.node(), n -> new ArrayDeque<>()).addLast(record);
        queued++;
        drain(false);
    }

    /**
     * Folds queued records in the merge order: while every node has one queued (each then the earliest that node
     * can still send), or all of them at the end.
     */
    private void drain(boolean all) {
        for (;;) {
            ArrayDeque<EventRecord> next = null;
            for (ArrayDeque<EventRecord> queue : queues.values()) {
                if (queue.isEmpty()) {
                    if (!all) {
                        return;
                    }
                } else if (next == null || MergedJournals.ORDER.compare(queue.peekFirst(), next.peekFirst()) < 0) {
                    next = queue;
                }
            }
            if (next == null) {
                return;
            }
            fold(next.pollFirst());
        }
    }

    private void fold(EventRecord record) {
        sweep.accept(record);
        lastFolded = record;
        queued--;
        folded++;
    }

    /**
     * Folds every queued record now, as if the nodes with nothing queued had nothing earlier to send: for a caller
     * that feeds the records in merge order already, or that decided a silent node lags and is not waited for. A record
     * of such a node that comes later and before what was folded is refused by {@link #accept}.
     */
    public void foldQueued() {
        if (finished) {
            throw new IllegalStateException("incident fold: foldQueued called after finish (expected it before)");
        }
        drain(true);
    }

    /** Records received and not folded yet: they wait for a node that has sent nothing as recent. */
    public long queued() {
        return queued;
    }

    /** Records folded so far. */
    public long folded() {
        return folded;
    }

    /**
     * The journals end here: folds what is queued, in the merge order, and closes what is still open as
     * {@link Forensics#stream} does at the end of its input. The fold takes no record after this.
     */
    public Forensics.Summary finish() {
        if (finished) {
            throw new IllegalStateException("incident fold: finish called twice (expected once)");
        }
        finished = true;
        drain(true);
        return Forensics.summary(settings, sweep.finish());
    }

    /**
     * What {@link #finish} would give now, without ending the fold: the intervals and incidents the listener has not
     * received yet go to {@code tail} (after what the listener received, they are exactly what
     * {@link Forensics#stream} gives over the records received so far), and the summary is that analysis'. The fold
     * goes on unchanged: the tail is computed on a copy of its state, which costs what is not final yet, not the
     * history.
     */
    public Forensics.Summary tail(Forensics.Listener tail) {
        return tail(List.of(), List.of(), tail);
    }

    /**
     * The same for the records received plus {@code unread}: per node, records after those it received, in its order,
     * which the caller holds elsewhere (a store it reads the fold's input from) and has not handed in; {@code names}
     * name them for errors. Costs what is queued and unread, on top of what is not final.
     */
    public Forensics.Summary tail(List<? extends Iterator<EventRecord>> unread, List<String> names,
                                  Forensics.Listener tail) {
        if (unread.size() != names.size()) {
            throw new IllegalArgumentException("incident fold: got " + unread.size() + " unread inputs and "
                    + names.size() + " names (expected one name per input)");
        }
        if (finished) {
            throw new IllegalStateException("incident fold: tail asked after finish (expected it before)");
        }
        IncidentSweep[] copy = new IncidentSweep[1];
        copy[0] = sweep.copy(Forensics.output(tail, () -> copy[0]));
        List<Iterator<EventRecord>> waiting = new ArrayList<>();
        queues.values().forEach(queue -> waiting.add(queue.iterator()));
        waiting.addAll(unread);
        List<String> waitingNames = new ArrayList<>(queues.keySet());
        waitingNames.addAll(names);
        MergedJournals.merge(waiting, waitingNames, copy[0]::accept);
        return Forensics.summary(settings, copy[0].finish());
    }

    private static String describe(EventRecord record) {
        return record.node() + " seq " + record.seq() + " (hlc " + record.hlc() + ")";
    }
}
