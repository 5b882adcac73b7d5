package io.quorumvip.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorumvip.lab.HostCommand;
import io.quorumvip.lab.LabPreconditions;
import io.quorumvip.lb.LvsStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The counter dump against the kernel, in a namespace made for the test and removed after it (root only). */
class NftCounterDumpTest {

    @TempDir
    Path dir;

    private String namespace;

    @BeforeEach
    void createNamespace() {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("nft");
        namespace = "qvcnt-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;
        HostCommand.run("ip", "netns", "add", namespace).requireSuccess();
    }

    @AfterEach
    void removeNamespace() {
        if (namespace != null) {
            HostCommand.run("ip", "netns", "del", namespace).requireSuccess();
        }
    }

    @Test
    void shouldReadEveryCounterOfTheTableAndNothingElse() throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.nft"), """
                table ip qvip_lb {
                	counter vs_a { packets 301 bytes 18060 }
                	counter rs_a__b { packets 5000000000 bytes 300 }
                	map ctr_a { type mark : counter; elements = { 0 : "rs_a__b" } }
                	chain fwd_a {
                		counter name meta mark map @ctr_a
                	}
                }
                table ip other {
                	counter vs_x { packets 7 bytes 7 }
                }
                table ip6 qvip_lb {
                	counter vs_b { packets 1 bytes 60 }
                }
                """);
        HostCommand.run("ip", "netns", "exec", namespace, "nft", "-f", rules.toString()).requireSuccess();

        try (NamespaceThread inside = NamespaceThread.enter(namespace)) {
            Map<String, LvsStats.Counter> ip = inside.call(() -> {
                try (NftCounterDump dump = NftCounterDump.open()) {
                    return dump.counters("ip", "qvip_lb");
                }
            });
            Map<String, LvsStats.Counter> ip6 = inside.call(() -> {
                try (NftCounterDump dump = NftCounterDump.open()) {
                    return dump.counters("ip6", "qvip_lb");
                }
            });

            assertThat(ip).containsOnly(Map.entry("vs_a", new LvsStats.Counter(301, 18060)),
                    Map.entry("rs_a__b", new LvsStats.Counter(5_000_000_000L, 300)));
            assertThat(ip6).containsOnly(Map.entry("vs_b", new LvsStats.Counter(1, 60)));
            assertThat(inside.call(() -> {
                try (NftCounterDump dump = NftCounterDump.open()) {
                    return dump.counters("netdev", "qvip_lb");
                }
            })).as("a dump filters: no table, no counters").isEmpty();
            assertThatThrownBy(() -> NftCounterDump.open().counters("bridge", "qvip_lb"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("family bridge");
        }
    }
}
