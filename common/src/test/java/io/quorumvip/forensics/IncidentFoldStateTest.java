package io.quorumvip.forensics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorumvip.events.EventRecord;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * A fold saved and restored goes on exactly as the fold that was never stopped: folding A and B in one go gives the
 * same intervals and incidents (every field, so every byte of their text), in the same order, and the same summary
 * as folding A, saving, restoring from the bytes and folding B; and a restored fold saves the same bytes again.
 */
class IncidentFoldStateTest {

    @Property(tries = 60)
    void shouldGoOnAfterARestoreAsIfNeverStopped(@ForAll @IntRange(min = 2, max = 4) int nodes,
                                                 @ForAll long seed,
                                                 @ForAll @IntRange(min = 20, max = 3_000) int eventsPerNode,
                                                 @ForAll @IntRange(min = 1, max = 400) int largestBatch,
                                                 @ForAll @IntRange(min = 1, max = 3) int restarts,
                                                 @ForAll @LongRange(min = 0, max = 200) long clockUncertaintyMillis)
            throws IOException {
        List<List<EventRecord>> journals = HistoryGenerator.inMemory(nodes, seed, eventsPerNode);
        ForensicsSettings settings = ForensicsSettings.DEFAULT.withClockUncertaintyMicros(clockUncertaintyMillis * 1000);
        IncidentFoldTest.Received whole = new IncidentFoldTest.Received();
        IncidentFold oneGo = new IncidentFold(IncidentFoldTest.nodesOf(journals), settings, whole);
        IncidentFoldTest.Received resumed = new IncidentFoldTest.Received();
        IncidentFold stopped = new IncidentFold(IncidentFoldTest.nodesOf(journals), settings, resumed);
        Random random = new Random(seed);
        int[] shippedOneGo = new int[journals.size()];
        int[] shippedStopped = new int[journals.size()];
        long total = journals.stream().mapToLong(List::size).sum();
        long restartEvery = Math.max(1, total / (restarts + 1));
        long shipped = 0;
        long nextRestart = restartEvery;
        for (;;) {
            long seedOfBatch = random.nextLong();
            boolean more = IncidentFoldTest.shipOneBatch(journals, new Random(seedOfBatch), largestBatch, oneGo,
                    shippedOneGo);
            IncidentFoldTest.shipOneBatch(journals, new Random(seedOfBatch), largestBatch, stopped, shippedStopped);
            if (!more) {
                break;
            }
            shipped = Arrays.stream(shippedStopped).sum();
            if (shipped >= nextRestart) {
                nextRestart += restartEvery;
                byte[] state = stopped.save();
                stopped = IncidentFold.restore(state, settings, resumed);
                assertThat(stopped.save()).as("the state saved again after a restore").isEqualTo(state);
                assertThat(stopped.folded()).isEqualTo(oneGo.folded());
                assertThat(stopped.queued()).isEqualTo(oneGo.queued());
            }
        }
        assertThat(shipped).isEqualTo(total);
        Forensics.Summary expected = oneGo.finish();
        Forensics.Summary summary = stopped.finish();

        assertThat(resumed.incidents).containsExactlyElementsOf(whole.incidents);
        assertThat(resumed.intervals).containsExactlyElementsOf(whole.intervals);
        assertThat(summary).isEqualTo(expected);
    }

    @Property(tries = 20)
    void shouldRefuseAStateCutShortWithAnError(@ForAll long seed,
                                                         @ForAll @IntRange(min = 0, max = 10_000) int cut) {
        List<List<EventRecord>> journals = HistoryGenerator.inMemory(2, seed, 800);
        IncidentFold fold = new IncidentFold(IncidentFoldTest.nodesOf(journals), ForensicsSettings.DEFAULT,
                new IncidentFoldTest.Received());
        IncidentFoldTest.shipOneBatch(journals, new Random(seed), 800, fold, new int[journals.size()]);
        byte[] state = fold.save();
        byte[] shorter = Arrays.copyOf(state, cut % state.length);

        assertThatThrownBy(() -> IncidentFold.restore(shorter, ForensicsSettings.DEFAULT,
                new IncidentFoldTest.Received())).isInstanceOf(IOException.class).hasMessageContaining("incident fold");
    }

    @Test
    void shouldRefuseAStateSavedWithOtherSettings() {
        List<List<EventRecord>> journals = HistoryGenerator.inMemory(2, 7, 200);
        IncidentFold fold = new IncidentFold(IncidentFoldTest.nodesOf(journals), ForensicsSettings.DEFAULT,
                new IncidentFoldTest.Received());
        byte[] state = fold.save();

        assertThatThrownBy(() -> IncidentFold.restore(state, ForensicsSettings.DEFAULT.withClockUncertaintyMicros(1),
                new IncidentFoldTest.Received())).isInstanceOf(IOException.class)
                .hasMessageContaining("saved with");
    }

    @Test
    void shouldSaveNothingAfterFinish() {
        IncidentFold fold = new IncidentFold(List.of("a"), ForensicsSettings.DEFAULT, new IncidentFoldTest.Received());
        fold.finish();

        assertThatThrownBy(fold::save).isInstanceOf(IllegalStateException.class).hasMessageContaining("after finish");
    }
}
