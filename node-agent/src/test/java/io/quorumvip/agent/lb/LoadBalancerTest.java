package io.quorumvip.agent.lb;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.quorumvip.agent.nft.NftablesException;
import io.quorumvip.config.KeepalivedConfig;
import io.quorumvip.config.KeepalivedConfigParser;
import io.quorumvip.events.Cause;
import io.quorumvip.events.Event;
import io.quorumvip.lb.LvsStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load balancer end to end without a network: MISC_CHECK scripts that test for a file stand in for real
 * servers, a recording data plane stands in for the kernel, and the journal is a list.
 */
class LoadBalancerTest {

    @TempDir
    Path dir;

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<String> applied = new CopyOnWriteArrayList<>();
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private volatile Map<String, LvsStats.Counter> listed = Map.of();
    private volatile IOException unreadable;
    private LoadBalancer lb;

    private final DataPlane recording = new DataPlane() {
        @Override
        public void apply(String document) {
            applied.add(document);
        }

        @Override
        public Map<String, LvsStats.Counter> counters(String family) throws IOException {
            if (unreadable != null) {
                throw unreadable;
            }
            return listed;
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

    private LoadBalancer start(KeepalivedConfig config, DataPlane dataPlane) throws NftablesException {
        return LoadBalancer.start(config, (cause, event) -> events.add(event), dataPlane, registry);
    }

    private KeepalivedConfig config(String extra) throws Exception {
        return config(extra, 2);
    }

    /** The virtual server with real servers rs1 (weight 3) to rs{@code reals} (weight 1). */
    private KeepalivedConfig config(String extra, int reals) throws Exception {
        Path file = dir.resolve("keepalived.conf");
        String real = """
                    real_server 198.51.100.%d 80 {
                        weight %d
                        MISC_CHECK {
                            misc_path "test -f %s/rs%d.up"
                            misc_timeout 2
                            retry 1
                            delay_before_retry 0.05
                            delay_loop 0.1
                            warmup 0
                        }
                    }
                """;
        Files.writeString(file, "virtual_server 192.0.2.220 80 {\n lb_algo wrr\n lb_kind NAT\n quorum 2\n"
                + " sorry_server 198.51.100.60 80\n" + extra
                + real.formatted(51, 3, dir, 1) + real.formatted(52, 1, dir, 2)
                + (reals > 2 ? real.formatted(53, 1, dir, 3) : "") + "}\n");
        var result = KeepalivedConfigParser.parse(file);
        assertThat(result.errors()).isEmpty();
        return result.config();
    }

    private void up(int rs, boolean up) throws Exception {
        Path flag = dir.resolve("rs" + rs + ".up");
        if (up) {
            Files.writeString(flag, "");
        } else {
            Files.deleteIfExists(flag);
        }
    }

    private void awaitEvent(Predicate<Event> what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (events.stream().anyMatch(what)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no such event within 10 s; events: " + events);
    }

    /** Past the first results, which decide at once (keepalived: "one failure is enough initially"). */
    private void awaitFirstChecks() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            var status = lb.status().toCompletionStage().toCompletableFuture().join();
            if (status.get(0).realServers().stream().allMatch(r -> r.lastCheckEpochMillis() > 0)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the first checks did not run within 10 s");
    }

    @Test
    void shouldShowARealServerInThePoolUntilTheTransactionTakingItOutIsApplied() throws Exception {
        up(1, true);
        up(2, true);
        AtomicBoolean holdReads = new AtomicBoolean();
        CountDownLatch readHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        DataPlane held = new DataPlane() {
            @Override
            public void apply(String document) {
                applied.add(document);
            }

            @Override
            public Map<String, LvsStats.Counter> counters(String family) {
                if (holdReads.getAndSet(false)) {
                    readHeld.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return listed;
            }

            @Override
            public void close() {
            }
        };
        lb = start(config(""), held);
        try {
            awaitStatusWhileATransactionIsQueued(holdReads, readHeld, release);
        } finally {
            release.countDown();
        }
    }

    private void awaitStatusWhileATransactionIsQueued(AtomicBoolean holdReads, CountDownLatch readHeld,
            CountDownLatch release) throws Exception {
        awaitFirstChecks();

        // A status read holds the applier, so the transaction that takes rs2 out queues behind it.
        holdReads.set(true);
        var whileQueued = lb.status().toCompletionStage().toCompletableFuture();
        assertThat(readHeld.await(10, TimeUnit.SECONDS)).as("the status read reached the applier").isTrue();
        up(2, false);
        awaitEvent(e -> e instanceof Event.RealServerDown d && d.realServer().endsWith(".52:80"));
        release.countDown();

        var rs2 = whileQueued.get(10, TimeUnit.SECONDS).get(0).realServers().get(1);
        assertThat(rs2.state()).isEqualTo("down");
        assertThat(rs2.inPool()).as("in_pool while nftables still sends it new connections").isTrue();
        awaitCondition("rs2 out of the pool once the transaction is applied", Duration.ofSeconds(10),
                () -> realServer(2), r -> !r.inPool());
    }

    private VirtualServerStatus.RealServerStatus realServer(int rs) {
        return lb.status().toCompletionStage().toCompletableFuture().join().get(0).realServers().get(rs - 1);
    }

    @Test
    void shouldTakeAFailedRealServerOutWithItsEvidenceAndBringItBack() throws Exception {
        up(1, true);
        up(2, true);
        lb = start(config(""), recording);
        assertThat(applied.get(0)).contains("\"delete\":{\"table\":{\"family\":\"netdev\",\"name\":\"qvip_lb\"}}");
        assertThat(events.get(0)).isInstanceOf(Event.PoolChanged.class);
        awaitFirstChecks();

        up(2, false);
        awaitEvent(e -> e instanceof Event.PoolChanged p && p.generation() > 1);

        Event.RealServerDown down = (Event.RealServerDown) events.stream()
                .filter(e -> e instanceof Event.RealServerDown).findFirst().orElseThrow();
        assertThat(down.realServer()).isEqualTo("198.51.100.52:80");
        assertThat(down.evidence().checker()).isEqualTo("MISC_CHECK");
        assertThat(down.evidence().exitCode()).isEqualTo(1);
        assertThat(down.evidence().consecutive()).as("retry 1: the second failure in a row").isEqualTo(2);
        Event.PoolChanged pool = (Event.PoolChanged) events.stream()
                .filter(e -> e instanceof Event.PoolChanged p && p.generation() > 1).findFirst().orElseThrow();
        assertThat(pool.members()).extracting(Event.PoolMemberEntry::endpoint).containsExactly("198.51.100.51:80");
        assertThat(applied.get(applied.size() - 1)).as("a diff of the slot map, no chain rewritten")
                .contains("\"delete\":{\"element\"").doesNotContain("\"flush\"")
                .doesNotContain("\"delete\":{\"table\"");

        up(2, true);
        awaitEvent(e -> e instanceof Event.RealServerUp);
        awaitEvent(e -> e instanceof Event.PoolChanged p && p.members().size() == 2 && p.generation() > 2);
        var status = lb.status().toCompletionStage().toCompletableFuture().join();
        assertThat(status.get(0).realServers()).extracting(VirtualServerStatus.RealServerStatus::state)
                .containsExactly("up", "up");
    }

    @Test
    void shouldKeepTheHealthOfTheRealServersThatStayWhenAReloadChangesThePool() throws Exception {
        up(1, true);
        up(3, true);
        lb = start(config(""), recording);
        awaitEvent(e -> e instanceof Event.PoolChanged p && p.generation() > 1);
        int appliedBefore = applied.size();
        int eventsBefore = events.size();

        KeepalivedConfig next = config("", 3);
        lb.apply(lb.prepare(next), Cause.NONE);
        awaitEvent(e -> e instanceof Event.PoolChanged p && p.members().size() == 2
                && p.members().get(1).endpoint().equals("198.51.100.53:80"));

        var status = lb.status().toCompletionStage().toCompletableFuture().join();
        assertThat(status.get(0).realServers()).extracting(VirtualServerStatus.RealServerStatus::state)
                .as("rs2's DOWN verdict carried over, not reset to the initial UP").containsExactly("up", "down", "up");
        List<Event> sinceReload = events.subList(eventsBefore, events.size());
        assertThat(sinceReload).noneMatch(e -> e instanceof Event.RealServerUp u
                && u.realServer().equals("198.51.100.52:80"));
        assertThat(sinceReload).filteredOn(Event.PoolChanged.class::isInstance).allMatch(e -> ((Event.PoolChanged) e)
                .members().stream().noneMatch(m -> m.endpoint().equals("198.51.100.52:80")));
        assertThat(applied.subList(appliedBefore, applied.size())).as("one transaction, a diff of the table")
                .hasSize(1).allMatch(document -> !document.contains("\"delete\":{\"table\""));
    }

    @Test
    void shouldHandTheVirtualServerToTheSorryServerWhenQuorumIsLost() throws Exception {
        up(1, true);
        up(2, true);
        lb = start(config(""), recording);
        awaitFirstChecks();

        up(1, false);
        up(2, false);
        awaitEvent(e -> e instanceof Event.SorryServerIn);

        assertThat(events).anyMatch(e -> e instanceof Event.VirtualServerQuorumLost);
        awaitEvent(e -> e instanceof Event.PoolChanged p && p.members().size() == 1 && p.members().get(0).sorry());
    }

    @Test
    void shouldLeaveNothingAppliedWhenNftablesRefusesTheProgramAtStart() throws Exception {
        DataPlane refusing = new DataPlane() {
            @Override
            public void apply(String document) throws NftablesException {
                throw new NftablesException("table refused", "Error: Operation not permitted");
            }

            @Override
            public Map<String, LvsStats.Counter> counters(String family) throws IOException {
                throw new IOException("NFT_MSG_GETOBJ refused: Operation not permitted");
            }

            @Override
            public void close() {
            }
        };

        assertThatThrownBy(() -> start(config(""), refusing))
                .isInstanceOf(NftablesException.class).hasMessageContaining("table refused");
        assertThat(events).isEmpty();
    }

    /** The message start() refuses a one-real-server config with, checking nothing was applied. */
    private String refusal(String checkerBlock) throws Exception {
        Path file = dir.resolve("refused.conf");
        Files.writeString(file, "virtual_server 192.0.2.220 80 {\n lb_algo rr\n real_server 198.51.100.51 80 {\n"
                + checkerBlock + " }\n}\n");
        KeepalivedConfig config = KeepalivedConfigParser.parse(file).config();
        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> start(config, recording));
        assertThat(refused).isInstanceOf(IllegalArgumentException.class);
        assertThat(applied).isEmpty();
        return refused.getMessage().replace(file.toString(), "FILE");
    }

    @Test
    void shouldRefuseCheckerBindingsItDoesNotApplyRatherThanIgnoreThem() throws Exception {
        assertThat(refusal("  TCP_CHECK {\n   bind_port 4000\n  }\n")).startsWith("FILE:4:3: bind_port, bind_if "
                + "and fwmark of a TCP_CHECK are read but not applied yet");
    }

    @Test
    void shouldRefuseDrOverIpv6WhoseMacsItCannotReadYet() throws Exception {
        Path file = dir.resolve("dr6.conf");
        Files.writeString(file, "vrrp_instance v6 {\n interface eth0\n virtual_router_id 9\n virtual_ipaddress {\n"
                + "  2001:db8::210\n }\n}\nvirtual_server 2001:db8::210 80 {\n lb_algo rr\n lb_kind DR\n}\n");
        KeepalivedConfig config = KeepalivedConfigParser.parse(file).config();

        assertThatThrownBy(() -> start(config, recording)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lb_kind DR over IPv6");
        assertThat(applied).isEmpty();
    }

    @Test
    void shouldCountEveryStartedProbeInTheLatenessHistogramAndNoneAsQueuedBelowTheBound() throws Exception {
        up(1, true);
        up(2, true);
        lb = start(config(""), recording);
        awaitFirstChecks();

        HistogramSnapshot.HistogramDataPointSnapshot lateness = registry.scrape().stream()
                .filter(m -> m.getMetadata().getName().equals("qvip_lb_probe_start_lateness_seconds"))
                .map(m -> (HistogramSnapshot.HistogramDataPointSnapshot) m.getDataPoints().get(0))
                .findFirst().orElseThrow();
        assertThat(lateness.getCount()).as("both real servers' first probes").isGreaterThanOrEqualTo(2);
        assertThat(lateness.getClassicBuckets().getUpperBound(0)).isEqualTo(0.001);
        assertThat(registry.scrape().stream().filter(m -> m.getMetadata().getName().equals("qvip_lb_probes_queued"))
                .map(m -> ((CounterSnapshot.CounterDataPointSnapshot) m.getDataPoints().get(0)).getValue()))
                .containsExactly(0.0);
    }

    @Test
    void shouldShowTheNamedCountersAsConnectionsOfANatVirtualServerInStatusAndMetrics() throws Exception {
        up(1, true);
        up(2, true);
        lb = start(config(""), recording);
        listed = Map.of("rs_192_0_2_220_80_tcp__198_51_100_51_80", new LvsStats.Counter(30, 1800),
                "vs_192_0_2_220_80_tcp", new LvsStats.Counter(40, 2400));

        var status = lb.status().toCompletionStage().toCompletableFuture().join().get(0);

        assertThat(status.stats()).isEqualTo(new VirtualServerStatus.Stats(40L, null, null, null, null));
        assertThat(status.statsError()).isEmpty();
        assertThat(status.realServers()).extracting(VirtualServerStatus.RealServerStatus::stats).containsExactly(
                new VirtualServerStatus.Stats(30L, null, null, null, null), VirtualServerStatus.Stats.UNKNOWN);
        assertThat(registry.scrape().stream().filter(m -> m.getMetadata().getName()
                .equals("qvip_lb_real_server_connections")).flatMap(m -> m.getDataPoints().stream())
                .map(p -> p.getLabels().get("real_server") + "=" + ((CounterSnapshot.CounterDataPointSnapshot) p)
                        .getValue()).toList()).containsExactly("198.51.100.51:80=30.0");

        lb.stop();
        lb = null;

        assertThat(registry.scrape().stream().map(m -> m.getMetadata().getName()))
                .as("no kernel reads once stopped").doesNotContain("qvip_lb_real_server_connections");
    }

    @Test
    void shouldSayWhyTheCountersAreMissingWhenTheTableCannotBeListed() throws Exception {
        up(1, true);
        up(2, true);
        lb = start(config(""), recording);
        unreadable = new IOException("NFT_MSG_GETOBJ counters of table ip qvip_lb failed: No such file or directory");

        var status = lb.status().toCompletionStage().toCompletableFuture().join().get(0);

        assertThat(status.stats()).isEqualTo(VirtualServerStatus.Stats.UNKNOWN);
        assertThat(status.statsError()).isEqualTo("cannot read the counters of table ip qvip_lb: NFT_MSG_GETOBJ"
                + " counters of table ip qvip_lb failed: No such file or directory");
        assertThat(registry.scrape().stream().map(m -> m.getMetadata().getName()))
                .doesNotContain("qvip_lb_real_server_connections");
    }

    @Test
    void shouldHoldTheChecksWithHaSuspendWhileTheVirtualAddressIsNotHere() throws Exception {
        up(1, true);
        up(2, true);
        lb = start(config(" ha_suspend\n"), recording);
        // Suspended once the first probe came due (warmup 0): await it, as a loaded machine may be late; then
        // five more delay_loops in which a check that ignored ha_suspend would have run.
        awaitCondition("the virtual server is suspended", Duration.ofSeconds(10),
                () -> lb.status().toCompletionStage().toCompletableFuture().join().get(0).suspended(), s -> s);
        Thread.sleep(500);

        var status = lb.status().toCompletionStage().toCompletableFuture().join().get(0);

        assertThat(status.suspended()).isTrue();
        assertThat(status.realServers()).allSatisfy(r -> assertThat(r.lastCheckEpochMillis()).isZero());
    }

    @Test
    void shouldRunQuorumDownAndNotifyDownOnAStopWithOmega() throws Exception {
        up(1, true);
        up(2, true);
        lb = start(config(" omega\n quorum_down \"touch " + dir + "/quorum-down\"\n"), recording);
        awaitFirstChecks();

        lb.stop();
        lb = null;

        assertThat(dir.resolve("quorum-down")).exists();
    }

    @Test
    void shouldRemoveItsTablesOnAStop() throws Exception {
        up(1, true);
        up(2, true);
        lb = start(config(""), recording);

        lb.stop();
        lb = null;

        assertThat(applied.get(applied.size() - 1)).isEqualTo(io.quorumvip.lb.NftProgram.removeAll());
    }
}
