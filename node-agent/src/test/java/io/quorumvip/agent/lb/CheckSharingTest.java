package io.quorumvip.agent.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.quorumvip.config.KeepalivedConfigParser;
import io.quorumvip.events.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * global_defs lb_share_checks: the same real server in three virtual servers, its MISC_CHECK counting its runs in a
 * file (the count is taken on the "server"), checked once per period when shared and three times when not.
 */
class CheckSharingTest {

    private static final long RUN_MILLIS = 2_000;

    @TempDir
    Path dir;

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private LoadBalancer lb;

    private final DataPlane recording = new DataPlane() {
        @Override
        public void apply(String document) {
        }

        @Override
        public String read(String document) {
            return "{\"nftables\":[]}";
        }

        @Override
        public void close() {
        }
    };

    @AfterEach
    void stop() {
        if (lb != null) {
            lb.stop();
        }
    }

    private long runsIn2Seconds(String globalDefs) throws Exception {
        Path counter = dir.resolve("runs");
        Files.writeString(counter, "");
        StringBuilder conf = new StringBuilder(globalDefs);
        for (int vs = 1; vs <= 3; vs++) {
            conf.append("virtual_server 192.0.2.22").append(vs).append(" 80 {\n lb_algo rr\n lb_kind NAT\n"
                    + " real_server 198.51.100.51 80 {\n  MISC_CHECK {\n   misc_path \"sh -c 'echo run >> ")
                    .append(counter).append("'\"\n   delay_loop 0.2\n   warmup 0\n  }\n }\n}\n");
        }
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, conf);
        var result = KeepalivedConfigParser.parse(file);
        assertThat(result.errors()).isEmpty();
        lb = LoadBalancer.start(result.config(), (cause, event) -> events.add(event), recording,
                new PrometheusRegistry());
        Thread.sleep(RUN_MILLIS);
        lb.stop();
        lb = null;
        return Files.readAllLines(counter).size();
    }

    @Test
    void shouldProbeARealServerListedInThreeVirtualServersOncePerPeriodWhenShared() throws Exception {
        long runs = runsIn2Seconds("");

        // 2 s at delay_loop 0.2 s: at most about 10 runs, never the 30 of three checks. A loaded machine runs fewer
        // (3 in a CI run beside other builds), so only the upper bound says the check is shared.
        assertThat(runs).isBetween(1L, 11L);
        assertThat(events).filteredOn(e -> e instanceof Event.PoolChanged).hasSize(3);
    }

    @Test
    void shouldProbeItOncePerVirtualServerWhenSharingIsOff() throws Exception {
        long runs = runsIn2Seconds("global_defs {\n lb_share_checks off\n}\n");

        assertThat(runs).isBetween(15L, 33L);
    }
}
