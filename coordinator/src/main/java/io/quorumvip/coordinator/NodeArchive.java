package io.quorumvip.coordinator;

import io.quorumvip.events.EventRecord;
import io.quorumvip.events.Hash256;
import io.quorumvip.journal.Anchor;
import io.quorumvip.journal.EventCodec;
import io.quorumvip.journal.Journal;
import io.quorumvip.journal.JournalConfig;
import io.quorumvip.journal.JournalReader;
import io.quorumvip.journal.MalformedRecordException;
import io.quorumvip.journal.SegmentHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's durable copy of one node's journal, in the journal's own on-disk format: one segment file whose
 * frames are the agent's bytes unchanged, so {@code qvip replay --verify} reads it like the agent's journal.
 *
 * <p>{@link Journal} cannot be used to write it: {@code Journal.append} assigns its own sequence, HLC and previous
 * hash, while the coordinator must keep the agent's. It is used to open it: its recovery cuts a torn tail and checks
 * the chain. The segment's header chains from the first record received, so a node whose agent already trimmed its
 * journal is accepted from wherever its shipping starts (the anchor).
 *
 * <p>The file is the store: no record is kept in memory. An index of where every {@value #BLOCK}th record's frame
 * starts, and its HLC stamp (16 bytes per {@value #BLOCK} records: 0.6 MiB for 10 million), lets a reader start
 * near any position or cursor and decode at most {@value #BLOCK} records before it. Not thread-safe:
 * {@link ClusterStore} guards it; a {@link Records} reader taken under its guard may be read outside it, since
 * it reads only what was stored when it was taken, by positional reads that appends do not disturb. A restart
 * resumes from {@link #saved()} (the end, its chain hash and the index) instead of reading the file again.
 */
final class NodeArchive implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeArchive.class);

    private final String node;
    private final Path dir;
    private final LongSupplier wallMicros;
    private final MessageDigest sha256 = sha256();
    private final BlockIndex index;
    private FileChannel segment;
    private long size;
    private long lastSeq;
    private Hash256 lastHash;
    private long lastHlc;
    private long lastOffset;

    /** Where a reader starts: every {@value #BLOCK}th record is in the index. */
    static final int BLOCK = 256;

    private NodeArchive(String node, Path dir, LongSupplier wallMicros, BlockIndex index, FileChannel segment) {
        this.node = node;
        this.dir = dir;
        this.wallMicros = wallMicros;
        this.index = index;
        this.segment = segment;
    }

    /**
     * Opens the archive of {@code node} in {@code dir}, recovering the last stored sequence and hash; hands
     * {@code recovered} every stored record, in order, from the one read that recovery makes of the file.
     */
    static NodeArchive open(Path dir, String node, LongSupplier wallMicros, Consumer<EventRecord> recovered)
            throws IOException {
        return open(dir, node, wallMicros, null, recovered);
    }

    /**
     * Opens the archive from a saved state: recovery checks that the file still holds the record the state ends at,
     * with the state's chain hash, and then reads and checks only the records after it, handing those to
     * {@code recovered} (see {@link Journal#open(JournalConfig, Journal.ResumePoint, Journal.RecoveredRecord)}).
     *
     * @throws Journal.ResumeMismatchException when the file does not hold that record (a stale or foreign state)
     */
    static NodeArchive resume(Path dir, String node, LongSupplier wallMicros, RecoveryState.Archive saved,
                              Consumer<EventRecord> recovered) throws IOException {
        return open(dir, node, wallMicros, saved, recovered);
    }

    private static NodeArchive open(Path dir, String node, LongSupplier wallMicros, RecoveryState.Archive saved,
                                    Consumer<EventRecord> recovered) throws IOException {
        Files.createDirectories(dir);
        List<Path> segments = JournalReader.segmentFiles(dir);
        if (segments.isEmpty() && saved == null) {
            // An anchor.json without a segment is left by a crash while creating the segment: nothing was stored.
            Files.deleteIfExists(dir.resolve(Anchor.FILE_NAME));
            RecoveryState.remove(dir);
            return new NodeArchive(node, dir, wallMicros, new BlockIndex(), null);
        }
        if (segments.size() > 1) {
            throw new IOException("archive of node '" + node + "' in " + dir + " has " + segments.size()
                    + " segments (expected 1: the coordinator writes one segment per node)");
        }
        // The archive is one segment: recovery's own checked read of it (or of what follows the saved state) is the
        // only time it is decoded.
        BlockIndex index = saved == null ? new BlockIndex() : BlockIndex.of(saved);
        long[] last = saved == null ? new long[] {0, 0} : new long[] {saved.resume().lastRecordOffset(), saved.resume().lastHlc()};
        Journal.RecoveredRecord read = (record, offset) -> {
            index.stored(record, offset);
            last[0] = offset;
            last[1] = record.hlc();
            recovered.accept(record);
        };
        JournalConfig config = JournalConfig.of(dir, node).withWallClock(wallMicros);
        long lastSeq;
        Hash256 lastHash;
        try (Journal journal = saved == null ? Journal.open(config, read) : Journal.open(config, saved.resume(), read)) {
            journal.recoveredTornTail().ifPresent(torn ->
                    log.warn("archive of node {}: cut {} (it was never acknowledged)", node, torn));
            lastSeq = journal.lastDurableSeq();
            lastHash = journal.lastDurableHash();
        }
        if (lastSeq == 0) {
            // A crash between creating the segment and the fsync of its first records: nothing was acknowledged, and
            // the header's anchor must come from whatever record arrives first next time.
            Files.delete(segments.get(0));
            Files.deleteIfExists(dir.resolve(Anchor.FILE_NAME));
            RecoveryState.remove(dir);
            return new NodeArchive(node, dir, wallMicros, new BlockIndex(), null);
        }
        FileChannel channel = FileChannel.open(segments.get(0), StandardOpenOption.READ, StandardOpenOption.WRITE);
        NodeArchive archive = new NodeArchive(node, dir, wallMicros, index, channel);
        archive.size = channel.size();
        archive.lastSeq = lastSeq;
        archive.lastHash = lastHash;
        archive.lastOffset = last[0];
        archive.lastHlc = last[1];
        return archive;
    }

    /** What a restart needs to resume from here; empty while nothing is stored. */
    Optional<RecoveryState.Archive> saved() {
        if (index.count == 0) {
            return Optional.empty();
        }
        int blocks = index.blocks();
        return Optional.of(new RecoveryState.Archive(new Journal.ResumePoint(1, lastOffset, lastSeq, lastHlc, lastHash),
                index.count, index.firstSeq, Arrays.copyOf(index.offsets, blocks), Arrays.copyOf(index.hlcs, blocks)));
    }

    String node() {
        return node;
    }

    /** The highest sequence durably stored, 0 when nothing is. */
    long lastSeq() {
        return lastSeq;
    }

    /** How many records are stored. */
    long count() {
        return index.count;
    }

    /**
     * The stored records from {@code position} (0 is the first stored) to the end stored now, in sequence order
     * (hence in HLC order: one node's stamps strictly increase).
     */
    Records from(long position) {
        if (position < 0 || position > index.count) {
            throw new IllegalArgumentException("archive of node '" + node + "': position " + position
                    + " is outside 0.." + index.count);
        }
        if (position == index.count) {
            return new Records(null, 0, 0, 0);
        }
        Records records = reader((int) (position / BLOCK));
        for (long skip = position % BLOCK; skip > 0; skip--) {
            records.next();
        }
        return records;
    }

    /**
     * {@code reader}, read to its end after {@code position} records, going on to the end stored now: the same reader
     * where it can, rather than a new one that decodes up to {@value #BLOCK} records again to reach the position; a new
     * one for a reader taken when nothing was left to read.
     */
    Records extend(Records reader, long position) {
        if (reader.hasNext() || position > index.count) {
            throw new IllegalArgumentException("archive of node '" + node + "': a reader extended at position "
                    + position + (reader.hasNext() ? " before it was read to its end" : " beyond the "
                    + index.count + " records stored") + " (expected a reader read to its end)");
        }
        if (reader.channel == null) {
            return from(position);
        }
        reader.extend(size, index.count - position);
        return reader;
    }

    /**
     * All stored records, as {@link #from from(0)}, read through a channel of their own that {@link Records#close}
     * closes. For a reader on a thread that is interrupted to cancel it (a forensics job): an interrupt during a read,
     * or a read after one, closes the channel read through, and the archive's own is the one ingest appends to.
     */
    Records readerOfItsOwn() throws IOException {
        if (index.count == 0) {
            return new Records(null, 0, 0, 0);
        }
        FileChannel own = FileChannel.open(JournalReader.segmentFiles(dir).get(0), StandardOpenOption.READ);
        return new Records(own, index.offsets[0], size, index.count, true);
    }

    /** The stored records that come after {@code cursor} in the merged order, to the end stored now. */
    Records after(EventCursor cursor) {
        // The last block whose first record is not after the cursor holds the first record that is, if any does.
        int low = 0;
        int high = index.blocks();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (cursor.isBefore(index.hlcs[middle], node, index.firstSeq + (long) middle * BLOCK)) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        Records records = reader(Math.max(0, low - 1));
        while (records.hasNext() && !cursor.isBefore(records.peek())) {
            records.next();
        }
        return records;
    }

    private Records reader(int block) {
        if (index.count == 0) {
            return new Records(null, 0, 0, 0);
        }
        return new Records(segment, index.offsets[block], size, index.count - (long) block * BLOCK);
    }

    /**
     * Stores the records that continue the chain, fsyncs, and only then reports them stored; {@code stored} gets each
     * of them, in order, once they are durable. A record at or below the stored sequence is a resend and skipped; the
     * first record that does not continue the chain stops the batch.
     *
     * @throws IOException when the write or fsync fails; the file is cut back and nothing of this batch counts as stored
     */
    IngestOutcome append(List<ReceivedRecord> batch, Consumer<EventRecord> stored) throws IOException {
        List<ReceivedRecord> accepted = new ArrayList<>();
        long expectedSeq = lastSeq + 1;
        Hash256 expectedHash = lastHash;
        int duplicates = 0;
        String conflict = null;
        for (ReceivedRecord received : batch) {
            EventRecord record = received.record();
            boolean anchored = expectedHash != null;
            if (anchored && record.seq() < expectedSeq) {
                duplicates++;
                continue;
            }
            if (anchored && record.seq() != expectedSeq) {
                conflict = "gap in node '" + node + "': got seq " + record.seq() + " (expected " + expectedSeq
                        + "); resend from seq " + expectedSeq;
                break;
            }
            if (anchored && !record.previousHash().equals(expectedHash)) {
                conflict = "hash chain broken at seq " + record.seq() + " of node '" + node + "': it chains from "
                        + record.previousHash().toHex() + " (expected " + expectedHash.toHex()
                        + ", the hash of seq " + (expectedSeq - 1) + "); the record was altered or the agent's journal was replaced";
                break;
            }
            accepted.add(received);
            sha256.update(received.frame(), received.payloadOffset(), received.payloadLength());
            expectedHash = new Hash256(sha256.digest());
            expectedSeq = record.seq() + 1;
        }
        if (!accepted.isEmpty()) {
            long at = write(accepted);
            for (ReceivedRecord received : accepted) {
                index.stored(received.record(), at);
                lastOffset = at;
                lastHlc = received.record().hlc();
                at += received.frame().length;
                stored.accept(received.record());
            }
            lastSeq = expectedSeq - 1;
            lastHash = expectedHash;
        }
        return conflict == null
                ? new IngestOutcome.Stored(node, lastSeq, accepted.size(), duplicates)
                : new IngestOutcome.Conflict(node, lastSeq, accepted.size(), conflict);
    }

    /** Writes and fsyncs the frames; returns the offset of the first. */
    private long write(List<ReceivedRecord> accepted) throws IOException {
        if (segment == null) {
            segment = createSegment(accepted.get(0).record().previousHash());
            size = SegmentHeader.SIZE;
        }
        int total = accepted.stream().mapToInt(r -> r.frame().length).sum();
        ByteBuffer bytes = ByteBuffer.allocate(total);
        accepted.forEach(r -> bytes.put(r.frame()));
        bytes.flip();
        long first = size;
        try {
            long at = size;
            while (bytes.hasRemaining()) {
                at += segment.write(bytes, at);
            }
            segment.force(false);
            size = at;
            return first;
        } catch (IOException e) {
            segment.truncate(size);
            throw new IOException("storing " + accepted.size() + " records of node '" + node + "' in " + dir
                    + " failed: " + e.getMessage() + " (nothing of this request was acknowledged; the agent resends)", e);
        }
    }

    /**
     * Creates the segment chaining from the anchor record. An anchor that is not the node's first record (seq 1, zero
     * hash) is also written to {@code anchor.json}, as retention does on the agent, so verification starts there.
     */
    private FileChannel createSegment(Hash256 anchor) throws IOException {
        if (!anchor.equals(Hash256.ZERO)) {
            new Anchor(Anchor.SCHEMA, 1, anchor, List.of()).write(dir);
        }
        Path file = dir.resolve(SegmentHeader.fileName(1));
        FileChannel created = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            ByteBuffer header = new SegmentHeader(EventCodec.SCHEMA_VERSION, 1, wallMicros.getAsLong(), anchor).encode();
            while (header.hasRemaining()) {
                created.write(header, header.position());
            }
            created.force(true);
            try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
                directory.force(true);
            }
            return created;
        } catch (IOException | RuntimeException e) {
            created.close();
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** Where every {@value #BLOCK}th stored record starts and its stamp, in primitive arrays. */
    private static final class BlockIndex {
        long[] offsets = new long[64];
        long[] hlcs = new long[64];
        long count;
        long firstSeq;

        static BlockIndex of(RecoveryState.Archive saved) {
            BlockIndex index = new BlockIndex();
            int blocks = saved.offsets().length;
            index.offsets = Arrays.copyOf(saved.offsets(), Math.max(64, 2 * blocks));
            index.hlcs = Arrays.copyOf(saved.hlcs(), Math.max(64, 2 * blocks));
            index.count = saved.count();
            index.firstSeq = saved.firstSeq();
            return index;
        }

        int blocks() {
            return (int) ((count + BLOCK - 1) / BLOCK);
        }

        void stored(EventRecord record, long offset) {
            if (count == 0) {
                firstSeq = record.seq();
            }
            if (count % BLOCK == 0) {
                int block = (int) (count / BLOCK);
                if (block == offsets.length) {
                    offsets = Arrays.copyOf(offsets, 2 * block);
                    hlcs = Arrays.copyOf(hlcs, 2 * block);
                }
                offsets[block] = offset;
                hlcs[block] = record.hlc();
            }
            count++;
        }
    }

    /**
     * Records read from the archive's file, front to back, up to what was stored when the reader was taken. The
     * frames were checked when stored (or by recovery on start), so only their lengths are read here.
     */
    static final class Records implements Iterator<EventRecord>, AutoCloseable {

        private static final int FRAME_HEADER = 8;
        private final boolean own;
        private final FileChannel channel;
        private long end;
        private final EventCodec codec = new EventCodec();
        private ByteBuffer buffer = ByteBuffer.allocate(1 << 16).limit(0);
        private long bufferStart;
        private long offset;
        private long remaining;
        private EventRecord next;

        private Records(FileChannel channel, long offset, long end, long remaining) {
            this(channel, offset, end, remaining, false);
        }

        /** {@code own}: the channel is this reader's, closed by {@link #close}. */
        private Records(FileChannel channel, long offset, long end, long remaining, boolean own) {
            this.own = own;
            this.channel = channel;
            this.offset = offset;
            this.bufferStart = offset;
            this.end = end;
            this.remaining = remaining;
        }

        @Override
        public boolean hasNext() {
            return next != null || remaining > 0;
        }

        /** The next record without moving past it. */
        EventRecord peek() {
            if (next == null) {
                next = read();
            }
            return next;
        }

        @Override
        public EventRecord next() {
            EventRecord record = peek();
            next = null;
            return record;
        }

        private EventRecord read() {
            if (remaining == 0) {
                throw new NoSuchElementException("archive read to the end stored when the reader was taken");
            }
            try {
                int length = bytesAt(offset, FRAME_HEADER).getInt();
                if (length <= 0 || length > EventCodec.MAX_PAYLOAD || offset + FRAME_HEADER + length > end) {
                    throw new IOException("frame at byte " + offset + " has length " + length + " (expected 1.."
                            + EventCodec.MAX_PAYLOAD + " within the " + end + " bytes stored)");
                }
                ByteBuffer payload = bytesAt(offset + FRAME_HEADER, length);
                EventRecord record = codec.decode(payload.array(), payload.position(), length);
                offset += FRAME_HEADER + length;
                remaining--;
                return record;
            } catch (IOException | MalformedRecordException e) {
                throw new UncheckedIOException(new IOException("reading the coordinator's archive failed at byte "
                        + offset + ": " + e.getMessage() + " (restart the coordinator: its recovery checks the file)",
                        e));
            }
        }

        /** Reads on to {@code end}, {@code remaining} more records; the file before the old end is unchanged. */
        private void extend(long newEnd, long more) {
            end = newEnd;
            remaining = more;
        }

        /** Closes the channel of a reader {@link #readerOfItsOwn of its own}; others share the archive's and do nothing. */
        @Override
        public void close() throws IOException {
            if (channel != null && own) {
                channel.close();
            }
        }

        /** {@code count} bytes from {@code at}, positioned at them in the buffer. */
        private ByteBuffer bytesAt(long at, int count) throws IOException {
            if (at < bufferStart || at + count > bufferStart + buffer.limit()) {
                if (count > buffer.capacity()) {
                    buffer = ByteBuffer.allocate(Math.max(count, 2 * buffer.capacity()));
                }
                buffer.clear().limit((int) Math.min(buffer.capacity(), end - at));
                long read = at;
                while (buffer.hasRemaining()) {
                    int n = channel.read(buffer, read);
                    if (n < 0) {
                        throw new IOException("the file ends at byte " + read + " (expected " + end + " bytes)");
                    }
                    read += n;
                }
                buffer.flip();
                bufferStart = at;
            }
            return buffer.position((int) (at - bufferStart));
        }
    }

    @Override
    public void close() throws IOException {
        if (segment != null) {
            segment.close();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256 (every Java SE runtime must)", e);
        }
    }
}
