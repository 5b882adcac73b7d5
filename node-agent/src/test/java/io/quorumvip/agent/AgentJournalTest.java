package io.quorumvip.agent;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.events.Event;
import io.quorumvip.journal.JournalReader;
import io.quorumvip.journal.ReplayCommand;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabPreconditions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What a real agent run leaves in its journal, read back with the same reader and replay the auditors use. */
class AgentJournalTest {

    private static final String VIP = "192.0.2.200";

    @BeforeEach
    void requireLab() {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("curl");
    }

    @Test
    void aRunShouldJournalEveryTransitionWithTheBindWrittenAheadAndVerifyCleanly() throws IOException {
        Path journal;
        try (Lab lab = Lab.up(1)) {
            LabAgent agent = LabAgent.start(lab.node(1), lab.keepalivedSample("pair-node1.conf"));
            awaitCondition("n1 owns " + VIP, Duration.ofSeconds(15), () -> lab.vipHolders(VIP), Set.of("n1")::equals);
            agent.process().stop();
            journal = LabAgent.journalDir(lab.node(1));

            List<Event> events = events(journal);
            assertThat(events).map(e -> e.type().name()).containsSubsequence("AGENT_STARTED", "CONFIG_LOADED",
                    "VRRP_STATE_CHANGED", "VRRP_STATE_CHANGED", "OWNERSHIP_DECIDED", "VIP_BIND_INTENDED", "VIP_BOUND",
                    "VRRP_STATE_CHANGED", "OWNERSHIP_DECIDED", "VIP_RELEASED", "AGENT_STOPPED");
            assertThat(events).filteredOn(Event.VipBindIntended.class::isInstance).singleElement()
                    .isEqualTo(new Event.VipBindIntended("VI_1", VIP + "/24", 0));

            assertThat(replay(journal, "--verify")).isZero();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(replay(journal, "--json", out)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("VI_1").contains("n1");
        }
    }

    @Test
    void aNodeWhoseJournalCannotBeWrittenShouldWinVrrpButNeverBindTheVip() throws IOException {
        try (Lab lab = Lab.up(2); JournalDisk disk = JournalDisk.mount(LabAgent.journalDir(lab.node(1)))) {
            LabAgent n2 = LabAgent.start(lab.node(2), lab.keepalivedSample("pair-node1.conf"));
            awaitCondition("n2 owns " + VIP, Duration.ofSeconds(15), () -> lab.vipHolders(VIP), Set.of("n2")::equals);
            LabAgent n1 = LabAgent.start(lab.node(1), lab.keepalivedSample("pair-node2.conf"));
            awaitCondition("n1 BACKUP", Duration.ofSeconds(15), () -> n1.state("VI_1"), "BACKUP"::equals);

            disk.fill();
            // Each link flap journals a few events; within a page's worth the journal needs a page it cannot get.
            for (int flap = 0; flap < 40 && n1.metrics().value("qvip_journal_writable") != 0; flap++) {
                lab.node(1).linkDown();
                awaitCondition("n1 in FAULT", Duration.ofSeconds(5), () -> n1.state("VI_1"), "FAULT"::equals);
                lab.node(1).linkUp();
                awaitCondition("n1 BACKUP again", Duration.ofSeconds(5), () -> n1.state("VI_1"), "BACKUP"::equals);
            }
            assertThat(n1.metrics().value("qvip_journal_writable")).isZero();

            n2.process().freezeAndKill();
            awaitCondition("n1 wins VRRP", Duration.ofSeconds(15), () -> n1.state("VI_1"), "MASTER"::equals);
            // Let several advert intervals pass: each retries the bind, and each must be refused again.
            sleep(Duration.ofSeconds(3));
            assertThat(lab.node(1).holds(VIP)).isFalse();
            assertThat(n1.status().path("instances").get(0).path("vip_owned").asBoolean()).isFalse();
            assertThat(n1.metrics().value("qvip_errors_total", "instance", "VI_1", "kind", "journal")).isPositive();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static List<Event> events(Path dir) throws IOException {
        List<Event> events = new ArrayList<>();
        JournalReader.read(JournalReader.segmentFiles(dir), (segment, header) -> { },
                (segment, offset, record, payload, at, length) -> {
                    events.add(record.event());
                    return true;
                });
        return events;
    }

    private static int replay(Path dir, String option) {
        return replay(dir, option, new ByteArrayOutputStream());
    }

    private static int replay(Path dir, String option, ByteArrayOutputStream out) {
        PrintStream saved = System.out;
        try (PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            return new CommandLine(new ReplayCommand()).execute(dir.toString(), option);
        } finally {
            System.setOut(saved);
        }
    }
}
