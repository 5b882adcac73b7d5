package io.quorumvip.agent.lb;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.quorumvip.config.KeepalivedConfigParser;
import io.quorumvip.events.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * global_defs lb_share_checks: the same real server in three virtual servers, its MISC_CHECK noting each start in a
 * file (the count is taken on the "server") and then holding until the test lets it finish. Counting the checks
 * that run at once, rather than the checks run in a time window, makes the proof independent of how fast a loaded
 * machine schedules them: one shared check can never overlap itself, three unshared ones start together at once.
 */
class CheckSharingTest {

    /** Generous: it bounds a check that never starts, it does not measure how fast one starts. */
    private static final Duration BOUND = Duration.ofSeconds(30);
    /** How long a held check gets to show a second, overlapping start that sharing must prevent. */
    private static final long OVERLAP_WINDOW_MILLIS = 1_500;

    @TempDir
    Path dir;

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private LoadBalancer lb;

    private final DataPlane recording = new NoDataPlane();

    @AfterEach
    void stop() throws IOException {
        Files.writeString(dir.resolve("release"), "");
        if (lb != null) {
            lb.stop();
        }
    }

    private void start(String globalDefs) throws Exception {
        Path counter = dir.resolve("runs");
        Files.writeString(counter, "");
        Path release = dir.resolve("release");
        // The script waits for the release file at most 60 s, so nothing outlives a test that dies.
        String script = "echo run >> " + counter + "; i=0; while [ ! -e " + release + " ] && [ $i -lt 600 ];"
                + " do sleep 0.1; i=$((i+1)); done";
        StringBuilder conf = new StringBuilder(globalDefs);
        for (int vs = 1; vs <= 3; vs++) {
            conf.append("virtual_server 192.0.2.22").append(vs).append(" 80 {\n lb_algo rr\n lb_kind NAT\n"
                    + " real_server 198.51.100.51 80 {\n  MISC_CHECK {\n   misc_path \"sh -c '").append(script)
                    .append("'\"\n   misc_timeout 90\n   delay_loop 0.2\n   warmup 0\n  }\n }\n}\n");
        }
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, conf);
        var result = KeepalivedConfigParser.parse(file);
        assertThat(result.errors()).isEmpty();
        lb = LoadBalancer.start(result.config(), (cause, event) -> events.add(event), recording,
                new PrometheusRegistry());
    }

    private long runs() {
        try {
            return Files.readAllLines(dir.resolve("runs")).size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void release() throws IOException {
        Files.writeString(dir.resolve("release"), "");
    }

    @Test
    void shouldProbeARealServerListedInThreeVirtualServersOncePerPeriodWhenShared() throws Exception {
        start("");

        awaitCondition("the shared check has started", BOUND, this::runs, n -> n >= 1);
        Thread.sleep(OVERLAP_WINDOW_MILLIS);
        assertThat(runs()).as("checks started while the first one still runs (unshared checks would be 3)")
                .isEqualTo(1);
        release();
        awaitCondition("the shared result reaches all three virtual servers", BOUND,
                () -> events.stream().filter(e -> e instanceof Event.PoolChanged).count(), n -> n >= 3);
        awaitCondition("the shared check goes on after its first result", BOUND, this::runs, n -> n >= 3);
        assertThat(events).filteredOn(e -> e instanceof Event.PoolChanged).hasSize(3);
    }

    @Test
    void shouldProbeItOncePerVirtualServerWhenSharingIsOff() throws Exception {
        start("global_defs {\n lb_share_checks off\n}\n");

        awaitCondition("one check per virtual server started, all three held at once", BOUND, this::runs,
                n -> n >= 3);
        Thread.sleep(OVERLAP_WINDOW_MILLIS);
        assertThat(runs()).as("checks started while the three first ones still run").isEqualTo(3);
    }
}
