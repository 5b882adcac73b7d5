package io.quorumvip.forensics;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.events.EventRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A window's report put together from a fold over the whole history (its settled results and its tail) is, byte for
 * byte, the report of the batch analysis asked for that window over the same records: windows at random, windows
 * that cut an incident, at random moments of the shipping.
 */
class WindowReportTest {

    @Property(tries = 40)
    void shouldReportAWindowAsTheBatchAnalysisOfThatWindowDoes(@ForAll @IntRange(min = 2, max = 4) int nodes,
                                                              @ForAll long seed,
                                                              @ForAll @IntRange(min = 50, max = 3_000) int eventsPerNode,
                                                              @ForAll @IntRange(min = 1, max = 400) int largestBatch) {
        List<List<EventRecord>> journals = HistoryGenerator.inMemory(nodes, seed, eventsPerNode);
        IncidentFoldTest.Received settled = new IncidentFoldTest.Received();
        IncidentFold fold = new IncidentFold(IncidentFoldTest.nodesOf(journals), ForensicsSettings.DEFAULT, settled);
        Random random = new Random(seed);
        int[] received = new int[journals.size()];
        int asked = 0;

        while (IncidentFoldTest.shipOneBatch(journals, random, largestBatch, fold, received)) {
            if (asked < 6 && random.nextInt(6) == 0) {
                asked++;
                List<List<EventRecord>> prefixes = new ArrayList<>();
                for (int i = 0; i < journals.size(); i++) {
                    prefixes.add(journals.get(i).subList(0, received[i]));
                }
                IncidentFoldTest.Received tail = new IncidentFoldTest.Received();
                Forensics.Summary whole = fold.tail(tail);
                for (ForensicsSettings window : windows(random, whole, settled, tail)) {
                    assertThat(fromFold(window, settled, tail, whole)).isEqualTo(batch(prefixes, window));
                }
            }
        }
    }

    /** Windows at random over the span, the whole span, and windows that begin or end inside an incident. */
    private static List<ForensicsSettings> windows(Random random, Forensics.Summary whole,
                                                   IncidentFoldTest.Received settled, IncidentFoldTest.Received tail) {
        List<ForensicsSettings> windows = new ArrayList<>();
        long first = whole.firstMicros();
        long span = Math.max(1, whole.lastMicros() - first);
        for (int i = 0; i < 3; i++) {
            long from = first + (long) (random.nextDouble() * span);
            windows.add(ForensicsSettings.DEFAULT.withWindow(from, from + (long) (random.nextDouble() * span / 4)));
        }
        windows.add(ForensicsSettings.DEFAULT.withWindow(first, whole.lastMicros()));
        windows.add(ForensicsSettings.DEFAULT.withWindow(first + span / 2, Long.MAX_VALUE));
        List<Incident> incidents = new ArrayList<>(settled.incidents);
        incidents.addAll(tail.incidents);
        List<Incident> lasting = incidents.stream().filter(i -> i.endMicros() - i.startMicros() > 2).toList();
        if (!lasting.isEmpty()) {
            Incident cut = lasting.get(random.nextInt(lasting.size()));
            long middle = cut.startMicros() + (cut.endMicros() - cut.startMicros()) / 2;
            windows.add(ForensicsSettings.DEFAULT.withWindow(middle, middle + 60_000_000));
            windows.add(ForensicsSettings.DEFAULT.withWindow(middle - 60_000_000, middle));
        }
        return windows;
    }

    private static String fromFold(ForensicsSettings window, IncidentFoldTest.Received settled,
                                   IncidentFoldTest.Received tail, Forensics.Summary whole) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (WindowReport report = new WindowReport(out, window, null)) {
            for (IncidentFoldTest.Received part : List.of(settled, tail)) {
                part.intervals.forEach(interval -> report.interval(IntervalRow.of(interval)));
                part.incidents.forEach(report::incident);
            }
            report.finish(whole);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String batch(List<List<EventRecord>> journals, ForensicsSettings window) {
        IncidentFoldTest.Received found = new IncidentFoldTest.Received();
        Forensics.Summary summary = Forensics.stream(journals.stream().map(List::iterator).toList(),
                IntStream.range(0, journals.size()).mapToObj(i -> "#" + i).toList(), window, found);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonReport.Stream report = new JsonReport.Stream(out, window, null)) {
            found.intervals.forEach(report::interval);
            found.incidents.forEach(incident -> report.incident(incident, null));
            report.finish(summary, List.of());
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
