package io.quorumvip.forensics;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.events.EventRecord;
import io.quorumvip.journal.JournalReader;
import io.quorumvip.journal.JournalRecords;
import io.quorumvip.journal.TornTail;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal read one record at a time gives what the whole-journal reader gives, torn tail included. */
class JournalRecordsTest {

    @TempDir
    Path root;

    @Test
    void shouldReadTheSameRecordsAsTheReader() throws IOException {
        Path dir = HistoryGenerator.write(root, 2, 7, 5_000).get(0);

        assertThat(pulled(dir)).containsExactlyElementsOf(pushed(dir).records());
    }

    @Test
    void shouldStopAtATornTailAndSayWhere() throws IOException {
        Path dir = HistoryGenerator.write(root, 2, 7, 500).get(0);
        List<Path> segments = segments(dir);
        Files.write(segments.get(segments.size() - 1), new byte[] {0x51, 0x00, 0x00, 0x00, 0x07},
                StandardOpenOption.APPEND);

        Read expected = pushed(dir);
        try (JournalRecords records = JournalRecords.open(dir)) {
            List<EventRecord> read = new ArrayList<>();
            records.forEachRemaining(read::add);

            assertThat(read).containsExactlyElementsOf(expected.records());
            assertThat(expected.torn()).isPresent();
            assertThat(records.tornTail()).isEqualTo(expected.torn());
            assertThat(records.count()).isEqualTo(read.size());
        }
    }

    private record Read(List<EventRecord> records, Optional<TornTail> torn) {
    }

    private static Read pushed(Path dir) throws IOException {
        List<EventRecord> records = new ArrayList<>();
        JournalReader.Outcome outcome = JournalReader.read(JournalReader.segmentFiles(dir), (s, h) -> { },
                (segment, offset, record, payload, payloadOffset, length) -> records.add(record));
        return new Read(records, outcome.tornTail());
    }

    private static List<EventRecord> pulled(Path dir) throws IOException {
        List<EventRecord> records = new ArrayList<>();
        try (JournalRecords journal = JournalRecords.open(dir)) {
            journal.forEachRemaining(records::add);
        }
        return records;
    }

    private static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("segment-")).sorted().toList();
        }
    }
}
