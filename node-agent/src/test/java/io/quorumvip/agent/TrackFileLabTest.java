package io.quorumvip.agent;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabPreconditions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** vrrp_track_file with our agents in lab namespaces; the kernel's address list says who owns the VIP. */
class TrackFileLabTest {

    private static final String VIP = "192.0.2.200";
    private static final Duration BOUND = Duration.ofSeconds(15);

    @BeforeEach
    void requireLab() {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("curl");
    }

    @Test
    void aTrackedFilesValueTimesItsWeightShouldMoveTheVipAndAValueOfMinus254ShouldFault() throws IOException {
        try (Lab lab = Lab.up(2)) {
            Path file = lab.stateDir().resolve("n1-drain");
            LabAgent n1 = LabAgent.start(lab, lab.node(1), config("n1", 150, file));
            LabAgent.start(lab, lab.node(2), config("n2", 100, lab.stateDir().resolve("n2-drain")));
            awaitCondition("n1 owns " + VIP, LabAgent.MASTER_BOUND, () -> lab.vipHolders(VIP), Set.of("n1")::equals);
            assertThat(Files.readString(file)).isEqualTo("0\n");

            Files.writeString(file, "3\n");
            awaitCondition("n2 preempts n1 whose priority fell to 150 - 3 x 20 = 90", BOUND,
                    () -> lab.vipHolders(VIP), Set.of("n2")::equals);
            assertThat(n1.status().path("instances").get(0).path("effective_priority").asInt()).isEqualTo(90);

            Files.writeString(file, "0\n");
            awaitCondition("n1 takes " + VIP + " back at priority 150", BOUND, () -> lab.vipHolders(VIP),
                    Set.of("n1")::equals);

            Files.writeString(file, "13\n");
            awaitCondition("n1 in FAULT (13 x -20 is below -254) and n2 owns " + VIP, BOUND,
                    () -> n1.state("VI_1") + " " + lab.vipHolders(VIP), "FAULT [n2]"::equals);

            Files.delete(file);
            awaitCondition("a deleted file reads 0: n1 leaves FAULT and takes " + VIP + " back", BOUND,
                    () -> n1.state("VI_1") + " " + lab.vipHolders(VIP), "MASTER [n1]"::equals);
        }
    }

    private static String config(String node, int priority, Path file) {
        return LabAgent.onePairInstance(node, priority, """
                vrrp_track_file drain {
                    file "%s"
                    weight -20
                    init_file 0 overwrite
                }
                """.formatted(file), "track_file {\n        drain\n    }");
    }
}
