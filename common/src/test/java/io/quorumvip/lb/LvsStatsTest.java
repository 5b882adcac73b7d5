package io.quorumvip.lb;

import static io.quorumvip.lb.LbFixtures.real;
import static io.quorumvip.lb.LbFixtures.reals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorumvip.config.ForwardingMethod;
import io.quorumvip.config.LbScheduler;
import io.quorumvip.config.Persistence;
import io.quorumvip.config.RealServerConfig;
import io.quorumvip.config.VirtualServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The decoder on {@code nft -j list counters table} output captured from the kernel (nftables 1.0.6): the programs
 * of {@link NftProgramBuilder} applied in a scratch namespace with the counters preset, then listed.
 */
class LvsStatsTest {

    /** Captured: wrr NAT with persistence, rs1..rs3 weights 3:1:1, rs3 down (its counter stays, at 5). */
    private static final VirtualServerConfig NAT = LbFixtures.virtualServer(LbScheduler.WRR, ForwardingMethod.NAT, 1,
            0, Optional.empty(), false, Optional.of(new Persistence(Duration.ofSeconds(50), 32)), reals(3, 1, 1));
    /** Captured: mh DR, rs1 and rs2 up. */
    private static final VirtualServerConfig DR = NftProgramTest.dr(LbScheduler.MH, 1, 1);

    private static String captured(String name) throws IOException {
        try (InputStream in = LvsStatsTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldCountConnectionsOfANatVirtualServerAndOfEachConfiguredRealServer() throws Exception {
        LvsStats.ServiceStats stats = LvsStats.of(NAT, ListedCounters.parse(captured("list-counters-ip-nat.json")));

        assertThat(stats.virtualServer()).isEqualTo("192.0.2.210:80/tcp");
        assertThat(stats.service()).isEqualTo(new LvsStats.Stats(OptionalLong.of(301), OptionalLong.empty(),
                OptionalLong.empty()));
        assertThat(stats.realServer("192.0.2.51:80").conns()).hasValue(101);
        assertThat(stats.realServer("192.0.2.52:80").conns()).hasValue(201);
        assertThat(stats.realServer("192.0.2.53:80").conns()).as("down, its counts kept").hasValue(5);
    }

    @Test
    void shouldCountInboundPacketsAndBytesOfADrVirtualServerButNoConnections() throws Exception {
        LvsStats.ServiceStats stats = LvsStats.of(DR, ListedCounters.parse(captured("list-counters-netdev-dr.json")));

        assertThat(stats.service()).isEqualTo(new LvsStats.Stats(OptionalLong.empty(), OptionalLong.of(301),
                OptionalLong.of(18040)));
        assertThat(stats.realServers()).containsOnlyKeys("192.0.2.51:80", "192.0.2.52:80");
        assertThat(stats.realServer("192.0.2.52:80")).isEqualTo(new LvsStats.Stats(OptionalLong.empty(),
                OptionalLong.of(201), OptionalLong.of(12040)));
    }

    @Test
    void shouldTakeEveryNamedCounterAndNothingElse() throws Exception {
        Map<String, LvsStats.Counter> counters = ListedCounters.parse(captured("list-counters-ip-nat.json"));

        assertThat(counters).containsOnlyKeys("vs_192_0_2_210_80_tcp", "rs_192_0_2_210_80_tcp__192_0_2_51_80",
                "rs_192_0_2_210_80_tcp__192_0_2_52_80", "rs_192_0_2_210_80_tcp__192_0_2_53_80");
        assertThat(LvsStats.of(NftProgramTest.nat(LbScheduler.RR, 1), Map.of()).service())
                .isEqualTo(LvsStats.Stats.UNKNOWN);
    }

    @Test
    void shouldFindTheCounterOfEveryMemberTheBuilderProgramsIncludingTheSorryServer() {
        RealServerConfig sorry = real("192.0.2.60", 80, 1, false);
        VirtualServerConfig vs = LbFixtures.virtualServer(2, 0, Optional.of(sorry), reals(1, 1));
        ServicePlan plan = NftProgramTest.plan(vs, false, true);
        NftProgram program = NftProgramBuilder.build(List.of(plan));
        String listed = program.table("ip").orElseThrow().counters().stream()
                .map(name -> "{\"counter\":{\"family\":\"ip\",\"name\":\"" + name
                        + "\",\"table\":\"qvip_lb\",\"handle\":9,\"packets\":7,\"bytes\":420}}")
                .collect(Collectors.joining(",", "{\"nftables\":[", "]}"));

        LvsStats.ServiceStats stats = LvsStats.of(vs, ListedCounters.parse(listed));

        assertThat(plan.pool().serving()).extracting(PoolMember::endpoint).containsExactly("192.0.2.60:80");
        assertThat(stats.realServers()).containsOnlyKeys("192.0.2.51:80", "192.0.2.52:80", "192.0.2.60:80");
        assertThat(stats.realServer("192.0.2.60:80").conns()).hasValue(7);
        assertThat(stats.service().conns()).hasValue(7);
    }

    @Test
    void shouldRejectOutputThatIsNotLibnftablesJsonNamingWhatWasWrong() {
        assertThatThrownBy(() -> ListedCounters.parse("Error: syntax error"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> ListedCounters.parse("{\"rules\":[]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got '{\"rules\":[]}'");
        assertThatThrownBy(() -> ListedCounters.parse("""
                {"nftables":[{"counter":{"name":"vs_x","packets":"many","bytes":1}}]}"""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("counter vs_x").hasMessageContaining("\"many\"");
    }
}
