package io.quorumvip.forensics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorumvip.events.EventRecord;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
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
    static final class Received implements Forensics.Listener {
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
        Forensics.Summary expected = stream(journals, settings, batch);
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
        stream(journals, ForensicsSettings.DEFAULT, batch);
        Received folded = new Received();
        IncidentFold fold = new IncidentFold(nodesOf(journals), ForensicsSettings.DEFAULT, folded);

        shipInterleaved(journals, new Random(seed), largestBatch, fold);

        // Before the end, what came out is a prefix of the batch's results: nothing out early is taken back.
        assertThat(batch.incidents).startsWith(folded.incidents.toArray(Incident[]::new));
        assertThat(batch.intervals).startsWith(folded.intervals.toArray(Interval[]::new));
        assertThat(fold.folded() + fold.queued()).isEqualTo(journals.stream().mapToLong(List::size).sum());
    }

    @Property(tries = 30)
    void shouldAnswerForEverythingReceivedWithTheSettledResultsAndTheTail(
            @ForAll @IntRange(min = 2, max = 4) int nodes, @ForAll long seed,
            @ForAll @IntRange(min = 20, max = 2_000) int eventsPerNode,
            @ForAll @IntRange(min = 1, max = 400) int largestBatch) {
        List<List<EventRecord>> journals = HistoryGenerator.inMemory(nodes, seed, eventsPerNode);
        Received folded = new Received();
        IncidentFold fold = new IncidentFold(nodesOf(journals), ForensicsSettings.DEFAULT, folded);
        Random random = new Random(seed);
        int[] received = new int[journals.size()];
        int tails = 0;

        while (shipOneBatch(journals, random, largestBatch, fold, received)) {
            if (tails < 6 && random.nextInt(8) == 0) {
                tails++;
                Received tail = new Received();
                Forensics.Summary summary = fold.tail(tail);
                Received batch = new Received();
                List<List<EventRecord>> prefixes = new ArrayList<>();
                for (int i = 0; i < journals.size(); i++) {
                    prefixes.add(journals.get(i).subList(0, received[i]));
                }
                Forensics.Summary expected = stream(prefixes, ForensicsSettings.DEFAULT, batch);

                assertThat(concat(folded.incidents, tail.incidents)).containsExactlyElementsOf(batch.incidents);
                assertThat(concat(folded.intervals, tail.intervals)).containsExactlyElementsOf(batch.intervals);
                assertThat(summary).isEqualTo(expected);
            }
        }
        // The tails were computed on copies: the fold itself still gives exactly the batch's results.
        Received batch = new Received();
        Forensics.Summary expected = stream(journals, ForensicsSettings.DEFAULT, batch);
        Forensics.Summary summary = fold.finish();
        assertThat(folded.incidents).containsExactlyElementsOf(batch.incidents);
        assertThat(folded.intervals).containsExactlyElementsOf(batch.intervals);
        assertThat(summary).isEqualTo(expected);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Property(tries = 30)
    void shouldAnswerForRecordsTheCallerHoldsUnreadAsForRecordsHandedIn(
            @ForAll @IntRange(min = 2, max = 4) int nodes, @ForAll long seed,
            @ForAll @IntRange(min = 20, max = 2_000) int eventsPerNode, @ForAll @IntRange(min = 0, max = 100) int cutPercent) {
        List<List<EventRecord>> journals = HistoryGenerator.inMemory(nodes, seed, eventsPerNode);
        List<EventRecord> merged = MergedJournals.merge(journals);
        int cut = merged.size() * cutPercent / 100;
        Received folded = new Received();
        IncidentFold fold = new IncidentFold(List.of(), ForensicsSettings.DEFAULT, folded);
        // As a follower of stored journals feeds it: in merge order, folding at once; the rest stays unread.
        merged.subList(0, cut).forEach(fold::accept);
        fold.foldQueued();
        List<Iterator<EventRecord>> unread = new ArrayList<>();
        for (List<EventRecord> journal : journals) {
            unread.add(journal.stream().filter(r -> MergedJournals.ORDER.compare(r, merged.get(Math.max(0, cut - 1))) > 0
                    || cut == 0).iterator());
        }

        Received tail = new Received();
        Forensics.Summary summary = fold.tail(unread, IntStream.range(0, nodes).mapToObj(i -> "unread " + i).toList(),
                tail);

        Received batch = new Received();
        Forensics.Summary expected = stream(journals, ForensicsSettings.DEFAULT, batch);
        assertThat(fold.queued()).isZero();
        assertThat(concat(folded.incidents, tail.incidents)).containsExactlyElementsOf(batch.incidents);
        assertThat(concat(folded.intervals, tail.intervals)).containsExactlyElementsOf(batch.intervals);
        assertThat(summary).isEqualTo(expected);
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

    /** The batch analysis the fold must equal, over journals given whole (some possibly empty). */
    static Forensics.Summary stream(List<List<EventRecord>> journals, ForensicsSettings settings,
                                            Received received) {
        return Forensics.stream(journals.stream().map(List::iterator).toList(),
                IntStream.range(0, journals.size()).mapToObj(i -> "#" + i).toList(), settings, received);
    }

    static List<String> nodesOf(List<List<EventRecord>> journals) {
        return journals.stream().map(j -> j.get(0).node()).toList();
    }

    /** Ships each node's records in order, a random node's next batch of 1..largestBatch records at a time. */
    private static void shipInterleaved(List<List<EventRecord>> journals, Random random, int largestBatch,
                                        IncidentFold fold) {
        int[] received = new int[journals.size()];
        while (shipOneBatch(journals, random, largestBatch, fold, received)) {
            // each call ships one batch
        }
    }

    /**
     * Ships the next batch of a random node that has records left ({@code received[i]}: how many of node i's went);
     * false when every record was shipped.
     */
    static boolean shipOneBatch(List<List<EventRecord>> journals, Random random, int largestBatch,
                                        IncidentFold fold, int[] received) {
        List<Integer> left = new ArrayList<>();
        for (int i = 0; i < journals.size(); i++) {
            if (received[i] < journals.get(i).size()) {
                left.add(i);
            }
        }
        if (left.isEmpty()) {
            return false;
        }
        int node = left.get(random.nextInt(left.size()));
        List<EventRecord> journal = journals.get(node);
        int end = Math.min(journal.size(), received[node] + 1 + random.nextInt(largestBatch));
        journal.subList(received[node], end).forEach(fold::accept);
        received[node] = end;
        return true;
    }
}
