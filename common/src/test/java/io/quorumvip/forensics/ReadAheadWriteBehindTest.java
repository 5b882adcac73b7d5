package io.quorumvip.forensics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorumvip.events.EventRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CLI's reader and writer threads: everything in order, and their failures on the caller's thread. */
class ReadAheadWriteBehindTest {

    private static List<EventRecord> records() {
        List<EventRecord> all = new ArrayList<>();
        for (Collection<EventRecord> journal : HistoryGenerator.inMemory(2, 5, 3_000)) {
            all.addAll(journal);
        }
        return all;
    }

    @Test
    void readAheadShouldGiveEveryRecordInOrderAndThenEnd() {
        List<EventRecord> records = records();
        List<EventRecord> read = new ArrayList<>();

        try (ReadAhead ahead = new ReadAhead(records.iterator(), "test")) {
            ahead.forEachRemaining(read::add);
            assertThat(ahead.hasNext()).isFalse();
        }

        assertThat(records).hasSizeGreaterThan(ReadAhead.BATCH * ReadAhead.BATCHES * 2);
        assertThat(read).containsExactlyElementsOf(records);
    }

    @Test
    void readAheadShouldThrowWhatTheSourceThrewOnTheCallersThread() {
        Iterator<EventRecord> records = records().iterator();
        Iterator<EventRecord> damaged = new Iterator<>() {
            int given;

            @Override
            public boolean hasNext() {
                if (given == 1_000) {
                    throw new UncheckedIOException("journal n1: cannot read segment 3", new IOException("EIO"));
                }
                return records.hasNext();
            }

            @Override
            public EventRecord next() {
                given++;
                return records.next();
            }
        };

        try (ReadAhead ahead = new ReadAhead(damaged, "n1")) {
            assertThatThrownBy(() -> ahead.forEachRemaining(r -> { }))
                    .isInstanceOf(UncheckedIOException.class).hasMessageContaining("segment 3");
        }
    }

    private static Incident incident(int n) {
        return new Incident(IncidentKind.NO_OWNER, n, n + 1, 1, 1, List.of("n1"), "VI_1", 51, "192.0.2.200/24",
                "outage " + n, List.of(), List.of());
    }

    @Test
    void writeBehindShouldHandEverythingOverInOrderBeforeFinishReturns() {
        List<Incident> written = new ArrayList<>();
        List<Incident> given = new ArrayList<>();

        try (WriteBehind behind = new WriteBehind(new Forensics.Listener() {
            @Override
            public void interval(Interval interval) {
            }

            @Override
            public void incident(Incident incident) {
                written.add(incident);
            }
        })) {
            for (int n = 0; n < WriteBehind.BATCH * WriteBehind.BATCHES * 3 + 7; n++) {
                given.add(incident(n));
                behind.incident(given.get(n));
            }
            behind.finish();
        }

        assertThat(written).containsExactlyElementsOf(given);
    }

    @Test
    void writeBehindShouldThrowTheWritersFailureOnTheCallersThreadInsteadOfBlocking() {
        try (WriteBehind behind = new WriteBehind(new Forensics.Listener() {
            @Override
            public void interval(Interval interval) {
            }

            @Override
            public void incident(Incident incident) {
                if (incident.startMicros() == 300) {
                    throw new UncheckedIOException("forensics report: cannot write JSON: Broken pipe",
                            new IOException("Broken pipe"));
                }
            }
        })) {
            assertThatThrownBy(() -> {
                for (int n = 0; n < 100_000; n++) {
                    behind.incident(incident(n));
                }
                behind.finish();
            }).isInstanceOf(UncheckedIOException.class).hasMessageContaining("Broken pipe");
        }
    }
}
