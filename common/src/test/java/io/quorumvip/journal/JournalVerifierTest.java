package io.quorumvip.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalVerifierTest {

    @TempDir
    Path dir;

    private JournalConfig smallSegments() {
        return JournalConfig.of(dir, "node-11").withSegmentBytes(4096);
    }

    private void write(JournalConfig config, int count) throws IOException {
        try (Journal journal = Journal.open(config)) {
            for (int i = 0; i < count; i++) {
                journal.append(JournalFixtures.draft(i));
            }
            journal.appendDurably(JournalFixtures.draft(count));
        }
    }

    @Test
    void shouldVerifyARetainedJournalStartingFromItsAnchor() throws IOException {
        JournalConfig config = smallSegments().withRetention(3 * 4096, Duration.ofDays(1));
        try (Journal journal = Journal.open(config)) {
            for (int i = 0; i < 400; i++) {
                journal.append(JournalFixtures.draft(i));
            }
            journal.appendDurably(JournalFixtures.draft(400));
            assertThat(journal.applyRetention()).isNotEmpty();
        }
        JournalVerifier.Result result = JournalVerifier.verify(List.of(dir));
        assertThat(result.findings()).isEmpty();
        assertThat(result.records()).isBetween(1L, 400L);
    }

    @Test
    void shouldReportAChainThatStartsMidwayWithoutAnAnchor() throws IOException {
        write(smallSegments(), 300);
        Path first = JournalReader.segmentFiles(dir).get(0);
        Files.delete(first);

        JournalVerifier.Result result = JournalVerifier.verify(List.of(dir));

        assertThat(result.findings()).singleElement().satisfies(finding ->
                assertThat(finding.problem()).contains("there is no anchor.json"));
    }

    @Test
    void shouldReportASealedSegmentCutExactlyAtARecordBoundary() throws IOException {
        write(smallSegments(), 300);
        List<Path> segments = JournalReader.segmentFiles(dir);
        Path first = segments.get(0);
        long lastRecord = lastRecordOffset(first);
        try (FileChannel file = FileChannel.open(first, StandardOpenOption.WRITE)) {
            file.truncate(lastRecord);
        }

        JournalVerifier.Result result = JournalVerifier.verify(List.of(dir));

        assertThat(result.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.segment()).isEqualTo(segments.get(1));
            assertThat(finding.problem()).contains("previous segment ends with");
        });
    }

    @Test
    void shouldReportATornTailAsANoteNotAFinding() throws IOException {
        write(JournalConfig.of(dir, "node-11"), 10);
        Path segment = JournalReader.segmentFiles(dir).get(0);
        Files.write(segment, new byte[] {0, 0, 0, 40, 1, 2}, StandardOpenOption.APPEND);

        JournalVerifier.Result result = JournalVerifier.verify(List.of(dir));

        assertThat(result.findings()).isEmpty();
        assertThat(result.tornTails()).singleElement().satisfies(torn -> assertThat(torn.bytes()).isEqualTo(6));
    }

    private static long lastRecordOffset(Path segment) throws IOException {
        long[] last = {-1};
        JournalReader.read(List.of(segment), (s, h) -> { }, (s, offset, r, p, o, l) -> {
            last[0] = offset;
            return true;
        });
        return last[0];
    }
}
