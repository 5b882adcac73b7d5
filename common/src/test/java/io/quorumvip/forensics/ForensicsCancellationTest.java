package io.quorumvip.forensics;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorumvip.events.EventRecord;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class ForensicsCancellationTest {

    @Test
    void shouldStopWhenItsThreadIsInterrupted() {
        List<List<EventRecord>> journals = HistoryGenerator.inMemory(2, 5, 20_000);
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> Forensics.analyze(journals, ForensicsSettings.DEFAULT))
                    .isInstanceOf(CancellationException.class).hasMessageContaining("interrupted");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void shouldStopWritingAReportWhoseReaderGaveUp() {
        ForensicsReport report = Forensics.analyze(HistoryGenerator.inMemory(2, 5, 2_000), ForensicsSettings.DEFAULT);
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> JsonReport.render(report)).isInstanceOf(CancellationException.class);
        } finally {
            Thread.interrupted();
        }
    }
}
