package io.quorumvip.agent;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabHost;
import io.quorumvip.lab.LabPreconditions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tracking, several instances and notify scripts, with our agents in lab namespaces. Ground truth for ownership is
 * the kernel's address list; the agents' status is checked only for what only they know (effective priority).
 */
class AgentBehaviourTest {

    private static final String VIP = "192.0.2.200";
    private static final Duration BOUND = Duration.ofSeconds(15);

    @BeforeEach
    void requireLab() {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("curl");
    }

    @Test
    void aFailingTrackScriptShouldLowerPriorityByItsWeightAndLetTheBackupPreempt() throws IOException {
        try (Lab lab = Lab.up(2)) {
            Path flag = lab.stateDir().resolve("n1-healthy");
            Files.writeString(flag, "ok");
            LabAgent n1 = LabAgent.start(lab.node(1), config(lab, "n1", 150, trackedScript(-60)));
            LabAgent n2 = LabAgent.start(lab.node(2), config(lab, "n2", 100, ""));
            awaitCondition("n1 owns " + VIP, BOUND, () -> lab.vipHolders(VIP), Set.of("n1")::equals);

            Files.delete(flag);
            awaitCondition("n2 preempts n1 whose priority fell to 90", BOUND, () -> lab.vipHolders(VIP),
                    Set.of("n2")::equals);
            assertThat(n1.status().path("instances").get(0).path("effective_priority").asInt()).isEqualTo(90);
            assertThat(n1.state("VI_1")).isEqualTo("BACKUP");

            Files.writeString(flag, "ok");
            awaitCondition("n1 takes " + VIP + " back at priority 150", BOUND, () -> lab.vipHolders(VIP),
                    Set.of("n1")::equals);
            assertThat(n2.state("VI_1")).isEqualTo("BACKUP");
        }
    }

    @Test
    void aFailingTrackScriptWithWeightZeroShouldPutTheInstanceInFault() throws IOException {
        try (Lab lab = Lab.up(2)) {
            Path flag = lab.stateDir().resolve("n1-healthy");
            Files.writeString(flag, "ok");
            LabAgent n1 = LabAgent.start(lab.node(1), config(lab, "n1", 150, trackedScript(0)));
            LabAgent.start(lab.node(2), config(lab, "n2", 100, ""));
            awaitCondition("n1 owns " + VIP, BOUND, () -> lab.vipHolders(VIP), Set.of("n1")::equals);

            Files.delete(flag);
            awaitCondition("n1 in FAULT and n2 owns " + VIP, BOUND,
                    () -> n1.state("VI_1") + " " + lab.vipHolders(VIP), "FAULT [n2]"::equals);

            Files.writeString(flag, "ok");
            awaitCondition("n1 leaves FAULT and takes " + VIP + " back", BOUND,
                    () -> n1.state("VI_1") + " " + lab.vipHolders(VIP), "MASTER [n1]"::equals);
        }
    }

    @Test
    void aLinkDownShouldPutTheInstanceInFaultAndReleaseTheVip() throws IOException {
        try (Lab lab = Lab.up(2)) {
            LabAgent n1 = LabAgent.start(lab.node(1), config(lab, "n1", 150, ""));
            awaitCondition("n1 owns " + VIP, BOUND, () -> lab.vipHolders(VIP), Set.of("n1")::equals);

            lab.node(1).linkDown();
            awaitCondition("n1 in FAULT without " + VIP, BOUND, () -> n1.state("VI_1") + " " + lab.vipHolders(VIP),
                    "FAULT []"::equals);

            lab.node(1).linkUp();
            awaitCondition("n1 back to MASTER with " + VIP, BOUND,
                    () -> n1.state("VI_1") + " " + lab.vipHolders(VIP), "MASTER [n1]"::equals);
        }
    }

    @Test
    void theDualMasterLayoutShouldGiveEachNodeOneVipAndMoveBothWhenOneDies() {
        try (Lab lab = Lab.up(2)) {
            LabAgent n1 = LabAgent.start(lab.node(1), lab.keepalivedSample("dual-master-node1.conf"));
            LabAgent.start(lab.node(2), lab.keepalivedSample("dual-master-node2.conf"));
            awaitCondition("n1 owns .200 and n2 owns .201", BOUND,
                    () -> lab.vipHolders("192.0.2.200") + " " + lab.vipHolders("192.0.2.201"), "[n1] [n2]"::equals);
            assertThat(lab.node(1).exec("ip", "-o", "addr", "show", "label", "eth0:1").stdout()).contains(VIP);

            n1.process().freezeAndKill();
            awaitCondition("n2 owns both", BOUND, () -> lab.node(2).holds("192.0.2.200") && lab.node(2).holds("192.0.2.201"),
                    Boolean.TRUE::equals);
        }
    }

    @Test
    void notifyScriptsShouldRunInOrderWithKeepalivedArgumentsIncludingStop() throws IOException {
        try (Lab lab = Lab.up(1)) {
            Path log = lab.stateDir().resolve("notify.log");
            Path script = lab.stateDir().resolve("notify.sh");
            Files.writeString(script, "#!/bin/sh\necho \"$@\" >> " + log + "\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            String notify = "    notify_backup \"" + script + " backup\"\n"
                    + "    notify_master \"" + script + " master\"\n"
                    + "    notify_stop \"" + script + " stop\"\n"
                    + "    notify " + script + "\n";
            LabAgent n1 = LabAgent.start(lab.node(1), config(lab, "n1", 150, notify));
            awaitCondition("n1 owns " + VIP, BOUND, () -> lab.vipHolders(VIP), Set.of("n1")::equals);
            awaitCondition("the master notifications ran", BOUND, () -> lines(log), l -> l.size() >= 4);

            n1.process().stop();
            assertThat(lines(log)).containsExactly("backup", "INSTANCE VI_1 BACKUP 150", "master",
                    "INSTANCE VI_1 MASTER 150", "stop", "INSTANCE VI_1 STOP 150");
            assertThat(lab.vipHolders(VIP)).isEmpty();
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    private static String trackedScript(int weight) {
        return "    track_script {\n        chk_flag weight " + weight + "\n    }\n";
    }

    /** A one-instance config in the shape of the pair samples, plus a vrrp_script that tests a flag file. */
    private static Path config(Lab lab, String node, int priority, String extra) throws IOException {
        Path flag = lab.stateDir().resolve(node + "-healthy");
        String config = """
                global_defs {
                    router_id %s
                }
                vrrp_script chk_flag {
                    script "/usr/bin/test -f %s"
                    interval 1
                    fall 1
                    rise 1
                }
                vrrp_instance VI_1 {
                    state BACKUP
                    interface eth0
                    virtual_router_id 66
                    priority %d
                    advert_int 1
                    authentication {
                        auth_type PASS
                        auth_pass 1111
                    }
                    virtual_ipaddress {
                        192.0.2.200/24 dev eth0 label eth0:1
                    }
                %s}
                """.formatted(node, flag, priority, extra);
        Path file = lab.stateDir().resolve(node).resolve("agent-test.conf");
        Files.createDirectories(file.getParent());
        Files.writeString(file, config);
        return file;
    }
}
