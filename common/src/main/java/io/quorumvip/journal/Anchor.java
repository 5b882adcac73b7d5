package io.quorumvip.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorumvip.events.Hash256;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * Written by retention before it deletes segments: the first kept segment and the hash its chain starts from, plus
 * the history of what was removed. Verification of a trimmed journal starts here: the first segment's header must
 * carry exactly this base hash. The file is not signed; it is the value to compare with an off-host copy (the
 * coordinator receives every event and can hold the same hash).
 *
 * @param schema        anchor file format version
 * @param segmentIndex  the first segment still present
 * @param baseHash      hash of the last record removed (the first kept segment chains from it)
 * @param removed       every segment ever removed, oldest first
 */
public record Anchor(int schema, long segmentIndex, Hash256 baseHash, List<Removed> removed) {

    public static final String FILE_NAME = "anchor.json";
    public static final int SCHEMA = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One removed segment: its index, the hash it chained from, and when it was removed. */
    public record Removed(long segmentIndex, Hash256 baseHash, long removedAtMicros) {
    }

    public static Optional<Anchor> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Anchor anchor = JSON.readValue(file.toFile(), Anchor.class);
        if (anchor.schema() != SCHEMA) {
            throw new IOException(file + ": anchor schema " + anchor.schema() + " is not supported (expected " + SCHEMA + ")");
        }
        return Optional.of(anchor);
    }

    /** Writes {@code anchor.json} atomically (temp file, fsync, rename, directory fsync). */
    public void write(Path dir) throws IOException {
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Journal.fsyncDirectory(dir);
    }
}
