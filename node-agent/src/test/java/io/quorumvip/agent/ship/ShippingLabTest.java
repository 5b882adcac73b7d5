package io.quorumvip.agent.ship;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.agent.LabAgent;
import io.quorumvip.events.EventRecord;
import io.quorumvip.events.Hash256;
import io.quorumvip.journal.JournalReader;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabCoordinator;
import io.quorumvip.lab.LabHost;
import io.quorumvip.lab.LabPreconditions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 5's acceptance for shipping, in the lab: two real agents ship to the real coordinator process at
 * 192.0.2.30, which is killed with SIGKILL mid-run while the agents hand the VIP back and forth (a VRRP block, then
 * a restart of n1's agent, which so also has to start shipping from what the coordinator stored), then started again.
 */
class ShippingLabTest {

    private static final String VIP = "192.0.2.200";
    private static final Duration BOUND = Duration.ofSeconds(60);

    @BeforeAll
    static void needsTheLab() {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("curl");
    }

    /** A node's records with the payload hash of each, read from a journal directory (the agent's or the copy). */
    private record Copy(List<EventRecord> records, List<Hash256> hashes) {
        long lastSeq() {
            return records.isEmpty() ? 0 : records.get(records.size() - 1).seq();
        }
    }

    private static Copy read(Path dir) {
        List<EventRecord> records = new ArrayList<>();
        List<Hash256> hashes = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return new Copy(records, hashes);
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            JournalReader.read(JournalReader.segmentFiles(dir), (segment, header) -> { },
                    (segment, offset, record, payload, at, length) -> {
                        records.add(record);
                        sha256.update(payload, at, length);
                        hashes.add(new Hash256(sha256.digest()));
                        return true;
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal in " + dir, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return new Copy(records, hashes);
    }

    private static String config(Lab lab, LabHost host, int priority) {
        String sample = LabAgent.pairNode1Config(lab).replace("priority 150", "priority " + priority)
                .replace("router_id lb01", "router_id " + host.name());
        return sample + "\ncoordinator {\n    url " + lab.coordinator().url() + "\n    token_file "
                + lab.coordinator().tokenFile(host) + "\n}\n";
    }

    private static void awaitEverythingShipped(LabCoordinator coordinator, LabHost host) {
        Path journal = LabAgent.journalDir(host);
        Path archive = coordinator.archive(host.name());
        awaitCondition("the coordinator's copy of " + host.name() + "'s journal equals the journal", BOUND,
                () -> {
                    Copy agent = read(journal);
                    Copy copy = read(archive);
                    return agent.records().size() + " records up to seq " + agent.lastSeq() + " vs "
                            + copy.records().size() + " up to seq " + copy.lastSeq() + ", equal: "
                            + (agent.records().equals(copy.records()) && agent.hashes().equals(copy.hashes()));
                }, s -> s.endsWith("equal: true"));
    }

    @Test
    void everyRecordShouldReachTheCoordinatorOnceAcrossItsKillAndRestartAndAnAgentRestart() {
        try (Lab lab = Lab.upWithCoordinator(2, 0)) {
            LabCoordinator coordinator = lab.coordinator();
            LabAgent n1 = LabAgent.start(lab, lab.node(1), config(lab, lab.node(1), 150));
            LabAgent n2 = LabAgent.start(lab, lab.node(2), config(lab, lab.node(2), 100));
            n1.awaitMaster();
            awaitEverythingShipped(coordinator, lab.node(1));
            awaitEverythingShipped(coordinator, lab.node(2));

            coordinator.process().kill9();
            long[] seqAtKill = {read(LabAgent.journalDir(lab.node(1))).lastSeq(),
                    read(LabAgent.journalDir(lab.node(2))).lastSeq()};
            lab.node(1).blockVrrp();
            awaitCondition("n2 takes " + VIP + " while VRRP is blocked", BOUND, n2::stateSummary,
                    "MASTER vip_owned=true"::equals);
            lab.node(1).unblockVrrp();
            awaitCondition("n1 alone owns " + VIP + " again", BOUND,
                    () -> n2.state("VI_1") + " " + lab.vipHolders(VIP), "BACKUP [n1]"::equals);
            n1.process().stop();
            awaitCondition("n2 takes " + VIP + " from the stopped n1", BOUND, n2::stateSummary,
                    "MASTER vip_owned=true"::equals);
            n1 = LabAgent.start(lab, lab.node(1), config(lab, lab.node(1), 150));
            n1.awaitMaster();
            long[] seqBeforeRestart = {read(LabAgent.journalDir(lab.node(1))).lastSeq(),
                    read(LabAgent.journalDir(lab.node(2))).lastSeq()};
            assertThat(seqBeforeRestart[0]).as("n1 recorded transitions while the coordinator was down")
                    .isGreaterThan(seqAtKill[0]);
            assertThat(seqBeforeRestart[1]).as("n2 recorded transitions while the coordinator was down")
                    .isGreaterThan(seqAtKill[1]);
            assertThat(n1.status().path("shipping").path(0).path("acked_seq").isNull())
                    .as("the restarted n1 has not heard from the coordinator").isTrue();

            coordinator.restart();

            for (int i = 1; i <= 2; i++) {
                LabHost host = lab.node(i);
                awaitEverythingShipped(coordinator, host);
                Copy copy = read(coordinator.archive(host.name()));
                assertThat(copy.records()).extracting(EventRecord::seq).doesNotHaveDuplicates()
                        .as("contiguous seqs from 1").containsExactlyElementsOf(
                                LongStream.rangeClosed(1, copy.lastSeq()).boxed().toList());
                for (int k = 1; k < copy.records().size(); k++) {
                    assertThat(copy.records().get(k).previousHash()).as("chain at seq %d", k + 1)
                            .isEqualTo(copy.hashes().get(k - 1));
                }
                assertThat(copy.lastSeq()).as("records of %s appended while the coordinator was down arrived",
                        host.name()).isGreaterThanOrEqualTo(seqBeforeRestart[i - 1]);
            }
            LabAgent restarted = n1;
            awaitCondition("n1's status says it caught up", BOUND,
                    () -> restarted.status().path("shipping").path(0).path("lag_records").asLong(), lag -> lag == 0L);
            assertThat(n2.metrics().value("qvip_ship_errors_total", "kind", "connection")).isPositive();
        }
    }
}
