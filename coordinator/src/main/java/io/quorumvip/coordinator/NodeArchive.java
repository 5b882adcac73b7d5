package io.quorumvip.coordinator;

import io.quorumvip.events.EventRecord;
import io.quorumvip.events.Hash256;
import io.quorumvip.journal.Anchor;
import io.quorumvip.journal.EventCodec;
import io.quorumvip.journal.Journal;
import io.quorumvip.journal.JournalConfig;
import io.quorumvip.journal.JournalReader;
import io.quorumvip.journal.SegmentHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
 * journal is accepted from wherever its shipping starts (the anchor). Not thread-safe: {@link ClusterStore} guards it.
 */
final class NodeArchive implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeArchive.class);

    private final String node;
    private final Path dir;
    private final LongSupplier wallMicros;
    private final List<EventRecord> records;
    private final MessageDigest sha256 = sha256();
    private FileChannel segment;
    private long size;
    private long lastSeq;
    private Hash256 lastHash;

    private NodeArchive(String node, Path dir, LongSupplier wallMicros, List<EventRecord> records, FileChannel segment,
                        long lastSeq, Hash256 lastHash) throws IOException {
        this.node = node;
        this.dir = dir;
        this.wallMicros = wallMicros;
        this.records = records;
        this.segment = segment;
        this.size = segment == null ? 0 : segment.size();
        this.lastSeq = lastSeq;
        this.lastHash = lastHash;
    }

    /** Opens the archive of {@code node} in {@code dir}, recovering the last stored sequence and hash. */
    static NodeArchive open(Path dir, String node, LongSupplier wallMicros) throws IOException {
        Files.createDirectories(dir);
        List<Path> segments = JournalReader.segmentFiles(dir);
        if (segments.isEmpty()) {
            // An anchor.json without a segment is left by a crash while creating the segment: nothing was stored.
            Files.deleteIfExists(dir.resolve(Anchor.FILE_NAME));
            return new NodeArchive(node, dir, wallMicros, new ArrayList<>(), null, 0, null);
        }
        if (segments.size() > 1) {
            throw new IOException("archive of node '" + node + "' in " + dir + " has " + segments.size()
                    + " segments (expected 1: the coordinator writes one segment per node)");
        }
        long lastSeq;
        Hash256 lastHash;
        // The archive is one segment: recovery's own checked read of it is the only time it is decoded.
        List<EventRecord> records = new ArrayList<>();
        try (Journal recovered = Journal.open(JournalConfig.of(dir, node).withWallClock(wallMicros), records::add)) {
            recovered.recoveredTornTail().ifPresent(torn -> log.warn("archive of node {}: cut {} (it was never acknowledged)",
                    node, torn));
            lastSeq = recovered.lastDurableSeq();
            lastHash = recovered.lastDurableHash();
        }
        if (lastSeq == 0) {
            // A crash between creating the segment and the fsync of its first records: nothing was acknowledged, and
            // the header's anchor must come from whatever record arrives first next time.
            Files.delete(segments.get(0));
            Files.deleteIfExists(dir.resolve(Anchor.FILE_NAME));
            return new NodeArchive(node, dir, wallMicros, new ArrayList<>(), null, 0, null);
        }
        FileChannel channel = FileChannel.open(segments.get(0), StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new NodeArchive(node, dir, wallMicros, records, channel, lastSeq, lastHash);
    }

    String node() {
        return node;
    }

    /** The highest sequence durably stored, 0 when nothing is. */
    long lastSeq() {
        return lastSeq;
    }

    /** The stored records in sequence order (hence in HLC order: one node's stamps strictly increase). */
    List<EventRecord> records() {
        return Collections.unmodifiableList(records);
    }

    /**
     * Stores the records that continue the chain, fsyncs, and only then reports them stored. A record at or below the
     * stored sequence is a resend and skipped; the first record that does not continue the chain stops the batch.
     *
     * @throws IOException when the write or fsync fails; the file is cut back and nothing of this batch counts as stored
     */
    IngestOutcome append(List<ReceivedRecord> batch) throws IOException {
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
            write(accepted);
            accepted.forEach(r -> records.add(r.record()));
            lastSeq = expectedSeq - 1;
            lastHash = expectedHash;
        }
        return conflict == null
                ? new IngestOutcome.Stored(node, lastSeq, accepted.size(), duplicates)
                : new IngestOutcome.Conflict(node, lastSeq, accepted.size(), conflict);
    }

    private void write(List<ReceivedRecord> accepted) throws IOException {
        if (segment == null) {
            segment = createSegment(accepted.get(0).record().previousHash());
            size = SegmentHeader.SIZE;
        }
        int total = accepted.stream().mapToInt(r -> r.frame().length).sum();
        ByteBuffer bytes = ByteBuffer.allocate(total);
        accepted.forEach(r -> bytes.put(r.frame()));
        bytes.flip();
        try {
            long at = size;
            while (bytes.hasRemaining()) {
                at += segment.write(bytes, at);
            }
            segment.force(false);
            size = at;
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
