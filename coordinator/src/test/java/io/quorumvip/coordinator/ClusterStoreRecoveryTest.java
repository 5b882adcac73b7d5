package io.quorumvip.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorumvip.events.EventRecord;
import io.quorumvip.events.HybridLogicalClock;
import io.quorumvip.journal.JournalDamageException;
import io.quorumvip.journal.JournalVerifier;
import io.quorumvip.journal.SegmentHeader;
import io.quorumvip.replay.ClusterView;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restart from the saved recovery states, against a recovery that reads the archives whole. */
class ClusterStoreRecoveryTest {

    @TempDir
    Path root;

    private List<byte[]> n1;
    private List<byte[]> n2;

    @BeforeEach
    void journals() throws IOException {
        n1 = AgentJournals.history(root.resolve("agent-n1"), "n1", 3 * ClusterStore.CHECKPOINT_EVERY + 100);
        n2 = AgentJournals.history(root.resolve("agent-n2"), "n2", 2 * ClusterStore.CHECKPOINT_EVERY + 300);
    }

    /** What queries see of a store: every record paged in merged order, the cluster, the state at many times. */
    private record Answers(List<EventRecord> paged, long version, ClusterView cluster, List<ClusterView> states) {
    }

    private static Answers answers(Path data) throws IOException {
        try (ClusterStore store = ClusterStore.open(data, () -> 0)) {
            List<EventRecord> paged = new ArrayList<>();
            Optional<EventCursor> cursor = Optional.empty();
            for (List<EventRecord> page = store.events(cursor, 997); !page.isEmpty(); page = store.events(cursor, 997)) {
                paged.addAll(page);
                cursor = Optional.of(EventCursor.after(page.get(page.size() - 1)));
            }
            List<ClusterView> states = new ArrayList<>();
            long last = paged.get(paged.size() - 1).hlc();
            for (long ms = AgentJournals.START_MILLIS - 1; HybridLogicalClock.of(ms, 0) <= last; ms += 1_913) {
                states.add(store.stateAt(HybridLogicalClock.endOfMillis(ms)));
            }
            return new Answers(paged, store.version(), store.cluster(), states);
        }
    }

    /** Stores seqs {@code from..to} of each node's journal (none of n2 when empty) and closes the store (which saves the states). */
    private void ingest(Path data, int from1, int to1, int from2, int to2) throws IOException {
        try (ClusterStore store = ClusterStore.open(data, () -> 0)) {
            store.ingest("n1", RecordBatch.parse(AgentJournals.body(n1, from1, to1)));
            if (from2 <= to2) {
                store.ingest("n2", RecordBatch.parse(AgentJournals.body(n2, from2, to2)));
            }
        }
    }

    private static Path state(Path data, String node) {
        return RecoveryState.file(data.resolve("nodes").resolve(node));
    }

    /** A copy of {@code data} without the saved states: opening it reads every archive whole. */
    private Path wholeCopy(Path data) throws IOException {
        Path copy = copyOf(data, data.getFileName() + "-whole");
        Files.delete(state(copy, "n1"));
        Files.delete(state(copy, "n2"));
        return copy;
    }

    @Test
    void shouldResumeAfterMoreRecordsArrivedAndAnswerExactlyAsAWholeRecovery() throws IOException {
        Path data = root.resolve("data");
        ingest(data, 1, n1.size() / 2, 1, n2.size() / 3);
        Path olderN1 = Files.copy(state(data, "n1"), root.resolve("older-n1"));
        Path olderN2 = Files.copy(state(data, "n2"), root.resolve("older-n2"));
        ingest(data, n1.size() / 2 + 1, n1.size(), n2.size() / 3 + 1, n2.size());
        // As after a crash: the saved states are older than the archives, which hold records stored after them.
        Files.copy(olderN1, state(data, "n1"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(olderN2, state(data, "n2"), StandardCopyOption.REPLACE_EXISTING);
        Path whole = wholeCopy(data);

        Answers resumed = answers(data);

        assertThat(resumed.paged()).hasSize(n1.size() + n2.size());
        assertThat(resumed.states()).hasSizeGreaterThan(10);
        assertThat(resumed).isEqualTo(answers(whole));
        // The restart saved its own state on close: the next one resumes from the end.
        assertThat(RecoveryState.load(data.resolve("nodes/n1"), "n1").archive().resume().lastSeq()).isEqualTo(n1.size());
    }

    @Test
    void shouldSaveWhileStoringSoThatARestartAfterACrashResumesFromTheLastSave() throws IOException {
        Path data = root.resolve("data");
        Path crashed = root.resolve("crashed");
        try (ClusterStore store = ClusterStore.open(data, () -> 0, 1_000)) {
            for (int from = 1; from <= n1.size(); from += 600) {
                store.ingest("n1", RecordBatch.parse(AgentJournals.body(n1, from, Math.min(n1.size(), from + 599))));
            }
            store.ingest("n2", RecordBatch.parse(AgentJournals.body(n2, 1, 999)));
            // A copy taken while it runs is what a SIGKILL leaves: no state saved at close.
            copyTree(data, crashed);
        }
        long savedAt = RecoveryState.load(crashed.resolve("nodes/n1"), "n1").archive().resume().lastSeq();
        // Saved after the batch that took it 1,000 or more past the last save; the records after it must be read.
        assertThat(savedAt).isGreaterThan(n1.size() - 1_600L).isLessThan(n1.size());
        assertThat(RecoveryState.file(crashed.resolve("nodes/n2"))).doesNotExist();
        Path whole = copyOf(crashed, "crashed-whole-n1");
        Files.delete(state(whole, "n1"));

        Answers answers = answers(crashed);
        assertThat(answers.paged()).hasSize(n1.size() + 999);
        assertThat(answers).isEqualTo(answers(whole));
    }

    @Test
    void shouldNotRereadWhatTheSavedStateCoversLeavingThatToReplayVerify() throws IOException {
        Path data = root.resolve("data");
        ingest(data, 1, n1.size(), 1, n2.size());
        Answers before = answers(data);
        Path segment = data.resolve("nodes/n1").resolve(SegmentHeader.fileName(1));
        flipByte(segment, SegmentHeader.SIZE + 100);

        // The documented limit: damage before the saved state is not what a restart looks for...
        assertThat(answers(data).cluster()).isEqualTo(before.cluster());
        // ...the whole check finds it, and so does a restart without the saved state.
        assertThat(JournalVerifier.verify(List.of(data.resolve("nodes/n1"))).findings()).isNotEmpty();
        Files.delete(state(data, "n1"));
        assertThatThrownBy(() -> ClusterStore.open(data, () -> 0)).isInstanceOf(JournalDamageException.class)
                .hasMessageContaining(segment.toString());
    }

    @Test
    void shouldReadTheArchivesWholeWhenTheSavedStateIsDamagedCutForeignOrStale() throws IOException {
        Path data = root.resolve("data");
        ingest(data, 1, n1.size() / 2, 1, n2.size());
        Path halfN1 = Files.copy(data.resolve("nodes/n1").resolve(SegmentHeader.fileName(1)), root.resolve("half-n1"));
        ingest(data, n1.size() / 2 + 1, n1.size(), 1, 0);
        byte[] good = Files.readAllBytes(state(data, "n1"));
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x40;
        byte[] foreign = Files.readAllBytes(state(data, "n2"));

        List<byte[]> states = List.of(flipped, Arrays.copyOf(good, good.length - 7), new byte[0], foreign);
        for (int i = 0; i < states.size(); i++) {
            Path copy = copyOf(data, "case-" + i);
            Files.write(state(copy, "n1"), states.get(i));
            Path whole = wholeCopy(copy);
            Answers answers = answers(copy);
            assertThat(answers).as("saved state %d", i).isEqualTo(answers(whole));
            assertThat(answers.paged()).hasSize(n1.size() + n2.size());
        }
        // Stale: a state saved after records the archive (restored from a backup) does not hold.
        Path stale = copyOf(data, "stale");
        Files.copy(halfN1, stale.resolve("nodes/n1").resolve(SegmentHeader.fileName(1)), StandardCopyOption.REPLACE_EXISTING);
        Path whole = wholeCopy(stale);
        Answers answers = answers(stale);
        assertThat(answers).isEqualTo(answers(whole));
        assertThat(answers.paged()).hasSize(n1.size() / 2 + n2.size());
    }

    private Path copyOf(Path data, String name) throws IOException {
        Path copy = root.resolve(name);
        copyTree(data, copy);
        return copy;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
            }
        }
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x40);
        }
    }
}
