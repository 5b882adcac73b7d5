package io.quorumvip.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.forensics.CauseStep;
import io.quorumvip.forensics.EndReason;
import io.quorumvip.forensics.ForensicsSettings;
import io.quorumvip.forensics.Incident;
import io.quorumvip.forensics.IncidentKind;
import io.quorumvip.forensics.IntervalKind;
import io.quorumvip.forensics.IntervalRow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the store gives back for a window: every stored entry that touches it, in the stored order, read back as it
 * was (chains whose steps recur across incidents and blocks included), and only what was flushed before the view.
 */
class IncidentStoreTest {

    @TempDir
    Path root;

    @Test
    void shouldGiveBackEveryEntryThatTouchesTheWindowAsStoredAcrossBlocks() throws Exception {
        Random random = new Random(5);
        List<IntervalRow> intervals = new ArrayList<>();
        List<Incident> incidents = new ArrayList<>();
        List<CauseStep> steps = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            steps.add(new CauseStep("n" + (i % 3), i, i * 1_000L, i * 1_000L << 16, "step " + i + " → ünïcode"));
        }
        try (IncidentStore store = new IncidentStore(root.resolve("incidents"))) {
            for (int i = 0; i < 1_500; i++) {
                long start = i * 1_000L + random.nextInt(5_000);
                // Now and then one that lasts far longer than its neighbours, settled late.
                long end = start + (i % 97 == 0 ? 400_000 : random.nextInt(3_000));
                IntervalRow row = new IntervalRow(IntervalKind.values()[i % 3], "n" + (i % 3), "VI_1", 51,
                        "192.0.2.200/24", start, end, end + random.nextInt(2), EndReason.values()[i % 2]);
                intervals.add(row);
                store.add(row);
                int first = Math.max(0, i - random.nextInt(8));
                Incident incident = new Incident(IncidentKind.values()[i % IncidentKind.values().length], start, end,
                        0, end - start, List.of("n1", "n2"), "VI_1", 51, "192.0.2.200/24", "incident " + i,
                        steps.subList(first, Math.min(steps.size(), first + random.nextInt(6))), List.of("note " + i));
                incidents.add(incident);
                store.add(incident);
            }
            store.flush();
            IncidentStore.View view = store.view();
            store.add(intervals.get(0));
            store.add(incidents.get(0));

            for (long[] window : new long[][] {{Long.MIN_VALUE, Long.MAX_VALUE}, {300_000, 360_000},
                    {1_200_000, 1_200_000}, {-5, -1}, {700_000, Long.MAX_VALUE}}) {
                ForensicsSettings settings = ForensicsSettings.DEFAULT.withWindow(window[0], window[1]);
                List<IntervalRow> gotIntervals = new ArrayList<>();
                List<Incident> gotIncidents = new ArrayList<>();

                store.read(view, settings, gotIntervals::add, gotIncidents::add);

                assertThat(gotIntervals.stream().filter(r -> r.endMaxMicros() >= window[0]
                        && r.startMicros() <= window[1]).toList())
                        .containsExactlyElementsOf(intervals.stream().filter(r -> r.endMaxMicros() >= window[0]
                                && r.startMicros() <= window[1]).toList());
                assertThat(gotIncidents.stream().filter(x -> x.endMicros() >= window[0]
                        && x.startMicros() <= window[1]).toList())
                        .containsExactlyElementsOf(incidents.stream().filter(x -> x.endMicros() >= window[0]
                                && x.startMicros() <= window[1]).toList());
                if (window[0] == 300_000) {
                    // The index keeps a window from reading the whole store.
                    assertThat(gotIntervals.size()).isLessThan(intervals.size() / 2);
                }
            }
        }
    }
}
