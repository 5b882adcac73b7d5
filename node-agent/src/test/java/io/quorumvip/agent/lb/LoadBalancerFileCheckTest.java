package io.quorumvip.agent.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.quorumvip.agent.nft.NftablesException;
import io.quorumvip.config.KeepalivedConfig;
import io.quorumvip.config.KeepalivedConfigParser;
import io.quorumvip.events.Cause;
import io.quorumvip.events.Event;
import io.quorumvip.lb.LvsStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FILE_CHECK end to end without a network or root: files in a temporary directory are the track_files, a recording
 * data plane stands in for the kernel, and the journal is a list of (cause, event).
 */
class LoadBalancerFileCheckTest {

    private record Journaled(Cause cause, Event event) {
    }

    @TempDir
    Path dir;

    private final List<Journaled> journal = new CopyOnWriteArrayList<>();
    private final List<String> applied = new CopyOnWriteArrayList<>();
    private LoadBalancer lb;

    private final DataPlane recording = new DataPlane() {
        @Override
        public void apply(String document) {
            applied.add(document);
        }

        @Override
        public Map<String, LvsStats.Counter> counters(String family) {
            return Map.of();
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

    /**
     * rs1 (weight 10) moves by 5 per unit its file holds; rs2 (weight 3) follows a weight-0 track_file, so any value
     * but 0 takes it out.
     */
    private LoadBalancer start() throws Exception {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, """
                track_file rs1_weight {
                    file %1$s/rs1.weight
                }
                track_file rs2_drain {
                    file %1$s/rs2.drain
                    weight 0
                }
                virtual_server 192.0.2.220 80 {
                    lb_algo wrr
                    lb_kind NAT
                    real_server 198.51.100.51 80 {
                        weight 10
                        FILE_CHECK {
                            track_file rs1_weight
                            weight 5
                        }
                    }
                    real_server 198.51.100.52 80 {
                        weight 3
                        FILE_CHECK {
                            track_file rs2_drain
                        }
                    }
                }
                """.formatted(dir));
        var result = KeepalivedConfigParser.parse(file);
        assertThat(result.errors()).isEmpty();
        KeepalivedConfig config = result.config();
        return LoadBalancer.start(config, (cause, event) -> journal.add(new Journaled(cause, event)),
                recording, new PrometheusRegistry());
    }

    private void write(String name, String text) throws Exception {
        Path tmp = dir.resolve(name + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, dir.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private Journaled await(Predicate<Journaled> what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            var found = journal.stream().filter(what).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no such record within 10 s; journal: " + journal);
    }

    private static Map<String, Integer> weights(Event.PoolChanged pool) {
        return pool.members().stream().collect(Collectors.toMap(Event.PoolMemberEntry::endpoint,
                Event.PoolMemberEntry::weight));
    }

    private static Predicate<Journaled> pool(Predicate<Event.PoolChanged> what) {
        return j -> j.event() instanceof Event.PoolChanged p && what.test(p);
    }

    @Test
    void shouldMoveTheRealServersWeightByValueTimesWeightAndJournalTheValueRead() throws Exception {
        write("rs1.weight", "0\n");
        lb = start();
        Event.PoolChanged first = (Event.PoolChanged) journal.get(0).event();
        assertThat(weights(first)).containsExactlyInAnyOrderEntriesOf(Map.of("198.51.100.51:80", 10,
                "198.51.100.52:80", 3));

        write("rs1.weight", "2\n");
        Journaled raised = await(pool(p -> weights(p).get("198.51.100.51:80") == 20));

        assertThat(raised.cause().subject()).contains("FILE_CHECK 198.51.100.51:80").contains("rs1.weight) reads 2")
                .contains("= +10 to the weight");
        assertThat(raised.cause().value()).as("the new weight").isEqualTo(20);
        assertThat(applied.get(applied.size() - 1))
                .as("wrr 20:3 after 10:3: slots move to rs1 (member 0), no chain or other map is rewritten")
                .contains("\"add\":{\"element\":{\"family\":\"ip\",\"table\":\"qvip_lb\","
                        + "\"name\":\"slots_192_0_2_220_80_tcp\"")
                .containsPattern("\\[\\d+,0\\]")
                .doesNotContain("\"flush\"").doesNotContain("dst_");

        write("rs1.weight", "-3\n");
        Journaled lowered = await(pool(p -> weights(p).get("198.51.100.51:80") == 0));
        assertThat(lowered.cause().subject()).contains("reads -3").contains("= -15");
        var status = lb.status().toCompletionStage().toCompletableFuture().join().get(0).realServers();
        assertThat(status.get(0).weight()).as("10 − 15, clamped at 0").isZero();
        assertThat(status.get(0).state()).as("a weight is not a fault").isEqualTo("up");
    }

    @Test
    void shouldTakeTheRealServerOutWhileAWeightZeroFileIsNotZeroWithTheValueAsEvidence() throws Exception {
        lb = start();

        write("rs2.drain", "1\n");
        Journaled down = await(j -> j.event() instanceof Event.RealServerDown);
        Event.RealServerDown event = (Event.RealServerDown) down.event();
        assertThat(event.realServer()).isEqualTo("198.51.100.52:80");
        assertThat(event.evidence().checker()).isEqualTo("FILE_CHECK");
        assertThat(event.evidence().detail()).contains("rs2.drain) reads 1")
                .contains("not 0 with weight 0 means down");
        assertThat(event.evidence().consecutive()).as("no retry: the first read decides").isEqualTo(1);
        await(pool(p -> weights(p).keySet().equals(java.util.Set.of("198.51.100.51:80"))));

        Files.delete(dir.resolve("rs2.drain"));
        Journaled up = await(j -> j.event() instanceof Event.RealServerUp);
        assertThat(((Event.RealServerUp) up.event()).evidence().detail()).contains("is missing, so reads 0");
        await(pool(p -> p.members().size() == 2 && p.generation() > 2));
    }

    @Test
    void shouldLeaveARealServerWhoseFileSaysDownOutOfTheFirstPool() throws Exception {
        write("rs2.drain", "7\n");

        lb = start();

        assertThat(journal.get(0).event()).as("read before the first pool, as keepalived does")
                .isInstanceOfSatisfying(Event.RealServerDown.class,
                        e -> assertThat(e.evidence().detail()).contains("reads 7"));
        Event.PoolChanged first = (Event.PoolChanged) journal.get(1).event();
        assertThat(weights(first)).containsOnlyKeys("198.51.100.51:80");
        assertThat(journal.get(1).cause().subject()).contains("FILE_CHECK 198.51.100.52:80");
    }
}
