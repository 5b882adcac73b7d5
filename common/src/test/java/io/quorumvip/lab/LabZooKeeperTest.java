package io.quorumvip.lab;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LabZooKeeperTest {

    private static final Duration BOUND = Duration.ofSeconds(30);

    @BeforeEach
    void requireLab() {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("java", "mvn", "nft", "timeout");
    }

    @Test
    void shouldRunAThreeServerEnsembleAndElectANewLeaderWhenItsLeaderIsKilled() {
        try (Lab lab = Lab.up(1, 3)) {
            assertThat(lab.zkConnectString()).isEqualTo("192.0.2.21:2181,192.0.2.22:2181,192.0.2.23:2181");
            JsonNode status = lab.status();
            assertThat(status.path("zk_connect").asText()).isEqualTo(lab.zkConnectString());
            assertThat(status.path("zookeeper")).hasSize(3)
                    .allSatisfy(zk -> assertThat(zk.path("alive").asBoolean()).isTrue());
            List<String> modes = lab.zkServers().stream().map(zk -> zk.mode().orElse("none")).sorted().toList();
            assertThat(modes).containsExactly("follower", "follower", "leader");

            LabZooKeeper leader = lab.zkLeader().orElseThrow();
            leader.kill9();

            LabZooKeeper next = awaitCondition("another server leads", BOUND, lab::zkLeader, Optional::isPresent)
                    .orElseThrow();
            assertThat(next.id()).isNotEqualTo(leader.id());
            assertThat(leader.isAlive()).isFalse();

            leader.start();
            assertThat(awaitCondition("the restarted server follows", BOUND, leader::mode, Optional::isPresent))
                    .hasValue("follower");
        }
    }

    @Test
    void shouldCutANodeOffFromZooKeeperAndLetItBackIn() {
        try (Lab lab = Lab.up(2, 1)) {
            LabHost n1 = lab.node(1);
            assertThat(ruok(n1, lab.zk(1))).isEqualTo("imok");

            n1.blockZooKeeper();
            assertThat(ruok(n1, lab.zk(1))).as("n1 behind the block").isEmpty();
            assertThat(ruok(lab.node(2), lab.zk(1))).as("n2 is not blocked").isEqualTo("imok");
            assertThat(n1.canPing(lab.zk(1).address())).as("only ZooKeeper is blocked").isTrue();

            n1.unblockZooKeeper();
            assertThat(ruok(n1, lab.zk(1))).isEqualTo("imok");
        }
    }

    @Test
    void shouldStartNoZooKeeperWhenNotAsked() {
        try (Lab lab = Lab.up(1)) {
            assertThat(lab.zkServers()).isEmpty();
            assertThat(lab.status().path("zookeeper")).isEmpty();
            assertThat(lab.zkConnectString()).isEmpty();
        }
    }

    /** The four-letter word ruok from a host; "imok" when the server answers, empty when nothing comes back. */
    private static String ruok(LabHost host, LabZooKeeper zk) {
        return host.exec("timeout", "2", "bash", "-c", "exec 3<>/dev/tcp/" + zk.address() + "/"
                + LabZooKeeper.CLIENT_PORT + " && printf ruok >&3 && cat <&3").stdout().strip();
    }
}
