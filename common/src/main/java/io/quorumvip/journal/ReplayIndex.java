package io.quorumvip.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorumvip.events.Hash256;
import io.quorumvip.replay.ClusterView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The replayed state at the start of each segment, so {@code --at} folds one segment instead of the whole journal.
 * Kept beside the segments in {@value #DIR_NAME}. An entry is trusted only while its segment's header still
 * carries the same base hash: by the hash chain, everything before that point is then exactly what was indexed.
 * A file with another schema version is refused (and rebuilt by the caller).
 *
 * @param schema   index format version, {@link #SCHEMA}
 * @param entries  one per segment start, in segment order
 */
public record ReplayIndex(int schema, List<Entry> entries) {

    public static final int SCHEMA = 2;
    public static final String DIR_NAME = ".qvip-index";
    private static final String FILE_NAME = "replay-index.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param segmentIndex  the segment this entry starts
     * @param baseHash      that segment's base hash when indexed
     * @param firstHlc      HLC stamp of its first record ({@code Long.MAX_VALUE} when it had none yet)
     * @param stateAtStart  the fold of every record before the segment
     */
    public record Entry(long segmentIndex, Hash256 baseHash, long firstHlc, ClusterView stateAtStart) {
    }

    public ReplayIndex {
        entries = List.copyOf(entries);
    }

    static Path file(Path journalDir) {
        return journalDir.resolve(DIR_NAME).resolve(FILE_NAME);
    }

    /** The stored index, or an empty one when there is none; throws when the file's schema is not ours. */
    static ReplayIndex load(Path journalDir) throws IOException {
        Path file = file(journalDir);
        if (!Files.exists(file)) {
            return new ReplayIndex(SCHEMA, List.of());
        }
        int schema = JSON.readTree(file.toFile()).path("schema").asInt(-1);
        if (schema != SCHEMA) {
            throw new IncompatibleIndexException(file + ": replay index schema " + schema + " is not supported (expected "
                    + SCHEMA + ")");
        }
        return JSON.readValue(file.toFile(), ReplayIndex.class);
    }

    void save(Path journalDir) throws IOException {
        Path file = file(journalDir);
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The leading entries whose segments still exist with the same base hash. */
    ReplayIndex validPrefix(List<Path> segments) throws IOException {
        List<Entry> valid = new ArrayList<>();
        for (Entry entry : entries) {
            Path segment = segments.stream().filter(s -> SegmentHeader.indexOf(s) == entry.segmentIndex()).findFirst().orElse(null);
            if (segment == null || !Journal.readHeader(segment).baseHash().equals(entry.baseHash())) {
                break;
            }
            valid.add(entry);
        }
        return new ReplayIndex(SCHEMA, valid);
    }

    /** Thrown by {@link #load} for an index written by an incompatible version. */
    static final class IncompatibleIndexException extends IOException {
        IncompatibleIndexException(String message) {
            super(message);
        }
    }
}
