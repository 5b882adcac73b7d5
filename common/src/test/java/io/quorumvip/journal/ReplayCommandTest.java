package io.quorumvip.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorumvip.events.Cause;
import io.quorumvip.events.Event;
import io.quorumvip.events.EventDraft;
import io.quorumvip.ownership.OwnershipDecision;
import io.quorumvip.ownership.OwnershipInputs;
import io.quorumvip.ownership.OwnershipReason;
import io.quorumvip.ownership.RoleInput;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReplayCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine command = new CommandLine(new ReplayCommand());
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        return command.execute(args);
    }

    private void writeJournal(long count) throws IOException {
        try (Journal journal = Journal.open(JournalConfig.of(dir, "node-11"))) {
            for (long i = 0; i < count; i++) {
                journal.append(JournalFixtures.draft(i));
            }
            journal.appendDurably(JournalFixtures.draft(count));
        }
    }

    @Test
    void shouldPrintTheSyncGroupsStateAndTheRoutesAndRulesInTheKernel() throws IOException {
        long wall = JournalFixtures.START_WALL_MICROS;
        try (Journal journal = Journal.open(JournalConfig.of(dir, "node-11"))) {
            journal.appendDurably(JournalFixtures.draft(0));
            journal.appendDurably(EventDraft.of(wall + 1_000, 1, Cause.NONE,
                    new Event.SyncGroupStateChanged("lvs_nat", "", "BACKUP", "back", "BACKUP")));
            journal.appendDurably(EventDraft.of(wall + 2_000, 2, Cause.NONE,
                    new Event.SyncGroupStateChanged("lvs_nat", "BACKUP", "MASTER", "front", "MASTER")));
            journal.appendDurably(EventDraft.of(wall + 3_000, 3, Cause.NONE,
                    new Event.RoutingChanged("front", "route", "198.51.100.0/24 via 192.0.2.1", true, "")));
            journal.appendDurably(EventDraft.of(wall + 4_000, 4, Cause.NONE,
                    new Event.RoutingChanged("front", "rule", "from 192.0.2.220 table 100", true, "")));
            journal.appendDurably(EventDraft.of(wall + 5_000, 5, Cause.NONE,
                    new Event.RoutingChanged("front", "rule", "from 192.0.2.220 table 100", false, "")));
            journal.appendDurably(EventDraft.of(wall + 6_000, 6, Cause.NONE,
                    new Event.RoutingChanged("front", "route", "203.0.113.0/24 dev eth9", true, "No such device")));
        }

        assertThat(run(dir.toString())).isEqualTo(0);

        assertThat(out.toString())
                .contains("sync group lvs_nat      MASTER (front MASTER)")
                .contains("routing of front        [route 198.51.100.0/24 via 192.0.2.1]");
        assertThat(run("--export", "jsonl", dir.toString())).isEqualTo(0);
        assertThat(out.toString()).contains("\"type\":\"SYNC_GROUP_STATE_CHANGED\"")
                .contains("\"error\":\"No such device\"");
    }

    @Test
    void shouldVerifyAnIntactJournalWithExitCodeZero() throws IOException {
        writeJournal(100);
        assertThat(run("--verify", dir.toString())).isEqualTo(0);
        assertThat(out.toString()).contains("ok: 101 records verified");
    }

    @Test
    void shouldNameTheRecordWhoseOwnershipDecisionDoesNotFollowFromItsInputs() throws IOException {
        try (Journal journal = Journal.open(JournalConfig.of(dir, "node-11"))) {
            journal.appendDurably(JournalFixtures.draft(0));
            var inputs = new OwnershipInputs(RoleInput.BACKUP, false, true, true, 10, 5);
            var wrong = new Event.OwnershipDecided("VI_1", inputs, OwnershipDecision.of(OwnershipReason.OWN));
            journal.appendDurably(EventDraft.of(JournalFixtures.START_WALL_MICROS + 5_000, 5, Cause.NONE, wrong));
            journal.appendDurably(JournalFixtures.draft(3));
        }
        long offset = JournalTest.offsetOfRecord(JournalReader.segmentFiles(dir).get(0), 2);

        assertThat(run("--verify", dir.toString())).isEqualTo(1);
        assertThat(out.toString())
                .contains("FINDING: " + JournalReader.segmentFiles(dir).get(0) + " at byte " + offset + " (seq 2)")
                .contains("recorded OwnershipDecision[own=true, reason=OWN] but the rule gives OwnershipDecision[own=false, reason=NOT_MASTER]");
    }

    @Test
    void shouldReportABrokenChainWhenARecordIsRewrittenWithAValidCrc() throws IOException {
        writeJournal(50);
        Path segment = JournalReader.segmentFiles(dir).get(0);
        long tampered = JournalTest.offsetOfRecord(segment, 20);
        long next = JournalTest.offsetOfRecord(segment, 21);
        rewritePayloadByte(segment, tampered, 12);

        assertThat(run("--verify", dir.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("at byte " + next + " (seq 21): hash chain broken");
    }

    @Test
    void shouldNameSegmentAndOffsetOfAFlippedByte() throws IOException {
        writeJournal(50);
        Path segment = JournalReader.segmentFiles(dir).get(0);
        long offset = JournalTest.offsetOfRecord(segment, 30);
        JournalTest.flipByte(segment, offset + 20);

        assertThat(run("--verify", dir.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("FINDING: " + segment + " at byte " + offset).contains("CRC32C mismatch");
    }

    @Test
    void shouldPrintTheStateAtAnInstantPerNodeAndInstance() throws IOException {
        writeJournal(12);
        String atEvent4 = java.time.Instant.EPOCH.plusNanos((JournalFixtures.START_WALL_MICROS + 4_000) * 1000).toString();

        assertThat(run("--at", atEvent4, "--json", dir.toString())).isEqualTo(0);
        JsonNode state = new ObjectMapper().readTree(out.toString());
        JsonNode node = state.path("nodes").path("node-11");
        assertThat(node.path("lastSeq").asLong()).isEqualTo(5);
        assertThat(node.path("instances").path("VI_0").path("state").asText()).isEqualTo("MASTER");
        assertThat(node.path("instances").path("VI_1").path("lease").asText()).isEqualTo("HELD");
        assertThat(node.path("instances").path("VI_1").path("leaseEpoch").asLong()).isEqualTo(101);
        assertThat(node.path("instances").path("VI_3").path("vipOwned").asBoolean()).isTrue();
    }

    @Test
    void shouldSayWhichRealServersWereInEachPoolAtAnInstant() throws IOException {
        long start = JournalFixtures.START_WALL_MICROS;
        String vs = "192.0.2.210:80/tcp";
        var both = List.of(new Event.PoolMemberEntry("192.0.2.51:80", 1, false),
                new Event.PoolMemberEntry("192.0.2.52:80", 1, false));
        var evidence = new Event.CheckEvidence("TCP_CHECK", "connect refused", -1, -1, 900, 4);
        try (Journal journal = Journal.open(JournalConfig.of(dir, "node-11"))) {
            journal.appendDurably(EventDraft.of(start, 1_000, Cause.NONE, new Event.PoolChanged(vs, 1, both)));
            journal.appendDurably(EventDraft.of(start + 10_000, 2_000, Cause.health("TCP_CHECK", 0),
                    new Event.RealServerDown(vs, "192.0.2.51:80", evidence)));
            journal.appendDurably(EventDraft.of(start + 10_100, 3_000, Cause.NONE,
                    new Event.PoolChanged(vs, 2, both.subList(1, 2))));
        }
        String before = java.time.Instant.EPOCH.plusNanos((start + 5_000) * 1000).toString();
        String after = java.time.Instant.EPOCH.plusNanos((start + 20_000) * 1000).toString();

        assertThat(run("--at", before, dir.toString())).isEqualTo(0);
        assertThat(out.toString()).contains("pool " + vs).contains("generation 1")
                .contains("[192.0.2.51:80 w1, 192.0.2.52:80 w1]").doesNotContain("down:");
        out.getBuffer().setLength(0);
        assertThat(run("--at", after, dir.toString())).isEqualTo(0);
        assertThat(out.toString()).contains("generation 2").contains("[192.0.2.52:80 w1]")
                .contains("down: 192.0.2.51:80");
    }

    @Test
    void shouldPrintAReadableTableWithoutJson() throws IOException {
        writeJournal(12);
        assertThat(run("--node", "node-11", dir.toString())).isEqualTo(0);
        assertThat(out.toString()).contains("node node-11  seq 13").contains("VI_0").contains("vrid 51");
    }

    @Test
    void shouldExportOneJsonObjectPerEvent() throws IOException {
        writeJournal(9);
        assertThat(run("--export", "jsonl", dir.toString())).isEqualTo(0);
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(10);
        JsonNode third = new ObjectMapper().readTree(lines.get(2));
        assertThat(third.path("type").asText()).isEqualTo("OWNERSHIP_DECIDED");
        assertThat(third.path("event").path("decision").path("reason").asText()).isEqualTo("OWN");
        assertThat(third.path("previous_hash").asText()).hasSize(64);
    }

    @Test
    void shouldExportOnlyTheEventsOfTheWindow() throws IOException {
        writeJournal(9);
        long startMillis = JournalFixtures.START_WALL_MICROS / 1000;

        assertThat(run("--export", "jsonl", "--from", Long.toString(startMillis + 3), "--to",
                Long.toString(startMillis + 5), dir.toString())).isEqualTo(0);

        assertThat(out.toString().lines().map(line -> line.replaceAll(".*\"seq\":(\\d+).*", "$1")))
                .containsExactly("4", "5", "6");
    }

    @Test
    void shouldRefuseAWindowWithoutExport() throws IOException {
        writeJournal(1);
        assertThat(run("--verify", "--from", "0", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--from/--to select what --export writes");
    }

    @Test
    void shouldRejectAnUnparseableTimeWithExitCodeTwo() throws IOException {
        writeJournal(1);
        assertThat(run("--at", "yesterday", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--at got 'yesterday' (expected an ISO-8601 instant");
    }

    @Test
    void shouldRejectAMissingDirectoryWithExitCodeTwo() {
        assertThat(run(dir.resolve("nope").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("does not exist");
    }

    @Test
    void shouldRejectAnUnknownExportFormat() throws IOException {
        writeJournal(1);
        assertThat(run("--export", "csv", dir.toString())).isEqualTo(2);
    }

    @Test
    void shouldAcceptEpochMillisForAt() {
        assertThat(TimeArgument.parseMillis("--at", "1763700000123")).isEqualTo(1_763_700_000_123L);
        assertThat(TimeArgument.parseMillis("--at", "2025-11-21T04:40:00.123Z")).isEqualTo(1_763_700_000_123L);
    }

    /** Changes one payload byte and recomputes the frame's CRC, as a careful tamperer would. */
    private static void rewritePayloadByte(Path segment, long frameOffset, int payloadIndex) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(segment.toFile(), "rw")) {
            raf.seek(frameOffset);
            int length = raf.readInt();
            byte[] payload = new byte[length];
            raf.seek(frameOffset + 8);
            raf.readFully(payload);
            payload[payloadIndex] ^= 0x01;
            CRC32C crc = new CRC32C();
            crc.update(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
            crc.update(payload);
            raf.seek(frameOffset + 4);
            raf.writeInt((int) crc.getValue());
            raf.write(payload);
        }
    }
}
