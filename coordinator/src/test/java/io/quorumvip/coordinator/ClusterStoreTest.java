package io.quorumvip.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorumvip.events.Cause;
import io.quorumvip.events.Event;
import io.quorumvip.events.EventDraft;
import io.quorumvip.events.EventRecord;
import io.quorumvip.events.EventType;
import io.quorumvip.events.HybridLogicalClock;
import io.quorumvip.forensics.MergedJournals;
import io.quorumvip.journal.SegmentHeader;
import io.quorumvip.replay.ReplayState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterStoreTest {

    @TempDir
    Path root;

    /** Several checkpoints' worth of records: the node owns and releases the VIP again and again. */
    private List<byte[]> history(String node) throws IOException {
        return AgentJournals.history(root.resolve("agent-" + node), node, 3 * ClusterStore.CHECKPOINT_EVERY + 100);
    }

    /** Every node's stored records, read back from the archives. */
    private static List<List<EventRecord>> journals(ClusterStore store) throws IOException {
        List<List<EventRecord>> journals = new ArrayList<>();
        try (ClusterStore.Snapshot snapshot = store.snapshot()) {
            for (Iterator<EventRecord> records : snapshot.journals().values()) {
                List<EventRecord> list = new ArrayList<>();
                records.forEachRemaining(list::add);
                journals.add(list);
            }
        }
        return journals;
    }

    @Test
    void shouldPageThroughEveryRecordInMergedOrderFromTheFilesTheSameAfterARestart() throws IOException {
        List<byte[]> n1 = history("n1");
        List<byte[]> n2 = history("n2");
        List<EventRecord> pagedBefore;
        ReplayState all = new ReplayState();
        try (ClusterStore store = ClusterStore.open(root.resolve("data"), () -> 0)) {
            store.ingest("n1", RecordBatch.parse(AgentJournals.body(n1, 1, n1.size())));
            store.ingest("n2", RecordBatch.parse(AgentJournals.body(n2, 1, n2.size())));
            List<EventRecord> expected = MergedJournals.merge(journals(store));
            assertThat(expected).hasSize(n1.size() + n2.size());

            pagedBefore = pageThrough(store, 997);
            assertThat(pagedBefore).isEqualTo(expected);
            assertThat(store.version()).isEqualTo(expected.size());
            expected.forEach(all::apply);
            assertThat(store.cluster()).isEqualTo(all.view());
        }
        try (ClusterStore store = ClusterStore.open(root.resolve("data"), () -> 0)) {
            assertThat(pageThrough(store, 10_000)).isEqualTo(pagedBefore);
            assertThat(store.version()).isEqualTo(pagedBefore.size());
            assertThat(store.cluster()).isEqualTo(all.view());
        }
    }

    @Test
    void shouldPageThroughTheRecordsOfOneTypeReadingABoundedNumberPerPage() throws IOException {
        List<byte[]> n1 = history("n1");
        List<byte[]> n2 = history("n2");
        try (ClusterStore store = ClusterStore.open(root.resolve("data"), () -> 0)) {
            store.ingest("n1", RecordBatch.parse(AgentJournals.body(n1, 1, n1.size())));
            store.ingest("n2", RecordBatch.parse(AgentJournals.body(n2, 1, n2.size())));
            List<EventRecord> expected = MergedJournals.merge(journals(store)).stream()
                    .filter(r -> r.event().type() == EventType.VIP_BOUND).toList();
            assertThat(expected).hasSizeGreaterThan(10);

            List<EventRecord> all = new ArrayList<>();
            Optional<EventCursor> cursor = Optional.empty();
            int pages = 0;
            for (boolean more = true; more; pages++) {
                ClusterStore.Page page = store.events(cursor, 7, r -> r.event().type() == EventType.VIP_BOUND, 50);
                assertThat(page.records()).hasSizeLessThanOrEqualTo(7);
                all.addAll(page.records());
                cursor = page.next();
                more = page.more();
            }

            assertThat(all).isEqualTo(expected);
            // Reading at most 50 records per page, the pages step through the whole archive, often short.
            assertThat(pages).isGreaterThanOrEqualTo((n1.size() + n2.size()) / 50);
        }
    }

    private static List<EventRecord> pageThrough(ClusterStore store, int limit) {
        List<EventRecord> all = new ArrayList<>();
        Optional<EventCursor> cursor = Optional.empty();
        while (true) {
            List<EventRecord> page = store.events(cursor, limit);
            all.addAll(page);
            if (page.size() < limit) {
                return all;
            }
            cursor = Optional.of(EventCursor.after(page.get(page.size() - 1)));
        }
    }

    @Test
    void shouldAnswerStateAtFromCheckpointsExactlyAsAFoldFromTheStart() throws IOException {
        List<byte[]> n1 = history("n1");
        List<byte[]> n2 = history("n2");
        try (ClusterStore store = ClusterStore.open(root.resolve("data"), () -> 0)) {
            store.ingest("n1", RecordBatch.parse(AgentJournals.body(n1, 1, n1.size())));
            store.ingest("n2", RecordBatch.parse(AgentJournals.body(n2, 1, n2.size() / 2)));
            List<List<EventRecord>> journals = journals(store);
            long last = journals.get(0).get(journals.get(0).size() - 1).hlc();

            for (long ms = AgentJournals.START_MILLIS - 1; HybridLogicalClock.of(ms, 0) <= last; ms += 997) {
                long limit = HybridLogicalClock.endOfMillis(ms);
                ReplayState expected = new ReplayState();
                journals.forEach(records -> records.stream().filter(r -> r.hlc() <= limit).forEach(expected::apply));

                assertThat(store.stateAt(limit)).as("state at %d", ms).isEqualTo(expected.view());
            }
        }
    }

    @Test
    void shouldAnswerStateAtTheSameAfterARestart() throws IOException {
        List<byte[]> n1 = history("n1");
        long limit;
        Object before;
        try (ClusterStore store = ClusterStore.open(root.resolve("data"), () -> 0)) {
            store.ingest("n1", RecordBatch.parse(AgentJournals.body(n1, 1, n1.size())));
            limit = journals(store).get(0).get(2 * ClusterStore.CHECKPOINT_EVERY + 17).hlc();
            before = store.stateAt(limit);
        }
        try (ClusterStore store = ClusterStore.open(root.resolve("data"), () -> 0)) {
            assertThat(store.stateAt(limit)).isEqualTo(before);
        }
    }

    @Test
    void shouldStoreAndReadBackThePoolOfAVirtualServerWithTenThousandRealServers() throws IOException {
        List<Event.PoolMemberEntry> members = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            members.add(new Event.PoolMemberEntry("198.51.100." + (i % 250) + ":" + (10_000 + i), 1 + i % 3, false));
        }
        Event.PoolChanged pool = new Event.PoolChanged("192.0.2.80:80", 5, members);
        List<EventDraft> drafts = new ArrayList<>(AgentJournals.owner("n1", 0, 1));
        drafts.add(AgentJournals.draft(500, 0, Cause.NONE, pool));
        List<byte[]> n1 = AgentJournals.write(root.resolve("agent-n1"), "n1", drafts);
        try (ClusterStore store = ClusterStore.open(root.resolve("data"), () -> 0)) {
            store.ingest("n1", RecordBatch.parse(AgentJournals.body(n1, 1, n1.size())));
        }
        try (ClusterStore store = ClusterStore.open(root.resolve("data"), () -> 0)) {
            assertThat(store.stateAt(Long.MAX_VALUE).nodes().get("n1").pools().get("192.0.2.80:80").members())
                    .isEqualTo(members);
        }
    }

    @Test
    void shouldRefuseToOpenWhenOneNodesArchiveCannotBeReadAndNameIt() throws IOException {
        List<byte[]> n1 = AgentJournals.write(root.resolve("agent-n1"), "n1", AgentJournals.owner("n1", 0, 1));
        List<byte[]> n2 = AgentJournals.write(root.resolve("agent-n2"), "n2", AgentJournals.owner("n2", 0, 2));
        try (ClusterStore store = ClusterStore.open(root.resolve("data"), () -> 0)) {
            store.ingest("n1", RecordBatch.parse(AgentJournals.body(n1, 1, n1.size())));
            store.ingest("n2", RecordBatch.parse(AgentJournals.body(n2, 1, n2.size())));
        }
        Path n2Archive = root.resolve("data/nodes/n2");
        Files.copy(n2Archive.resolve(SegmentHeader.fileName(1)), n2Archive.resolve(SegmentHeader.fileName(2)));

        assertThatThrownBy(() -> ClusterStore.open(root.resolve("data"), () -> 0)).isInstanceOf(IOException.class)
                .hasMessageContaining("archive of node 'n2'").hasMessageContaining("has 2 segments");
    }
}
