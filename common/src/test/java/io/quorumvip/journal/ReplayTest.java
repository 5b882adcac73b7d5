package io.quorumvip.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.events.EventRecord;
import io.quorumvip.events.Hash256;
import io.quorumvip.events.HybridLogicalClock;
import io.quorumvip.replay.ClusterView;
import io.quorumvip.replay.ReplayState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {

    @TempDir
    Path dir;

    private List<EventRecord> written;

    @BeforeEach
    void writeJournalOfManySegments() throws IOException {
        try (Journal journal = Journal.open(JournalConfig.of(dir, "node-11").withSegmentBytes(8192))) {
            for (int i = 0; i < 2_000; i++) {
                journal.append(JournalFixtures.draft(i));
            }
            journal.appendDurably(JournalFixtures.draft(2_000));
        }
        written = JournalFixtures.readAll(dir);
        assertThat(JournalReader.segmentFiles(dir)).hasSizeGreaterThan(10);
    }

    private ClusterView fullFoldUpTo(long hlcLimit) {
        ReplayState state = new ReplayState();
        written.stream().filter(r -> r.hlc() <= hlcLimit).forEach(state::apply);
        return state.view();
    }

    @Test
    void shouldGiveTheSameStateThroughTheIndexAsAFullFold() throws IOException {
        for (int seq : new int[] {1, 2, 500, 999, 1_000, 1_777, 2_001}) {
            long hlc = written.get(seq - 1).hlc();
            assertThat(Replay.stateAt(List.of(dir), hlc).view()).as("state at seq " + seq).isEqualTo(fullFoldUpTo(hlc));
        }
    }

    @Test
    void shouldFoldOnlyFromTheIndexedSegmentStart() throws IOException {
        Replay.stateAt(List.of(dir), Long.MAX_VALUE);
        long hlc = written.get(1_900).hlc();
        Replay.Result result = Replay.stateAt(List.of(dir), hlc);
        assertThat(result.recordsFolded()).isLessThan(200);
        assertThat(result.view().nodes().get("node-11").lastSeq()).isEqualTo(1_901);
    }

    @Test
    void shouldGiveAnEmptyStateBeforeTheFirstEvent() throws IOException {
        long before = HybridLogicalClock.of(JournalFixtures.START_WALL_MICROS / 1000 - 1, 0);
        assertThat(Replay.stateAt(List.of(dir), before).view().nodes()).isEmpty();
    }

    @Test
    void shouldRefuseAnIndexOfAnotherSchemaAndRebuildIt() throws IOException {
        Replay.stateAt(List.of(dir), Long.MAX_VALUE);
        Files.writeString(ReplayIndex.file(dir), "{\"schema\": 99, \"entries\": []}");

        Replay.Result result = Replay.stateAt(List.of(dir), Long.MAX_VALUE);

        assertThat(result.notes()).anySatisfy(note -> assertThat(note).contains("replay index schema 99 is not supported (expected " + ReplayIndex.SCHEMA + ")"));
        assertThat(result.view()).isEqualTo(fullFoldUpTo(Long.MAX_VALUE));
        assertThat(ReplayIndex.load(dir).schema()).isEqualTo(ReplayIndex.SCHEMA);
    }

    @Test
    void shouldIgnoreIndexEntriesWhoseSegmentChanged() throws IOException {
        Replay.stateAt(List.of(dir), Long.MAX_VALUE);
        ReplayIndex stored = ReplayIndex.load(dir);
        List<ReplayIndex.Entry> forged = new ArrayList<>(stored.entries());
        ReplayIndex.Entry third = forged.get(2);
        forged.set(2, new ReplayIndex.Entry(third.segmentIndex(), Hash256.ZERO, third.firstHlc(), ClusterView.EMPTY));
        new ReplayIndex(ReplayIndex.SCHEMA, forged).save(dir);

        long hlc = written.get(1_500).hlc();
        assertThat(Replay.stateAt(List.of(dir), hlc).view()).isEqualTo(fullFoldUpTo(hlc));
    }
}
