package io.quorumvip.forensics;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.events.EventRecord;
import io.quorumvip.journal.JournalReader;
import io.quorumvip.journal.JournalVerifier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryGeneratorTest {

    @Test
    void shouldWriteJournalsThatVerifyAndHoldEveryKindOfIncident(@TempDir Path root) throws IOException {
        List<Path> dirs = HistoryGenerator.write(root, 2, 7, 3_000);

        JournalVerifier.Result verified = JournalVerifier.verify(dirs);
        assertThat(verified.findings()).isEmpty();
        assertThat(verified.records()).isGreaterThanOrEqualTo(6_000);
        List<List<EventRecord>> journals = new ArrayList<>();
        for (Path dir : dirs) {
            List<EventRecord> records = new ArrayList<>();
            JournalReader.read(JournalReader.segmentFiles(dir), (s, h) -> { },
                    (segment, offset, record, payload, at, length) -> records.add(record));
            journals.add(records);
        }
        assertThat(journals).allSatisfy(records -> assertThat(records).hasSizeGreaterThanOrEqualTo(3_000));
        assertThat(Forensics.analyze(journals, ForensicsSettings.DEFAULT).incidents().stream()
                .map(Incident::kind).collect(Collectors.toSet()))
                // The generator writes VRRP and lease histories; load-balancing pools have their own tests.
                .containsExactlyInAnyOrderElementsOf(EnumSet.complementOf(
                        EnumSet.of(IncidentKind.POOL_HELD_FAILED_SERVER, IncidentKind.POOL_DISAGREEMENT)));
    }

    @Test
    void shouldWriteTheSameRecordsAsItKeepsInMemory(@TempDir Path root) throws IOException {
        List<List<EventRecord>> inMemory = HistoryGenerator.inMemory(3, 11, 500);
        List<Path> dirs = HistoryGenerator.write(root, 3, 11, 500);

        for (int i = 0; i < dirs.size(); i++) {
            List<EventRecord> read = new ArrayList<>();
            JournalReader.read(JournalReader.segmentFiles(dirs.get(i)), (s, h) -> { },
                    (segment, offset, record, payload, at, length) -> read.add(record));
            assertThat(read).extracting(EventRecord::event).containsExactlyElementsOf(
                    inMemory.get(i).stream().map(EventRecord::event).toList());
            assertThat(read).extracting(EventRecord::hlc).containsExactlyElementsOf(
                    inMemory.get(i).stream().map(EventRecord::hlc).toList());
        }
    }
}
