package io.quorumvip.forensics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorumvip.events.EventRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * The fold fed as a coordinator is (each node's records in order, the nodes interleaved in batches of any size)
 * gives exactly what the batch analysis gives over the same journals: the same intervals and incidents in the same
 * order, each final when it comes out, and the same summary.
 */
class IncidentFoldTest {

    /** What a listener received, in order. */
    private static final class Received implements Forensics.Listener {
        final List<Interval> intervals = new ArrayList<>();
        final List<Incident> incidents = new ArrayList<>();

        @Override
        public void interval(Interval interval) {
            intervals.add(interval);
        }

        @Override
        public void incident(Incident incident) {
            incidents.add(incident);
        }
    }

    @Property(tries = 60)
    void shouldFoldInterleavedBatchesIntoWhatTheBatchFinderFinds(@ForAll @IntRange(min = 2, max = 4) int nodes,
                                                               @ForAll long seed,
                                                               @ForAll @IntRange(min = 20, max = 3_000) int eventsPerNode,
                                                               @ForAll @IntRange(min = 1, max = 400) int largestBatch,
                                                               @ForAll @LongRange(min = 0, max = 200) long clockUncertaintyMillis) {
        List<List<EventRecord>> journals = HistoryGenerator.inMemory(nodes, seed, eventsPerNode);
        ForensicsSettings settings = ForensicsSettings.DEFAULT.withClockUncertaintyMicros(clockUncertaintyMillis * 1000);
        Received batch = new Received();
        Forensics.Summary expected = Forensics.stream(journals.stream().map(List::iterator).toList(),
                nodesOf(journals), settings, batch);
        Received folded = new Received();
        IncidentFold fold = new IncidentFold(nodesOf(journals), settings, folded);

        shipInterleaved(journals, new Random(seed), largestBatch, fold);
        Forensics.Summary summary = fold.finish();

        assertThat(folded.incidents).containsExactlyElementsOf(batch.incidents);
        assertThat(folded.intervals).containsExactlyElementsOf(batch.intervals);
        assertThat(summary).isEqualTo(expected);
    }

    @Property(tries = 20)
    void shouldGiveOnlyFinalResultsBeforeTheEnd(@ForAll long seed, @ForAll @IntRange(min = 1, max = 400) int largestBatch) {
        List<List<EventRecord>> journals = HistoryGenerator.inMemory(3, seed, 2_000);
        Received batch = new Received();
        Forensics.stream(journals.stream().map(List::iterator).toList(), nodesOf(journals),
                ForensicsSettings.DEFAULT, batch);
        Received folded = new Received();
        IncidentFold fold = new IncidentFold(nodesOf(journals), ForensicsSettings.DEFAULT, folded);

        shipInterleaved(journals, new Random(seed), largestBatch, fold);

        // Before the end, what came out is a prefix of the batch's results: nothing out early is taken back.
        assertThat(batch.incidents).startsWith(folded.incidents.toArray(Incident[]::new));
        assertThat(batch.intervals).startsWith(folded.intervals.toArray(Interval[]::new));
        assertThat(fold.folded() + fold.queued()).isEqualTo(journals.stream().mapToLong(List::size).sum());
    }

    @Test
    void shouldHoldRecordsUntilEveryNodeHasPassedThem() {
        List<List<EventRecord>> journals = HistoryGenerator.inMemory(2, 7, 500);
        Received folded = new Received();
        IncidentFold fold = new IncidentFold(nodesOf(journals), ForensicsSettings.DEFAULT, folded);

        journals.get(0).forEach(fold::accept);
        fold.accept(journals.get(1).get(0));

        // n1's records before n2's first, then that one, can be placed; n1's others wait for n2's next.
        long beforeN2 = journals.get(0).stream()
                .filter(r -> MergedJournals.ORDER.compare(r, journals.get(1).get(0)) < 0).count();
        assertThat(fold.folded()).isEqualTo(beforeN2 + 1);
        assertThat(fold.queued()).isEqualTo(journals.get(0).size() - beforeN2);

        journals.get(1).subList(1, journals.get(1).size()).forEach(fold::accept);
        assertThat(fold.queued()).isPositive();
        fold.finish();
        assertThat(fold.queued()).isZero();
        assertThat(fold.folded()).isEqualTo(journals.get(0).size() + journals.get(1).size());
    }

    @Test
    void shouldRefuseARecordOlderThanWhatWasFolded() {
        List<List<EventRecord>> journals = HistoryGenerator.inMemory(3, 11, 400);
        IncidentFold fold = new IncidentFold(List.of("n1", "n2"), ForensicsSettings.DEFAULT, new Received());
        journals.get(0).forEach(fold::accept);
        journals.get(1).forEach(fold::accept);
        EventRecord late = journals.get(2).get(0);

        // n3 was not expected: n1's and n2's records were folded as far as both reach, past n3's first record.
        assertThatThrownBy(() -> fold.accept(late))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("n3 seq 1")
                .hasMessageContaining("fold anew from the start");
    }

    @Test
    void shouldRefuseARecordOutOfItsNodesOrder() {
        List<EventRecord> journal = HistoryGenerator.inMemory(2, 3, 100).get(0);
        IncidentFold fold = new IncidentFold(List.of("n1"), ForensicsSettings.DEFAULT, new Received());
        fold.accept(journal.get(0));
        fold.accept(journal.get(1));

        assertThatThrownBy(() -> fold.accept(journal.get(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("n1 seq 2")
                .hasMessageContaining("expected each node's records in its journal's order");
    }

    @Test
    void shouldTakeNoRecordAfterFinish() {
        List<EventRecord> journal = HistoryGenerator.inMemory(2, 3, 100).get(0);
        IncidentFold fold = new IncidentFold(List.of("n1"), ForensicsSettings.DEFAULT, new Received());
        fold.accept(journal.get(0));
        fold.finish();

        assertThatThrownBy(() -> fold.accept(journal.get(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after finish");
    }

    private static List<String> nodesOf(List<List<EventRecord>> journals) {
        return journals.stream().map(j -> j.get(0).node()).toList();
    }

    /** Ships each node's records in order, a random node's next batch of 1..largestBatch records at a time. */
    private static void shipInterleaved(List<List<EventRecord>> journals, Random random, int largestBatch,
                                        IncidentFold fold) {
        int[] next = new int[journals.size()];
        List<Integer> left = new ArrayList<>();
        for (int i = 0; i < journals.size(); i++) {
            left.add(i);
        }
        while (!left.isEmpty()) {
            int pick = random.nextInt(left.size());
            int node = left.get(pick);
            List<EventRecord> journal = journals.get(node);
            int end = Math.min(journal.size(), next[node] + 1 + random.nextInt(largestBatch));
            journal.subList(next[node], end).forEach(fold::accept);
            next[node] = end;
            if (end == journal.size()) {
                left.remove(pick);
            }
        }
    }
}
