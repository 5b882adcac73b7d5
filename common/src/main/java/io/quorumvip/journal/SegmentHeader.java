package io.quorumvip.journal;

import io.quorumvip.events.Hash256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The fixed 64-byte header at the start of every segment file: magic, schema version, segment index, creation
 * time, and the hash the segment's first record chains from (the last record of the previous segment). Retention
 * may delete earlier segments; the base hash here plus the anchor file is where verification then starts.
 */
public record SegmentHeader(int schemaVersion, long index, long createdWallMicros, Hash256 baseHash) {

    public static final int SIZE = 64;
    private static final byte[] MAGIC = "QVIPJRNL".getBytes(StandardCharsets.US_ASCII);
    private static final String PREFIX = "segment-";
    private static final String SUFFIX = ".qvj";

    public static String fileName(long index) {
        return String.format("%s%020d%s", PREFIX, index, SUFFIX);
    }

    /** The segment index named by a file, or -1 when the file is not a segment. */
    public static long indexOf(Path file) {
        String name = file.getFileName().toString();
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX) || name.length() != PREFIX.length() + 20 + SUFFIX.length()) {
            return -1;
        }
        try {
            return Long.parseLong(name, PREFIX.length(), PREFIX.length() + 20, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public ByteBuffer encode() {
        ByteBuffer buf = ByteBuffer.allocate(SIZE);
        buf.put(MAGIC).putInt(schemaVersion).putLong(index).putLong(createdWallMicros).put(baseHash.bytes());
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int) crc.getValue());
        return buf.flip();
    }

    /**
     * Parses a header, refusing what this code cannot read.
     *
     * @throws JournalDamageException naming the file when the magic, CRC or schema version is wrong
     */
    static SegmentHeader decode(Path file, ByteBuffer source) {
        if (source.remaining() < SIZE) {
            throw new JournalDamageException(file, 0, "segment header has " + source.remaining() + " bytes (expected " + SIZE + ")");
        }
        byte[] bytes = new byte[SIZE];
        source.get(bytes);
        if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new JournalDamageException(file, 0, "not a quorum-vip journal segment: magic is wrong (expected QVIPJRNL)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, 60);
        if (buf.getInt(60) != (int) crc.getValue()) {
            throw new JournalDamageException(file, 0, "segment header CRC32C mismatch: the header is damaged");
        }
        buf.position(MAGIC.length);
        int version = buf.getInt();
        if (version < EventCodec.OLDEST_READABLE_VERSION || version > EventCodec.SCHEMA_VERSION) {
            throw new JournalDamageException(file, 0, "segment schema version " + version + " is not supported (expected "
                    + EventCodec.OLDEST_READABLE_VERSION + ".." + EventCodec.SCHEMA_VERSION
                    + "): read it with the quorum-vip release that wrote it");
        }
        long index = buf.getLong();
        long created = buf.getLong();
        byte[] hash = new byte[Hash256.LENGTH];
        buf.get(hash);
        return new SegmentHeader(version, index, created, new Hash256(hash));
    }
}
