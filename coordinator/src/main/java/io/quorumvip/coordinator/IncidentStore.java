package io.quorumvip.coordinator;

import io.quorumvip.forensics.CauseStep;
import io.quorumvip.forensics.EndReason;
import io.quorumvip.forensics.ForensicsSettings;
import io.quorumvip.forensics.Incident;
import io.quorumvip.forensics.IncidentKind;
import io.quorumvip.forensics.IntervalKind;
import io.quorumvip.forensics.IntervalRow;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * The incident fold's settled results on disk, for window queries that read only what touches the window: two
 * append-only files, {@code intervals} and {@code incidents}, in the order the fold settled them (the order a window's
 * report keeps). In memory, per block of {@value #BLOCK} entries, where the block starts in its file, the earliest
 * start and the latest end in it (24 bytes per block: 1.9 MiB for 20 million intervals); a query reads the blocks whose
 * span touches its window. Settling follows time closely (an entry is settled soon after its end), so a window's
 * entries lie in few blocks; one long entry widens only its own block.
 *
 * <p>The files are the fold's output; the fold's saved state names how far they went ({@link #writeView}), and a
 * fold resumed from it cuts off what was appended after ({@link #resume}). They are emptied when a fold starts from
 * the beginning. Not thread-safe for writing (the fold's thread writes); {@link #view()} is taken on that thread
 * and may then be read from any thread, since it covers only what was flushed and never changes.
 */
final class IncidentStore implements AutoCloseable {

    static final int BLOCK = 256;

    private final Part intervals;
    private final Part incidents;
    /**
     * The steps of chains written in the incidents' current block, by number: a step named again in the same block
     * is written as its number. Incidents close in time share most of their chains, and a reader always reads a
     * block from its start, so it knows every number it meets.
     */
    private final Map<CauseStep, Integer> blockSteps = new HashMap<>();

    /** What a reader may read: each file's flushed entries and their blocks. */
    record View(Part.Extent intervals, Part.Extent incidents) {
    }

    /** An empty store in {@code dir}: whatever its files held is dropped. */
    IncidentStore(Path dir) throws IOException {
        this(dir, true);
    }

    private IncidentStore(Path dir, boolean empty) throws IOException {
        Files.createDirectories(dir);
        Part opened = new Part(dir.resolve("intervals"), empty);
        try {
            incidents = new Part(dir.resolve("incidents"), empty);
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
        intervals = opened;
    }

    /**
     * The store in {@code dir} as it was when {@code saved} was taken: what was appended after it is cut off (the fold
     * resumed from that point settles it again).
     *
     * @throws IOException when a file holds less than {@code saved} covers, naming it and both lengths
     */
    static IncidentStore resume(Path dir, View saved) throws IOException {
        IncidentStore store = new IncidentStore(dir, false);
        try {
            store.intervals.resume(saved.intervals());
            store.incidents.resume(saved.incidents());
            long count = store.incidents.count;
            if (count % BLOCK != 0) {
                // The current block names the steps it wrote before by number: learn them from the block's start.
                int block = (int) (count / BLOCK);
                Part.Extent last = new Part.Extent(saved.incidents().file(), count - (long) block * BLOCK,
                        saved.incidents().bytes(), new long[] {saved.incidents().offsets()[block]},
                        new long[] {Long.MIN_VALUE}, new long[] {Long.MAX_VALUE});
                List<CauseStep> steps = new ArrayList<>();
                store.readIncidents(last, ForensicsSettings.DEFAULT, incident -> { }, steps);
                steps.forEach(step -> store.blockSteps.put(step, store.blockSteps.size()));
            }
            return store;
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Writes {@code view}'s counts and blocks, for {@link #readView}. */
    static void writeView(DataOutputStream out, View view) throws IOException {
        for (Part.Extent extent : List.of(view.intervals(), view.incidents())) {
            out.writeLong(extent.count());
            out.writeLong(extent.bytes());
            out.writeInt(extent.offsets().length);
            for (int block = 0; block < extent.offsets().length; block++) {
                out.writeLong(extent.offsets()[block]);
                out.writeLong(extent.earliestStart()[block]);
                out.writeLong(extent.latestEnd()[block]);
            }
        }
    }

    /**
     * The view {@link #writeView} wrote, of the store in {@code dir}.
     *
     * @throws IOException when the counts disagree with the blocks
     */
    static View readView(DataInputStream in, Path dir) throws IOException {
        Part.Extent[] extents = new Part.Extent[2];
        String[] names = {"intervals", "incidents"};
        for (int part = 0; part < 2; part++) {
            long count = in.readLong();
            long bytes = in.readLong();
            int blocks = in.readInt();
            if (count < 0 || bytes < 0 || blocks != (count + BLOCK - 1) / BLOCK) {
                throw new IOException("saved incident store: " + names[part] + " has " + count + " entries in "
                        + bytes + " bytes and " + blocks + " blocks (expected one block per " + BLOCK + " entries)");
            }
            long[] offsets = new long[blocks];
            long[] earliest = new long[blocks];
            long[] latest = new long[blocks];
            for (int block = 0; block < blocks; block++) {
                offsets[block] = in.readLong();
                earliest[block] = in.readLong();
                latest[block] = in.readLong();
            }
            extents[part] = new Part.Extent(dir.resolve(names[part]), count, bytes, offsets, earliest, latest);
        }
        return new View(extents[0], extents[1]);
    }

    void add(IntervalRow row) throws IOException {
        DataOutputStream out = intervals.entry();
        out.writeByte(row.kind().ordinal());
        text(out, row.node());
        text(out, row.instance());
        out.writeInt(row.vrid());
        text(out, row.subject());
        out.writeLong(row.startMicros());
        out.writeLong(row.endMinMicros());
        out.writeLong(row.endMaxMicros());
        out.writeByte(row.endReason().ordinal());
        intervals.added(row.startMicros(), row.endMaxMicros());
    }

    void add(Incident incident) throws IOException {
        if (incidents.count % BLOCK == 0) {
            blockSteps.clear();
        }
        DataOutputStream out = incidents.entry();
        out.writeByte(incident.kind().ordinal());
        out.writeLong(incident.startMicros());
        out.writeLong(incident.endMicros());
        out.writeLong(incident.minDurationMicros());
        out.writeLong(incident.maxDurationMicros());
        texts(out, incident.nodes());
        text(out, incident.instance());
        out.writeInt(incident.vrid());
        text(out, incident.address());
        text(out, incident.summary());
        out.writeInt(incident.causes().size());
        for (CauseStep step : incident.causes()) {
            Integer known = blockSteps.putIfAbsent(step, blockSteps.size());
            if (known != null) {
                out.writeInt(known);
                continue;
            }
            out.writeInt(-1);
            text(out, step.node());
            out.writeLong(step.seq());
            out.writeLong(step.timeMicros());
            out.writeLong(step.hlc());
            text(out, step.text());
        }
        texts(out, incident.notes());
        incidents.added(incident.startMicros(), incident.endMicros());
    }

    /** Writes what was added to the files: a {@link #view()} taken after it covers it. */
    void flush() throws IOException {
        intervals.flush();
        incidents.flush();
    }

    View view() {
        return new View(intervals.extent(), incidents.extent());
    }

    long intervals() {
        return intervals.count;
    }

    long incidents() {
        return incidents.count;
    }

    /** Empties both files, for a fold that starts from the beginning. */
    void clear() throws IOException {
        intervals.clear();
        incidents.clear();
        blockSteps.clear();
    }

    /**
     * Hands over, in the stored order, the entries of {@code view} in the blocks that touch {@code window} (the caller
     * filters the entries themselves). Stops with a {@link CancellationException} when the thread is interrupted.
     */
    void read(View view, ForensicsSettings window, Consumer<IntervalRow> intervalOut, Consumer<Incident> incidentOut)
            throws IOException {
        intervals.read(view.intervals(), window, () -> { }, in -> intervalOut.accept(new IntervalRow(
                IntervalKind.values()[in.readByte()], text(in), text(in), in.readInt(), text(in), in.readLong(),
                in.readLong(), in.readLong(), EndReason.values()[in.readByte()])));
        readIncidents(view.incidents(), window, incidentOut, new ArrayList<>());
    }

    /** The incidents of {@code extent}'s blocks that touch {@code window}; {@code steps}: the current block's. */
    private void readIncidents(Part.Extent extent, ForensicsSettings window, Consumer<Incident> incidentOut,
                               List<CauseStep> steps) throws IOException {
        incidents.read(extent, window, steps::clear, in -> {
            IncidentKind kind = IncidentKind.values()[in.readByte()];
            long start = in.readLong();
            long end = in.readLong();
            long min = in.readLong();
            long max = in.readLong();
            List<String> nodes = texts(in);
            String instance = text(in);
            int vrid = in.readInt();
            String address = text(in);
            String summary = text(in);
            int count = in.readInt();
            List<CauseStep> causes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int known = in.readInt();
                if (known >= 0) {
                    causes.add(steps.get(known));
                } else {
                    CauseStep step = new CauseStep(text(in), in.readLong(), in.readLong(), in.readLong(), text(in));
                    steps.add(step);
                    causes.add(step);
                }
            }
            incidentOut.accept(new Incident(kind, start, end, min, max, nodes, instance, vrid, address, summary, causes,
                    texts(in)));
        });
    }

    @Override
    public void close() throws IOException {
        try {
            intervals.close();
        } finally {
            incidents.close();
        }
    }

    private static void text(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static void texts(DataOutputStream out, List<String> texts) throws IOException {
        out.writeInt(texts.size());
        for (String text : texts) {
            text(out, text);
        }
    }

    private static String text(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static List<String> texts(DataInputStream in) throws IOException {
        int count = in.readInt();
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            texts.add(text(in));
        }
        return texts;
    }

    /** Decodes one entry from its bytes. */
    private interface Decoder {
        void decode(DataInputStream in) throws IOException;
    }

    /** One append-only file of entries and its block index. */
    static final class Part implements AutoCloseable {

        /** The flushed entries a reader may read, and the blocks that hold them. */
        record Extent(Path file, long count, long bytes, long[] offsets, long[] earliestStart, long[] latestEnd) {
        }

        private final Path file;
        private final FileChannel channel;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream(1 << 16);
        private final DataOutputStream out = new DataOutputStream(pending);
        private long[] offsets = new long[64];
        private long[] earliestStart = new long[64];
        private long[] latestEnd = new long[64];
        private long count;
        private long flushedCount;
        private long bytes;

        Part(Path file, boolean empty) throws IOException {
            this.file = file;
            this.channel = empty
                    ? FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING)
                    : FileChannel.open(file, StandardOpenOption.WRITE);
        }

        /** Goes back to {@code saved}: the file cut to its length, the blocks as they were. */
        void resume(Extent saved) throws IOException {
            long size = channel.size();
            if (size < saved.bytes()) {
                throw new IOException(file + " holds " + size + " bytes, less than the " + saved.bytes()
                        + " its saved state covers (the file was cut or replaced)");
            }
            channel.truncate(saved.bytes());
            int room = Math.max(64, saved.offsets().length + 1);
            offsets = Arrays.copyOf(saved.offsets(), room);
            earliestStart = Arrays.copyOf(saved.earliestStart(), room);
            latestEnd = Arrays.copyOf(saved.latestEnd(), room);
            count = saved.count();
            flushedCount = saved.count();
            bytes = saved.bytes();
            pending.reset();
        }

        DataOutputStream entry() {
            if (count % BLOCK == 0) {
                int block = (int) (count / BLOCK);
                if (block == offsets.length) {
                    offsets = Arrays.copyOf(offsets, 2 * block);
                    earliestStart = Arrays.copyOf(earliestStart, 2 * block);
                    latestEnd = Arrays.copyOf(latestEnd, 2 * block);
                }
                offsets[block] = bytes + pending.size();
                earliestStart[block] = Long.MAX_VALUE;
                latestEnd[block] = Long.MIN_VALUE;
            }
            return out;
        }

        void added(long start, long end) {
            int block = (int) (count / BLOCK);
            earliestStart[block] = Math.min(earliestStart[block], start);
            latestEnd[block] = Math.max(latestEnd[block], end);
            count++;
        }

        void flush() throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(pending.toByteArray());
            long at = bytes;
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
            bytes = at;
            pending.reset();
            flushedCount = count;
        }

        Extent extent() {
            int blocks = (int) ((flushedCount + BLOCK - 1) / BLOCK);
            return new Extent(file, flushedCount, bytes, Arrays.copyOf(offsets, blocks),
                    Arrays.copyOf(earliestStart, blocks), Arrays.copyOf(latestEnd, blocks));
        }

        void clear() throws IOException {
            channel.truncate(0);
            pending.reset();
            count = 0;
            flushedCount = 0;
            bytes = 0;
        }

        /** {@code blockStart} is run before the first entry of each block read. */
        void read(Extent extent, ForensicsSettings window, Runnable blockStart, Decoder decoder) throws IOException {
            if (extent.count() == 0) {
                return;
            }
            try (FileChannel reader = FileChannel.open(extent.file(), StandardOpenOption.READ)) {
                DataInputStream in = null;
                long position = -1;
                for (int block = 0; block < extent.offsets().length; block++) {
                    if (extent.latestEnd()[block] < window.fromMicros()
                            || extent.earliestStart()[block] > window.toMicros()) {
                        continue;
                    }
                    if (Thread.currentThread().isInterrupted()) {
                        throw new CancellationException("reading " + extent.file() + " stopped: the caller gave up");
                    }
                    if (position != extent.offsets()[block]) {
                        position = extent.offsets()[block];
                        InputStream bytesIn = Channels.newInputStream(reader.position(position));
                        in = new DataInputStream(new BufferedInputStream(bytesIn, 1 << 16));
                    }
                    blockStart.run();
                    long entries = Math.min(BLOCK, extent.count() - (long) block * BLOCK);
                    for (long i = 0; i < entries; i++) {
                        try {
                            decoder.decode(in);
                        } catch (EOFException e) {
                            throw new IOException(extent.file() + " ends inside block " + block + " (expected "
                                    + extent.count() + " entries in " + extent.bytes() + " bytes; the coordinator "
                                    + "refolds on its next start)", e);
                        }
                    }
                    position = block + 1 < extent.offsets().length ? extent.offsets()[block + 1] : -1;
                }
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
