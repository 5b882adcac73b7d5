package io.quorumvip.coordinator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorumvip.journal.Journal;
import io.quorumvip.replay.ClusterView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a restart needs of one node's archive so that it reads only the records stored after it: where the archive
 * ended and the hash its chain ended with ({@link Archive#resume}), the archive's index, and the node's fold with its
 * {@code /v1/state} checkpoints. Saved beside the archive in {@value #DIR_NAME}/{@value #FILE_NAME}:
 * {@code QVCR}, the format version, the body's length and SHA-256, then the body (JSON). Anything that does not
 * check (magic, version, length, hash, node, counts that disagree) is refused with the reason, and the caller reads
 * the whole archive instead.
 *
 * @param schema  format version, {@link #SCHEMA}
 * @param node    the node whose archive it describes
 */
record RecoveryState(int schema, String node, Archive archive, Fold fold) {

    static final int SCHEMA = 1;
    /** The journal's directory for derived files (the replay index lives there too): the segment reader ignores it. */
    static final String DIR_NAME = ".qvip-index";
    static final String FILE_NAME = "coordinator-state.bin";
    private static final byte[] MAGIC = {'Q', 'V', 'C', 'R'};
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The archive's end and its index of every {@value NodeArchive#BLOCK}th record.
     *
     * @param resume    the last stored record: where a restart resumes checking the chain
     * @param count     how many records are stored
     * @param firstSeq  the sequence of the first stored record
     * @param offsets   where each indexed record's frame starts
     * @param hlcs      each indexed record's stamp
     */
    record Archive(Journal.ResumePoint resume, long count, long firstSeq, long[] offsets, long[] hlcs) {
    }

    /**
     * The node's fold after {@code applied} records, and its checkpoints.
     *
     * @param state  the fold's state ({@code ReplayState.of} rebuilds it)
     */
    record Fold(long applied, ClusterView state, List<ClusterStore.Checkpoint> checkpoints) {
    }

    /** Where the state of the archive in {@code archiveDir} is saved. */
    static Path file(Path archiveDir) {
        return archiveDir.resolve(DIR_NAME).resolve(FILE_NAME);
    }

    /**
     * Reads and checks the saved state of {@code node}'s archive in {@code archiveDir}.
     *
     * @throws java.nio.file.NoSuchFileException when none is saved
     * @throws IOException naming what does not check, when the file cannot be used
     */
    static RecoveryState load(Path archiveDir, String node) throws IOException {
        Path file = file(archiveDir);
        byte[] body = SavedFile.read(file, MAGIC, SCHEMA);
        RecoveryState state;
        try {
            state = JSON.readValue(body, RecoveryState.class);
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": body does not decode: " + e.getMessage(), e);
        }
        state.check(file, node);
        return state;
    }

    private void check(Path file, String expectedNode) throws IOException {
        if (!expectedNode.equals(node)) {
            throw new IOException(file + " is the state of node '" + node + "' (expected '" + expectedNode + "')");
        }
        if (archive == null || fold == null || archive.resume() == null || fold.state() == null
                || fold.checkpoints() == null || archive.offsets() == null || archive.hlcs() == null) {
            throw new IOException(file + ": a part of the saved state is missing");
        }
        long blocks = (archive.count() + NodeArchive.BLOCK - 1) / NodeArchive.BLOCK;
        if (archive.count() < 1 || archive.offsets().length != blocks || archive.hlcs().length != blocks
                || fold.applied() != archive.count()
                || archive.resume().lastSeq() != archive.firstSeq() + archive.count() - 1) {
            throw new IOException(file + ": the counts disagree (" + archive.count() + " records from seq "
                    + archive.firstSeq() + " to " + archive.resume().lastSeq() + ", " + archive.offsets().length
                    + " index entries, " + fold.applied() + " folded)");
        }
    }

    /**
     * Writes the state atomically: a temporary file, fsynced, renamed over the old one, the directory fsynced. Not
     * for two threads at once on one archive (they share the temporary file).
     */
    void save(Path archiveDir) throws IOException {
        SavedFile.write(file(archiveDir), MAGIC, SCHEMA, JSON.writeValueAsBytes(this));
    }

    /** Removes the saved state of the archive in {@code archiveDir}, if any. */
    static void remove(Path archiveDir) throws IOException {
        Files.deleteIfExists(file(archiveDir));
    }
}
