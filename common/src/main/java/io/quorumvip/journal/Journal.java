package io.quorumvip.journal;

import io.quorumvip.events.EventDraft;
import io.quorumvip.events.EventRecord;
import io.quorumvip.events.Hash256;
import io.quorumvip.events.HybridLogicalClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.zip.CRC32C;

/**
 * A node's durable, hash-chained event journal (the writer side).
 *
 * <p>Appenders encode their record into a shared batch under one lock, which fixes the order, the sequence number
 * and the hash chain; one writer thread writes each batch and fsyncs it, then completes the appenders' futures
 * (group commit). A failed write is undone on disk (truncate back to the last durable byte) and every record not
 * yet durable is failed, so the chain on disk never has a hole. Open recovers from a crash: see {@link #open}.
 */
public final class Journal implements AutoCloseable {

    private final JournalConfig config;
    private final Optional<TornTail> recoveredTornTail;
    private final Thread writer;
    private final Object lock = new Object();
    private final MessageDigest sha256 = sha256();
    private final CRC32C crc = new CRC32C();

    private BinaryWriter pending = new BinaryWriter(1 << 16);
    private List<Ack> pendingAcks = new ArrayList<>();
    private long nextSeq;
    private Hash256 lastHash;
    private final HybridLogicalClock hlc;
    private long durableSeq;
    private Hash256 durableHash;
    private JournalHealth health = JournalHealth.OK;
    private boolean closing;

    private BinaryWriter flushing = new BinaryWriter(1 << 16);
    private List<Ack> flushingAcks = new ArrayList<>();
    private FileChannel channel;
    private volatile long segmentIndex;
    private long segmentSize;
    private int committed;

    private record Ack(CompletableFuture<EventRecord> future, EventRecord record) {
    }

    private Journal(JournalConfig config, Recovery recovery) {
        this.config = config;
        this.recoveredTornTail = recovery.tornTail;
        this.channel = recovery.channel;
        this.segmentIndex = recovery.segmentIndex;
        this.segmentSize = recovery.segmentSize;
        this.durableSeq = recovery.lastSeq;
        this.durableHash = recovery.lastHash;
        this.nextSeq = recovery.lastSeq + 1;
        this.lastHash = recovery.lastHash;
        this.hlc = new HybridLogicalClock(recovery.lastHlc);
        this.writer = new Thread(this::writeLoop, "qvip-journal-writer-" + config.nodeId());
        this.writer.setDaemon(true);
    }

    /**
     * Opens (or creates) the journal in {@code config.dir()}, recovering from a crash: a torn tail of the last
     * segment is cut (see {@link #recoveredTornTail()}), a segment left with an unfinished header by a crash during a
     * roll is removed. Damage anywhere else in the last segment, a broken chain in it, a gap in the segment numbers,
     * an unknown schema version or records of another node throw {@link JournalDamageException}. Sealed segments are
     * only header-checked here; {@code qvip replay --verify} checks them fully. A last segment of an older schema
     * version is sealed and new records go into a new segment of the current one.
     */
    public static Journal open(JournalConfig config) throws IOException {
        return open(config, (record, offset) -> { });
    }

    /** A record recovery read and checked, with the offset of its frame in the last segment. */
    @FunctionalInterface
    public interface RecoveredRecord {
        void record(EventRecord record, long offset);
    }

    /**
     * {@link #open(JournalConfig)}, handing {@code lastSegmentRecords} each record of the last segment as recovery
     * reads and checks it (up to a torn tail): a reader whose journal is one segment (the coordinator's archive) gets
     * all its records, and where each lies, from that one read instead of decoding the segment a second time.
     */
    public static Journal open(JournalConfig config, RecoveredRecord lastSegmentRecords) throws IOException {
        return open(config, Optional.empty(), lastSegmentRecords);
    }

    /**
     * Where an earlier read of the last segment ended: the frame of the last record it read, and that record's
     * sequence, stamp and hash (the SHA-256 of its payload, which the next record chains from).
     */
    public record ResumePoint(long segmentIndex, long lastRecordOffset, long lastSeq, long lastHlc, Hash256 lastHash) {
    }

    /** The journal on disk does not hold the record a {@link ResumePoint} names: the point is stale or foreign. */
    public static final class ResumeMismatchException extends IOException {
        ResumeMismatchException(Path segment, ResumePoint point, String problem) {
            super(segment + ": the saved point (seq " + point.lastSeq() + " at byte " + point.lastRecordOffset()
                    + ") does not match: " + problem);
        }
    }

    /**
     * {@link #open(JournalConfig, RecoveredRecord)} from {@code resume}: recovery checks that the record at the point
     * is intact and is the one named (node, sequence, stamp, and its payload's SHA-256 is the point's hash), then
     * reads and checks the records after it exactly as a full open does (CRC, decoding, sequence, the chain from the
     * point's hash, torn tail), handing only those to {@code newRecords}. The records before the point are not read:
     * the caller vouches for them (it read them when it took the point); {@code qvip replay --verify} checks them.
     *
     * @throws ResumeMismatchException when the last segment is not the point's or does not hold the named record at
     *                                 its offset; nothing was changed on disk, a full open may follow
     */
    public static Journal open(JournalConfig config, ResumePoint resume, RecoveredRecord newRecords) throws IOException {
        return open(config, Optional.of(resume), newRecords);
    }

    private static Journal open(JournalConfig config, Optional<ResumePoint> resume, RecoveredRecord lastSegmentRecords)
            throws IOException {
        Files.createDirectories(config.dir());
        Journal journal = new Journal(config, Recovery.run(config, resume, lastSegmentRecords));
        journal.writer.start();
        return journal;
    }

    /** What open cut from the end of the journal, if anything; the agent should record it as an event. */
    public Optional<TornTail> recoveredTornTail() {
        return recoveredTornTail;
    }

    /**
     * Queues an event; the future completes with the full record once it is fsynced, or exceptionally with
     * {@link JournalUnwritableException} (the event is then not in the journal).
     */
    public CompletableFuture<EventRecord> append(EventDraft draft) {
        Objects.requireNonNull(draft, "draft");
        synchronized (lock) {
            if (closing || health.status() == JournalHealth.Status.BROKEN) {
                String why = closing ? "it is closed" : health.problem();
                return CompletableFuture.failedFuture(new JournalUnwritableException(
                        "journal " + config.dir() + " refuses appends: " + why + " (reopen the journal)", null));
            }
            EventRecord record = new EventRecord(config.nodeId(), nextSeq, draft.wallMicros(), draft.monoNanos(),
                    hlc.tick(draft.wallMicros() / 1000), draft.leaseEpoch(), draft.cause(), lastHash, draft.event());
            int start = pending.position();
            pending.int32(0);
            pending.int32(0);
            try {
                EventCodec.encode(record, pending);
            } catch (IllegalArgumentException e) {
                pending.position(start);
                throw e;
            }
            int length = pending.position() - start - SegmentCursor.FRAME_HEADER;
            if (length > EventCodec.MAX_PAYLOAD) {
                pending.position(start);
                throw new IllegalArgumentException(record.event().type() + " record is " + length
                        + " bytes (expected at most " + EventCodec.MAX_PAYLOAD + ")");
            }
            byte[] buf = pending.array();
            pending.int32At(start, length);
            crc.reset();
            crc.update(buf, start, 4);
            crc.update(buf, start + SegmentCursor.FRAME_HEADER, length);
            pending.int32At(start + 4, (int) crc.getValue());
            sha256.update(buf, start + SegmentCursor.FRAME_HEADER, length);
            lastHash = new Hash256(sha256.digest());
            nextSeq++;
            CompletableFuture<EventRecord> future = new CompletableFuture<>();
            pendingAcks.add(new Ack(future, record));
            if (pendingAcks.size() == 1) {
                lock.notifyAll();
            }
            return future;
        }
    }

    /**
     * The write-ahead path: appends and blocks until the event is on disk. Call it before adding the VIP; if it
     * throws, do not add the address.
     *
     * @throws JournalUnwritableException when the event could not be made durable
     */
    public EventRecord appendDurably(EventDraft draft) {
        try {
            return append(draft).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof JournalUnwritableException unwritable) {
                throw unwritable;
            }
            throw new JournalUnwritableException("journal " + config.dir() + " append failed: " + e.getCause(), e.getCause());
        }
    }

    public JournalHealth health() {
        synchronized (lock) {
            return health;
        }
    }

    public long lastDurableSeq() {
        synchronized (lock) {
            return durableSeq;
        }
    }

    public Hash256 lastDurableHash() {
        synchronized (lock) {
            return durableHash;
        }
    }

    public Path dir() {
        return config.dir();
    }

    /**
     * Deletes the oldest sealed segments while the journal is over its size budget or their newest record is older
     * than the retention age. Before deleting, it records the {@link Anchor} the first kept segment chains from.
     *
     * @return the deleted segment files
     */
    public List<Path> applyRetention() throws IOException {
        long active = segmentIndex;
        List<Path> segments = JournalReader.segmentFiles(config.dir());
        long total = 0;
        for (Path segment : segments) {
            total += Files.size(segment);
        }
        long cutoff = config.wallClockMicros().getAsLong() - config.retainMicros();
        List<Path> doomed = new ArrayList<>();
        for (int i = 0; i + 1 < segments.size() && SegmentHeader.indexOf(segments.get(i)) < active; i++) {
            long newestRecordBefore = readHeader(segments.get(i + 1)).createdWallMicros();
            if (total <= config.retainBytes() && newestRecordBefore >= cutoff) {
                break;
            }
            total -= Files.size(segments.get(i));
            doomed.add(segments.get(i));
        }
        if (doomed.isEmpty()) {
            return doomed;
        }
        Path firstKept = segments.get(doomed.size());
        SegmentHeader kept = readHeader(firstKept);
        List<Anchor.Removed> history = new ArrayList<>(Anchor.read(config.dir()).map(Anchor::removed).orElse(List.of()));
        long now = config.wallClockMicros().getAsLong();
        for (Path segment : doomed) {
            SegmentHeader header = readHeader(segment);
            history.add(new Anchor.Removed(header.index(), header.baseHash(), now));
        }
        new Anchor(Anchor.SCHEMA, kept.index(), kept.baseHash(), history).write(config.dir());
        for (Path segment : doomed) {
            Files.delete(segment);
        }
        fsyncDirectory(config.dir());
        return doomed;
    }

    /** Makes every queued event durable, stops the writer and closes the file. Appends afterwards fail. */
    @Override
    public void close() throws IOException {
        synchronized (lock) {
            if (closing) {
                return;
            }
            closing = true;
            lock.notifyAll();
        }
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while closing journal " + config.dir(), e);
        } finally {
            channel.close();
            synchronized (lock) {
                health = new JournalHealth(JournalHealth.Status.CLOSED, "journal " + config.dir() + " is closed");
            }
        }
    }

    private void writeLoop() {
        while (true) {
            Hash256 batchHash;
            synchronized (lock) {
                while (pendingAcks.isEmpty() && !closing) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        closing = true;
                    }
                }
                if (pendingAcks.isEmpty()) {
                    return;
                }
                BinaryWriter bytes = flushing;
                flushing = pending;
                pending = bytes;
                List<Ack> acks = flushingAcks;
                flushingAcks = pendingAcks;
                pendingAcks = acks;
                batchHash = lastHash;
            }
            committed = 0;
            try {
                writeBatch(batchHash);
            } catch (IOException | RuntimeException e) {
                failNotDurable(e);
            }
            flushing.reset();
            flushingAcks.clear();
        }
    }

    /**
     * Writes the batch, sealing the segment at a record boundary once it reaches its size. Each part is fsynced and
     * acknowledged before the next segment starts, so a later failure never fails an event that is durable.
     */
    private void writeBatch(Hash256 batchHash) throws IOException {
        byte[] buf = flushing.array();
        int pos = 0;
        int chunkStart = 0;
        for (int k = 0; k < flushingAcks.size(); k++) {
            if (segmentSize + (pos - chunkStart) >= config.maxSegmentBytes()
                    && segmentSize + (pos - chunkStart) > SegmentHeader.SIZE) {
                commit(buf, chunkStart, pos, k, flushingAcks.get(k).record().previousHash());
                roll(flushingAcks.get(k).record().previousHash());
                chunkStart = pos;
            }
            pos += SegmentCursor.FRAME_HEADER + ByteBuffer.wrap(buf, pos, 4).getInt();
        }
        commit(buf, chunkStart, pos, flushingAcks.size(), batchHash);
    }

    /** Makes bytes [from, to) durable and acknowledges the acks up to (excluding) {@code ackEnd}. */
    private void commit(byte[] buf, int from, int to, int ackEnd, Hash256 hashAfter) throws IOException {
        if (from == to) {
            return;
        }
        writeFully(channel, ByteBuffer.wrap(buf, from, to - from), segmentSize);
        channel.force(false);
        segmentSize += to - from;
        synchronized (lock) {
            durableSeq = flushingAcks.get(ackEnd - 1).record().seq();
            durableHash = hashAfter;
            health = JournalHealth.OK;
        }
        for (int k = committed; k < ackEnd; k++) {
            Ack ack = flushingAcks.get(k);
            ack.future().complete(ack.record());
        }
        committed = ackEnd;
    }

    /** Undo a failed batch: cut the file back to its last durable byte and fail everything not yet durable. */
    private void failNotDurable(Exception cause) {
        List<Ack> failed = new ArrayList<>(flushingAcks.subList(committed, flushingAcks.size()));
        Path file = config.dir().resolve(SegmentHeader.fileName(segmentIndex));
        String problem;
        synchronized (lock) {
            failed.addAll(pendingAcks);
            pendingAcks.clear();
            pending.reset();
            nextSeq = durableSeq + 1;
            lastHash = durableHash;
            String range = failed.isEmpty() ? "no pending events"
                    : "seq " + failed.get(0).record().seq() + ".." + failed.get(failed.size() - 1).record().seq();
            problem = "write of " + range + " to " + file + " failed: " + cause.getMessage();
            try {
                channel.truncate(segmentSize);
                channel.force(true);
                health = new JournalHealth(JournalHealth.Status.FAILING, problem
                        + " (free space or fix the disk; the next append retries)");
            } catch (IOException | RuntimeException undo) {
                health = new JournalHealth(JournalHealth.Status.BROKEN, problem + "; cutting back to byte "
                        + segmentSize + " also failed: " + undo.getMessage());
            }
        }
        JournalUnwritableException error = new JournalUnwritableException(problem
                + ": these events are not in the journal", cause);
        for (Ack ack : failed) {
            ack.future().completeExceptionally(error);
        }
    }

    private void roll(Hash256 baseHash) throws IOException {
        long nextIndex = segmentIndex + 1;
        Path file = config.dir().resolve(SegmentHeader.fileName(nextIndex));
        FileChannel next = createSegment(file,
                new SegmentHeader(EventCodec.SCHEMA_VERSION, nextIndex, config.wallClockMicros().getAsLong(), baseHash));
        channel.close();
        channel = next;
        segmentIndex = nextIndex;
        segmentSize = SegmentHeader.SIZE;
    }

    static FileChannel createSegment(Path file, SegmentHeader header) throws IOException {
        FileChannel created = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            writeFully(created, header.encode(), 0);
            created.force(true);
            fsyncDirectory(file.getParent());
            return created;
        } catch (IOException | RuntimeException e) {
            created.close();
            Files.deleteIfExists(file);
            throw e;
        }
    }

    static SegmentHeader readHeader(Path segment) throws IOException {
        try (FileChannel file = FileChannel.open(segment, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(SegmentHeader.SIZE);
            while (buf.hasRemaining() && file.read(buf) >= 0) {
                continue;
            }
            return SegmentHeader.decode(segment, buf.flip());
        }
    }

    static void writeFully(FileChannel file, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            at += file.write(buf, at);
        }
    }

    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256 (every Java SE runtime must)", e);
        }
    }

    /** Opening a journal: find the end of the chain, cut a torn tail, refuse damage. */
    private static final class Recovery {
        FileChannel channel;
        long segmentIndex;
        long segmentSize;
        long lastSeq;
        long lastHlc;
        Hash256 lastHash;
        Optional<TornTail> tornTail = Optional.empty();

        static Recovery run(JournalConfig config, Optional<ResumePoint> resume, RecoveredRecord lastSegmentRecords)
                throws IOException {
            Recovery r = new Recovery();
            List<Path> segments = new ArrayList<>(JournalReader.segmentFiles(config.dir()));
            if (resume.isPresent()) {
                // Checked before anything on disk changes, so a stale point leaves the journal as it was.
                Path last = segments.isEmpty() ? config.dir() : segments.get(segments.size() - 1);
                if (segments.isEmpty() || SegmentHeader.indexOf(last) != resume.get().segmentIndex()) {
                    throw new ResumeMismatchException(last, resume.get(), segments.isEmpty() ? "the journal has no segment"
                            : "the last segment is " + SegmentHeader.indexOf(last) + " (expected " + resume.get().segmentIndex() + ")");
                }
            }
            if (!segments.isEmpty()) {
                r.dropUnfinishedRoll(segments);
            }
            if (segments.isEmpty()) {
                if (Anchor.read(config.dir()).isPresent()) {
                    throw new JournalDamageException(config.dir().resolve(Anchor.FILE_NAME), 0,
                            "an anchor exists but no segment does: the journal's segments were removed by hand");
                }
                Path first = config.dir().resolve(SegmentHeader.fileName(1));
                r.channel = createSegment(first,
                        new SegmentHeader(EventCodec.SCHEMA_VERSION, 1, config.wallClockMicros().getAsLong(), Hash256.ZERO));
                r.segmentIndex = 1;
                r.segmentSize = SegmentHeader.SIZE;
                r.lastHash = Hash256.ZERO;
                return r;
            }
            for (Path segment : segments) {
                SegmentHeader header = readHeader(segment);
                if (header.index() != SegmentHeader.indexOf(segment)) {
                    throw new JournalDamageException(segment, 0, "header says segment " + header.index()
                            + " (expected " + SegmentHeader.indexOf(segment) + " as in the file name)");
                }
            }
            Path last = segments.get(segments.size() - 1);
            ScanResult tail = scan(config, last, true, resume, lastSegmentRecords);
            r.lastHash = tail.lastHash;
            r.lastSeq = tail.lastSeq;
            r.lastHlc = tail.lastHlc;
            if (tail.records == 0 && segments.size() > 1) {
                ScanResult previous = scan(config, segments.get(segments.size() - 2), false, Optional.empty(),
                        (record, offset) -> { });
                if (!previous.lastHash.equals(tail.lastHash)) {
                    throw new JournalDamageException(last, 0, "segment chains from " + tail.lastHash
                            + " but the previous segment ends with " + previous.lastHash);
                }
                r.lastSeq = previous.lastSeq;
                r.lastHlc = previous.lastHlc;
            }
            r.channel = FileChannel.open(last, StandardOpenOption.READ, StandardOpenOption.WRITE);
            if (tail.torn.isPresent()) {
                TornTail torn = tail.torn.get();
                r.channel.truncate(torn.offset());
                r.channel.force(true);
                r.tornTail = Optional.of(torn);
            }
            r.segmentIndex = SegmentHeader.indexOf(last);
            r.segmentSize = r.channel.size();
            if (readHeader(last).schemaVersion() < EventCodec.SCHEMA_VERSION) {
                r.startCurrentVersionSegment(config);
            }
            return r;
        }

        /**
         * A segment's header names the layout of all its records, so records of this version never go into a
         * segment of an older one: the older segment is sealed as it is, and the chain goes on in a new segment.
         */
        private void startCurrentVersionSegment(JournalConfig config) throws IOException {
            long nextIndex = segmentIndex + 1;
            FileChannel next = createSegment(config.dir().resolve(SegmentHeader.fileName(nextIndex)),
                    new SegmentHeader(EventCodec.SCHEMA_VERSION, nextIndex, config.wallClockMicros().getAsLong(), lastHash));
            channel.close();
            channel = next;
            segmentIndex = nextIndex;
            segmentSize = SegmentHeader.SIZE;
        }

        /** A crash while rolling can leave a last segment shorter than its header: it never held a record. */
        private void dropUnfinishedRoll(List<Path> segments) throws IOException {
            Path last = segments.get(segments.size() - 1);
            long size = Files.size(last);
            if (size < SegmentHeader.SIZE) {
                Files.delete(last);
                Journal.fsyncDirectory(last.getParent());
                segments.remove(segments.size() - 1);
                tornTail = Optional.of(new TornTail(last, 0, size, "segment header unfinished (crash while rolling): removed"));
            }
        }

        private record ScanResult(long records, long lastSeq, long lastHlc, Hash256 lastHash, Optional<TornTail> torn) {
        }

        private static ScanResult scan(JournalConfig config, Path segment, boolean lastSegment,
                                       Optional<ResumePoint> resume, RecoveredRecord visitor) throws IOException {
            MessageDigest digest = sha256();
            EventCodec codec = new EventCodec();
            try (SegmentCursor cursor = SegmentCursor.open(segment)) {
                Hash256 hash = cursor.header().baseHash();
                long records = 0;
                long seq = 0;
                long hlcStamp = 0;
                if (resume.isPresent()) {
                    ResumePoint point = resume.get();
                    checkResumePoint(config, cursor, codec, digest, point);
                    hash = point.lastHash();
                    records = 1;
                    seq = point.lastSeq();
                    hlcStamp = point.lastHlc();
                }
                while (true) {
                    SegmentCursor.Frame frame = cursor.next();
                    if (frame == SegmentCursor.Frame.END) {
                        return new ScanResult(records, seq, hlcStamp, hash, Optional.empty());
                    }
                    if (frame != SegmentCursor.Frame.RECORD) {
                        TornTail torn = JournalReader.tornOrDamaged(cursor, frame, lastSegment);
                        return new ScanResult(records, seq, hlcStamp, hash, Optional.of(torn));
                    }
                    EventRecord record = JournalReader.decode(codec, cursor);
                    if (!record.node().equals(config.nodeId())) {
                        throw new JournalDamageException(segment, cursor.offset(), "record of node '" + record.node()
                                + "' in the journal of node '" + config.nodeId() + "' (expected one node per journal directory)");
                    }
                    if (!record.previousHash().equals(hash)) {
                        throw new JournalDamageException(segment, cursor.offset(), "hash chain broken at seq " + record.seq()
                                + ": record chains from " + record.previousHash() + " (expected " + hash + ")");
                    }
                    if (records > 0 && record.seq() != seq + 1) {
                        throw new JournalDamageException(segment, cursor.offset(), "sequence jumps from " + seq + " to "
                                + record.seq() + " (expected " + (seq + 1) + ")");
                    }
                    digest.update(cursor.payload(), cursor.payloadOffset(), cursor.payloadLength());
                    hash = new Hash256(digest.digest());
                    visitor.record(record, cursor.offset());
                    seq = record.seq();
                    hlcStamp = record.hlc();
                    records++;
                }
            }
        }

        /** Reads the record at the point (leaving the cursor after it) and checks it is the one the point names. */
        private static void checkResumePoint(JournalConfig config, SegmentCursor cursor, EventCodec codec,
                                             MessageDigest digest, ResumePoint point) throws IOException {
            long at = point.lastRecordOffset();
            if (at < SegmentHeader.SIZE || at >= cursor.size()) {
                throw new ResumeMismatchException(cursor.file(), point, "the segment has " + cursor.size() + " bytes");
            }
            cursor.seek(at);
            SegmentCursor.Frame frame = cursor.next();
            if (frame != SegmentCursor.Frame.RECORD) {
                throw new ResumeMismatchException(cursor.file(), point, SegmentCursor.describe(frame) + " there");
            }
            EventRecord record;
            try {
                record = codec.decode(cursor.payload(), cursor.payloadOffset(), cursor.payloadLength());
            } catch (MalformedRecordException e) {
                throw new ResumeMismatchException(cursor.file(), point, "the frame there does not decode: " + e.getMessage());
            }
            if (!record.node().equals(config.nodeId()) || record.seq() != point.lastSeq() || record.hlc() != point.lastHlc()) {
                throw new ResumeMismatchException(cursor.file(), point, "the record there is seq " + record.seq()
                        + " of node '" + record.node() + "' stamped " + record.hlc() + " (expected seq " + point.lastSeq()
                        + " of node '" + config.nodeId() + "' stamped " + point.lastHlc() + ")");
            }
            digest.update(cursor.payload(), cursor.payloadOffset(), cursor.payloadLength());
            Hash256 hash = new Hash256(digest.digest());
            if (!hash.equals(point.lastHash())) {
                throw new ResumeMismatchException(cursor.file(), point, "the record there hashes to " + hash.toHex()
                        + " (expected " + point.lastHash().toHex() + ")");
            }
        }
    }
}
