package io.quorumvip.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.agent.http.AgentMetrics;
import io.quorumvip.events.Cause;
import io.quorumvip.events.Event;
import io.quorumvip.events.EventDraft;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentJournalRefusalTest {

    @TempDir
    Path dir;

    @Test
    void shouldCountARecordTooLargeForTheJournalAsAFailedAppendInsteadOfThrowingAtTheCaller() throws Exception {
        AgentMetrics metrics = new AgentMetrics();
        List<EventDraft> observed = new ArrayList<>();
        try (AgentJournal journal = AgentJournal.open(dir, "n1", metrics)) {
            journal.observe(observed::add);
            Event.PoolChanged tooLarge = new Event.PoolChanged("192.0.2.80:80", 1, IntStream.range(0, 100_000)
                    .mapToObj(i -> new Event.PoolMemberEntry("198.51.100." + (i % 250) + ":" + i, 1, false))
                    .toList());

            journal.record(Cause.NONE, tooLarge);
            journal.record(Cause.NONE, new Event.AgentStopped("done"));

            assertThat(metrics.scrape()).contains("qvip_journal_append_failures_total 1.0");
            assertThat(observed).extracting(EventDraft::event).containsExactly(new Event.AgentStopped("done"));
        }
    }
}
