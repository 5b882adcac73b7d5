package io.quorumvip.agent;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.events.Event;
import io.quorumvip.events.EventRecord;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabPreconditions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A sync group's own {@code track_file}, tracked by both members, with our agents in lab namespaces: a non-zero
 * value on the owner puts the whole group in FAULT there, so both VIPs move to the other node together; the
 * group's state changes are journaled with the member change that caused them.
 */
class SyncGroupTrackFileLabTest {

    private static final String FRONT = "192.0.2.230";
    private static final String BACK = "192.0.2.231";
    private static final Duration BOUND = Duration.ofSeconds(20);

    @BeforeEach
    void requireLab() {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("curl");
    }

    @Test
    void aNonZeroValueOfTheGroupsTrackFileShouldMoveBothVipsAndBeJournaledAsAGroupFault() throws IOException {
        try (Lab lab = Lab.up(2)) {
            Path file = lab.stateDir().resolve("n1-drain");
            LabAgent n1 = LabAgent.start(lab, lab.node(1), config("n1", 150, file));
            LabAgent.start(lab, lab.node(2), config("n2", 100, lab.stateDir().resolve("n2-drain")));
            awaitCondition("n1 owns both VIPs", LabAgent.MASTER_BOUND,
                    () -> lab.vipHolders(FRONT) + " " + lab.vipHolders(BACK), "[n1] [n1]"::equals);

            Files.writeString(file, "1\n");
            awaitCondition("both members of n1 in FAULT, both VIPs on n2", BOUND,
                    () -> n1.state("front") + " " + n1.state("back") + " " + lab.vipHolders(FRONT) + " "
                            + lab.vipHolders(BACK), "FAULT FAULT [n2] [n2]"::equals);
            awaitCondition("n1 journaled the group's FAULT", BOUND,
                    () -> groupChanges(LabAgent.journalRecords(LabAgent.journalDir(lab.node(1)))),
                    changes -> changes.stream().anyMatch(c -> c.to().equals("FAULT")));
            Event.SyncGroupStateChanged fault = groupChanges(LabAgent.journalRecords(
                    LabAgent.journalDir(lab.node(1)))).stream().filter(c -> c.to().equals("FAULT")).findFirst()
                    .orElseThrow();
            assertThat(fault.group()).isEqualTo("pair");
            assertThat(fault.from()).isEqualTo("MASTER");
            assertThat(fault.memberState()).isEqualTo("FAULT");
            assertThat(fault.member()).isIn("front", "back");

            Files.writeString(file, "0\n");
            awaitCondition("n1 takes both VIPs back at priority 150", BOUND,
                    () -> lab.vipHolders(FRONT) + " " + lab.vipHolders(BACK), "[n1] [n1]"::equals);
            assertThat(List.of(n1.state("front"), n1.state("back"))).containsOnly("MASTER");
        }
    }

    private static List<Event.SyncGroupStateChanged> groupChanges(List<EventRecord> records) {
        return records.stream().map(EventRecord::event).filter(Event.SyncGroupStateChanged.class::isInstance)
                .map(Event.SyncGroupStateChanged.class::cast).toList();
    }

    private static String config(String node, int priority, Path file) {
        return """
                global_defs {
                    router_id %1$s
                }
                vrrp_track_file drain {
                    file "%3$s"
                    weight 0
                    init_file 0 overwrite
                }
                vrrp_sync_group pair {
                    group {
                        front
                        back
                    }
                    track_file {
                        drain
                    }
                }
                vrrp_instance front {
                    state BACKUP
                    interface eth0
                    virtual_router_id 71
                    priority %2$d
                    advert_int 1
                    virtual_ipaddress {
                        192.0.2.230/24 dev eth0
                    }
                }
                vrrp_instance back {
                    state BACKUP
                    interface eth0
                    virtual_router_id 72
                    priority %2$d
                    advert_int 1
                    virtual_ipaddress {
                        192.0.2.231/24 dev eth0
                    }
                }
                """.formatted(node, priority, file);
    }
}
