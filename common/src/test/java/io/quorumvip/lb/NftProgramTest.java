package io.quorumvip.lb;

import static io.quorumvip.lb.LbFixtures.ip;
import static io.quorumvip.lb.LbFixtures.real;
import static io.quorumvip.lb.LbFixtures.reals;
import static io.quorumvip.lb.LbFixtures.virtualServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorumvip.config.ForwardingMethod;
import io.quorumvip.config.LbScheduler;
import io.quorumvip.config.Persistence;
import io.quorumvip.config.RealServerConfig;
import io.quorumvip.config.VirtualServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NftProgramTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final DrPath ETH0 = new DrPath("eth0", "02:00:00:00:00:11", Map.of(
            ip("192.0.2.51"), "02:00:00:00:00:51", ip("192.0.2.52"), "02:00:00:00:00:52",
            ip("192.0.2.53"), "02:00:00:00:00:53"));

    static ServicePlan plan(VirtualServerConfig vs, boolean... alive) {
        List<RealServerState> states = new ArrayList<>();
        for (int i = 0; i < vs.realServers().size(); i++) {
            states.add(RealServerState.of(vs.realServers().get(i), alive.length == 0 || alive[i]));
        }
        Pool pool = PoolFold.fold(vs, states, true).pool();
        return ServicePlan.of(vs, Map.of(), pool,
                vs.method() == ForwardingMethod.DR ? Optional.of(ETH0) : Optional.empty(), false);
    }

    static VirtualServerConfig nat(LbScheduler scheduler, int... weights) {
        return virtualServer(scheduler, ForwardingMethod.NAT, 1, 0, Optional.empty(), false, Optional.empty(),
                reals(weights));
    }

    static VirtualServerConfig dr(LbScheduler scheduler, int... weights) {
        return virtualServer(scheduler, ForwardingMethod.DR, 1, 0, Optional.empty(), false, Optional.empty(),
                reals(weights));
    }

    private static JsonNode commands(String document) throws Exception {
        return JSON.readTree(document).get("nftables");
    }

    private static List<String> rulesOf(NftProgram program, String family, String chain) {
        return program.table(family).orElseThrow().chains().stream().filter(c -> c.name().equals(chain))
                .findFirst().orElseThrow().rules();
    }

    @Test
    void shouldDispatchOnAddressProtocolAndPortOnlyWhereTheAddressIsLocal() {
        NftProgram program = NftProgramBuilder.build(List.of(plan(nat(LbScheduler.RR, 1, 1))));

        assertThat(rulesOf(program, "ip", "prerouting")).containsExactly("[{\"match\":{\"op\":\"==\",\"left\":"
                + "{\"fib\":{\"result\":\"type\",\"flags\":[\"daddr\"]}},\"right\":\"local\"}},{\"vmap\":{\"key\":"
                + "{\"concat\":[{\"payload\":{\"protocol\":\"ip\",\"field\":\"daddr\"}},{\"meta\":{\"key\":"
                + "\"l4proto\"}},{\"payload\":{\"protocol\":\"th\",\"field\":\"dport\"}}]},\"data\":\"@services4\"}}]");
        NftProgram.NamedSet services = program.table("ip").orElseThrow().sets().get(0);
        assertThat(services.elements()).extracting(JsonNode::toString).containsExactly(
                "[{\"concat\":[\"192.0.2.210\",\"tcp\",80]},{\"goto\":{\"target\":\"vs_192_0_2_210_80_tcp\"}}]");
    }

    /**
     * How many slots of the virtual server's choice map each real server owns, each slot's member mark followed
     * through the counter map to its real server's counter.
     */
    static Map<String, Long> slotShares(NftProgram program, String family) {
        NftProgram.Table table = program.table(family).orElseThrow();
        NftProgram.SlotMap map = table.slotMaps().stream()
                .filter(m -> m.name().equals("slots_192_0_2_210_80_tcp")).findFirst().orElseThrow();
        Map<Integer, String> counters = set(program, family, "ctr_192_0_2_210_80_tcp").elements().stream()
                .collect(Collectors.toMap(e -> e.get(0).asInt(), e -> e.get(1).asText()));
        return Arrays.stream(map.owners()).mapToObj(counters::get).collect(Collectors.groupingBy(
                t -> t.substring(t.lastIndexOf("__") + 2), TreeMap::new, Collectors.counting()));
    }

    static NftProgram.NamedSet set(NftProgram program, String family, String name) {
        return program.table(family).orElseThrow().sets().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow();
    }

    private static final String CHOOSE_BY_SLOT = "{\"mangle\":{\"key\":{\"meta\":{\"key\":\"mark\"}},\"value\":"
            + "{\"map\":{\"key\":{\"meta\":{\"key\":\"mark\"}},\"data\":\"@slots_192_0_2_210_80_tcp\"}}}},"
            + "{\"goto\":{\"target\":\"fwd_192_0_2_210_80_tcp\"}}]";
    private static final String COUNT_VS = "[{\"counter\":\"vs_192_0_2_210_80_tcp\"}]";
    private static final String COUNT_MEMBER = "[{\"counter\":{\"map\":{\"key\":{\"meta\":{\"key\":\"mark\"}},"
            + "\"data\":\"@ctr_192_0_2_210_80_tcp\"}}}]";
    private static final String FORWARD = "fwd_192_0_2_210_80_tcp";

    @Test
    void shouldGiveRoundRobinEqualSlotsWhateverTheWeightsAndPickThemInTurn() {
        NftProgram program = NftProgramBuilder.build(List.of(plan(nat(LbScheduler.RR, 3, 1))));

        assertThat(rulesOf(program, "ip", "vs_192_0_2_210_80_tcp")).containsExactly(COUNT_VS,
                "[{\"mangle\":{\"key\":{\"meta\":{\"key\":\"mark\"}},\"value\":{\"numgen\":{\"mode\":\"inc\","
                        + "\"mod\":251}}}}," + CHOOSE_BY_SLOT);
        assertThat(slotShares(program, "ip")).containsExactly(entry("192_0_2_51_80", 126L),
                entry("192_0_2_52_80", 125L));
    }

    @Test
    void shouldGiveWeightedRoundRobinSlotsInProportionToTheWeights() {
        NftProgram program = NftProgramBuilder.build(List.of(plan(nat(LbScheduler.WRR, 3, 1, 1))));

        assertThat(rulesOf(program, "ip", "vs_192_0_2_210_80_tcp").get(1))
                .contains("\"numgen\":{\"mode\":\"inc\",\"mod\":509}");
        Map<String, Long> shares = slotShares(program, "ip");
        assertThat(shares.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(509);
        assertThat(shares.get("192_0_2_51_80")).isBetween(302L, 308L);
        assertThat(shares.get("192_0_2_52_80")).isBetween(99L, 104L);
        assertThat(shares.get("192_0_2_53_80")).isBetween(99L, 104L);
    }

    @Test
    void shouldKeepTheSlotCountOfEveryConfiguredRealServerWhenSomeAreDown() {
        NftProgram program = NftProgramBuilder.build(List.of(plan(nat(LbScheduler.WRR, 3, 1, 1), true, false,
                false)));

        assertThat(rulesOf(program, "ip", "vs_192_0_2_210_80_tcp").get(1)).contains("\"mod\":509");
        assertThat(slotShares(program, "ip")).containsExactly(entry("192_0_2_51_80", 509L));
    }

    @Test
    void shouldDnatToTheRealServerAndPortTheMemberMarkMapsTo() {
        NftProgram program = NftProgramBuilder.build(List.of(plan(nat(LbScheduler.RR, 1, 1), true, false)));

        assertThat(rulesOf(program, "ip", FORWARD)).containsExactly(COUNT_MEMBER,
                "[{\"match\":{\"op\":\"==\",\"left\":{\"meta\":{\"key\":\"l4proto\"}},\"right\":\"tcp\"}},"
                        + "{\"dnat\":{\"family\":\"ip\",\"addr\":{\"map\":{\"key\":{\"meta\":{\"key\":\"mark\"}},"
                        + "\"data\":\"@dst_192_0_2_210_80_tcp\"}},\"port\":{\"map\":{\"key\":{\"meta\":{\"key\":"
                        + "\"mark\"}},\"data\":\"@dport_192_0_2_210_80_tcp\"}}}}]");
        assertThat(set(program, "ip", "dst_192_0_2_210_80_tcp").elements()).extracting(JsonNode::toString)
                .as("every configured real server, serving or not: a pool change leaves the map alone")
                .containsExactly("[0,\"192.0.2.51\"]", "[1,\"192.0.2.52\"]");
        assertThat(set(program, "ip", "dport_192_0_2_210_80_tcp").elements()).extracting(JsonNode::toString)
                .containsExactly("[0,80]", "[1,80]");
        assertThat(program.table("ip").orElseThrow().counters()).containsExactly("vs_192_0_2_210_80_tcp",
                "rs_192_0_2_210_80_tcp__192_0_2_51_80", "rs_192_0_2_210_80_tcp__192_0_2_52_80");
    }

    @Test
    void shouldDnatAPortlessRealServerToItsAddressAlone() {
        VirtualServerConfig vs = virtualServer(LbScheduler.RR, ForwardingMethod.NAT, 1, 0, Optional.empty(), false,
                Optional.empty(), List.of(real("192.0.2.51", 0, 1, false)));

        NftProgram program = NftProgramBuilder.build(List.of(plan(vs)));

        assertThat(rulesOf(program, "ip", FORWARD).get(1)).isEqualTo("[{\"dnat\":{\"family\":\"ip\",\"addr\":"
                + "{\"map\":{\"key\":{\"meta\":{\"key\":\"mark\"}},\"data\":\"@dst_192_0_2_210_80_tcp\"}}}}]");
    }

    @Test
    void shouldHashTheClientForShAndTheDestinationForDh() {
        String sh = rulesOf(NftProgramBuilder.build(List.of(plan(nat(LbScheduler.SH, 1, 2)))), "ip",
                "vs_192_0_2_210_80_tcp").get(1);
        String dh = rulesOf(NftProgramBuilder.build(List.of(plan(nat(LbScheduler.LBLC, 1, 2)))), "ip",
                "vs_192_0_2_210_80_tcp").get(1);

        assertThat(sh).contains("{\"jhash\":{\"mod\":251,\"seed\":" + NftProgramBuilder.HASH_SEED
                + ",\"expr\":{\"payload\":{\"protocol\":\"ip\",\"field\":\"saddr\"}}}}");
        assertThat(dh).contains("\"expr\":{\"payload\":{\"protocol\":\"ip\",\"field\":\"daddr\"}}");
    }

    @Test
    void shouldSendEverythingToTheHighestWeightForFo() {
        NftProgram program = NftProgramBuilder.build(List.of(plan(nat(LbScheduler.FO, 1, 5, 2))));

        assertThat(rulesOf(program, "ip", "vs_192_0_2_210_80_tcp").get(1)).isEqualTo("[{\"mangle\":{\"key\":"
                + "{\"meta\":{\"key\":\"mark\"}},\"value\":1}},{\"goto\":{\"target\":\"fwd_192_0_2_210_80_tcp\"}}]");
    }

    @Test
    void shouldKeepPersistenceInOneDynamicSetOfClientAndMemberWithTheTimeout() {
        VirtualServerConfig vs = virtualServer(LbScheduler.RR, ForwardingMethod.NAT, 1, 0, Optional.empty(), false,
                Optional.of(new Persistence(Duration.ofSeconds(50), 24)), reals(1, 1));

        NftProgram program = NftProgramBuilder.build(List.of(plan(vs, false, true)));

        assertThat(set(program, "ip", "aff_192_0_2_210_80_tcp").definition().toString()).isEqualTo(
                "{\"type\":[\"ipv4_addr\",\"mark\"],\"flags\":[\"timeout\"],\"timeout\":50,\"size\":1048576}");
        String client = "{\"concat\":[{\"&\":[{\"payload\":{\"protocol\":\"ip\",\"field\":\"saddr\"}},"
                + "\"255.255.255.0\"]},{\"meta\":{\"key\":\"mark\"}}]}";
        List<String> rules = rulesOf(program, "ip", "vs_192_0_2_210_80_tcp");
        assertThat(rules).as("one lookup per configured real server, then the choice").hasSize(4);
        assertThat(rules.get(2)).isEqualTo("[{\"mangle\":{\"key\":{\"meta\":{\"key\":\"mark\"}},\"value\":1}},"
                + "{\"match\":{\"op\":\"==\",\"left\":" + client + ",\"right\":\"@aff_192_0_2_210_80_tcp\"}},"
                + "{\"match\":{\"op\":\"==\",\"left\":{\"meta\":{\"key\":\"mark\"}},"
                + "\"right\":\"@serving_192_0_2_210_80_tcp\"}},{\"goto\":{\"target\":\"fwd_192_0_2_210_80_tcp\"}}]");
        assertThat(rulesOf(program, "ip", FORWARD).get(1))
                .isEqualTo("[{\"set\":{\"op\":\"update\",\"elem\":" + client + ",\"set\":\"@aff_192_0_2_210_80_tcp\"}}]");
        assertThat(set(program, "ip", "serving_192_0_2_210_80_tcp").elements()).extracting(JsonNode::asLong)
                .as("a client sticks only to a real server that serves").containsExactly(1L);
    }

    @Test
    void shouldForwardDrFromTheIngressHookRewritingBothMacs() {
        NftProgram program = NftProgramBuilder.build(List.of(plan(dr(LbScheduler.RR, 1, 1))));

        assertThat(program.tables()).extracting(NftProgram.Table::family).containsExactly("netdev");
        NftProgram.Chain ingress = program.table("netdev").orElseThrow().chains().get(0);
        assertThat(ingress.name()).isEqualTo("ingress_eth0");
        assertThat(ingress.hook().orElseThrow().toString())
                .isEqualTo("{\"type\":\"filter\",\"hook\":\"ingress\",\"dev\":\"eth0\",\"prio\":0,\"policy\":\"accept\"}");
        assertThat(rulesOf(program, "netdev", FORWARD)).containsExactly(COUNT_MEMBER,
                "[{\"mangle\":{\"key\":{\"payload\":{\"protocol\":\"ether\",\"field\":\"saddr\"}},"
                        + "\"value\":\"02:00:00:00:00:11\"}},{\"mangle\":{\"key\":{\"payload\":{\"protocol\":"
                        + "\"ether\",\"field\":\"daddr\"}},\"value\":{\"map\":{\"key\":{\"meta\":{\"key\":\"mark\"}},"
                        + "\"data\":\"@macs_192_0_2_210_80_tcp\"}}}},{\"fwd\":{\"dev\":\"eth0\"}}]");
        assertThat(set(program, "netdev", "macs_192_0_2_210_80_tcp").elements()).extracting(JsonNode::toString)
                .containsExactly("[0,\"02:00:00:00:00:51\"]", "[1,\"02:00:00:00:00:52\"]");
        assertThat(rulesOf(program, "netdev", "vs_192_0_2_210_80_tcp").get(1))
                .as("stateless forwarding hashes the flow, never numgen per packet")
                .contains("\"jhash\":{\"mod\":251").contains("\"th\",\"field\":\"sport\"").doesNotContain("numgen");
    }

    @Test
    void shouldLeaveOutADrRealServerWhoseMacIsNotKnown() {
        VirtualServerConfig vs = virtualServer(LbScheduler.RR, ForwardingMethod.DR, 1, 0, Optional.empty(), false,
                Optional.empty(), List.of(real("192.0.2.51", 80, 1, false), real("192.0.2.59", 80, 1, false)));

        NftProgram program = NftProgramBuilder.build(List.of(plan(vs)));

        assertThat(program.table("netdev").orElseThrow().chains()).extracting(NftProgram.Chain::name)
                .containsExactly("ingress_eth0", "vs_192_0_2_210_80_tcp", FORWARD);
        assertThat(set(program, "netdev", "macs_192_0_2_210_80_tcp").elements()).extracting(JsonNode::toString)
                .containsExactly("[0,\"02:00:00:00:00:51\"]");
        assertThat(slotShares(program, "netdev")).containsExactly(entry("192_0_2_51_80", 251L));
    }

    @Test
    void shouldBuildTheSameMaglevTableWhateverOrderTheRealServersAreWrittenIn() {
        List<RealServerConfig> reals = reals(1, 2, 1);
        VirtualServerConfig a = virtualServer(LbScheduler.MH, ForwardingMethod.DR, 1, 0, Optional.empty(), false,
                Optional.empty(), reals);
        VirtualServerConfig b = virtualServer(LbScheduler.MH, ForwardingMethod.DR, 1, 0, Optional.empty(), false,
                Optional.empty(), List.of(reals.get(2), reals.get(0), reals.get(1)));

        assertThat(NftProgramBuilder.build(List.of(plan(a)))).isEqualTo(NftProgramBuilder.build(List.of(plan(b))));
    }

    /** The counter map's elements as text, member mark first. */
    private static List<String> members(NftProgram program) {
        return set(program, "ip", "ctr_192_0_2_210_80_tcp").elements().stream().map(JsonNode::toString).sorted()
                .toList();
    }

    @Test
    void shouldNumberMembersByAddressWhateverTheOrderWrittenTheSorryServerAmongThem() {
        RealServerConfig sorry = real("192.0.2.50", 80, 1, false);
        List<RealServerConfig> written = List.of(real("192.0.2.52", 80, 1, false), real("192.0.2.51", 80, 1, false));
        VirtualServerConfig vs = virtualServer(1, 0, Optional.of(sorry), written);

        assertThat(members(NftProgramBuilder.build(List.of(plan(vs))))).containsExactly(
                "[0,\"rs_192_0_2_210_80_tcp__192_0_2_50_80\"]", "[1,\"rs_192_0_2_210_80_tcp__192_0_2_51_80\"]",
                "[2,\"rs_192_0_2_210_80_tcp__192_0_2_52_80\"]");
        NftProgram sorryServes = NftProgramBuilder.build(List.of(plan(vs, false, false)));
        assertThat(slotShares(sorryServes, "ip")).containsExactly(entry("192_0_2_50_80", 509L));
    }

    @Test
    void shouldGiveASorryServerThatIsAlsoARealServerOneNumber() {
        RealServerConfig sorry = real("192.0.2.51", 80, 1, false);
        VirtualServerConfig vs = virtualServer(1, 0, Optional.of(sorry), reals(1, 1));

        assertThat(members(NftProgramBuilder.build(List.of(plan(vs))))).containsExactly(
                "[0,\"rs_192_0_2_210_80_tcp__192_0_2_51_80\"]", "[1,\"rs_192_0_2_210_80_tcp__192_0_2_52_80\"]");
    }

    @Test
    void shouldSendNothingAnywhereWhenNoRealServerServes() {
        NftProgram program = NftProgramBuilder.build(List.of(plan(nat(LbScheduler.RR, 1, 1), false, false)));

        List<String> rules = rulesOf(program, "ip", "vs_192_0_2_210_80_tcp");
        assertThat(rules).hasSize(2);
        assertThat(rules.get(1)).contains("\"data\":\"@slots_192_0_2_210_80_tcp\"");
        assertThat(slotShares(program, "ip")).as("an empty map: the lookup falls through to the host").isEmpty();
    }

    @Test
    void shouldMasqueradeOnlyWhatItMarked() {
        VirtualServerConfig vs = nat(LbScheduler.RR, 1);
        ServicePlan plan = plan(vs);
        ServicePlan masquerading = new ServicePlan(vs, plan.endpoints(), plan.fwmarks(), plan.pool(), plan.dr(),
                true);

        NftProgram program = NftProgramBuilder.build(List.of(masquerading));

        assertThat(rulesOf(program, "ip", "postrouting")).containsExactly("[{\"match\":{\"op\":\"==\",\"left\":"
                + "{\"&\":[{\"meta\":{\"key\":\"mark\"}},65536]},\"right\":65536}},{\"masquerade\":null}]");
        assertThat(members(program)).as("the member marks carry the masquerade bit")
                .containsExactly("[65536,\"rs_192_0_2_210_80_tcp__192_0_2_51_80\"]");
        assertThat(program.table("ip").orElseThrow().slotMaps().get(0).owner(0)).isEqualTo(65536);
    }

    private static final String RS1 = "rs_192_0_2_210_80_tcp__192_0_2_51_80";
    private static final String RS2 = "rs_192_0_2_210_80_tcp__192_0_2_52_80";

    @Test
    void shouldMarkEachRealServersConnectionsAndCutThoseOfRealServersThatLeftThePool() {
        VirtualServerConfig vs = LbFixtures.expiringNodestConn(nat(LbScheduler.RR, 1, 1, 1));

        NftProgram program = NftProgramBuilder.build(List.of(plan(vs, true, false, true)));

        long rs1 = NftProgramBuilder.connMark(RS1);
        assertThat(rulesOf(program, "ip", FORWARD).get(1)).isEqualTo("[{\"mangle\":{\"key\":{\"ct\":{\"key\":"
                + "\"mark\"}},\"value\":{\"map\":{\"key\":{\"meta\":{\"key\":\"mark\"}},"
                + "\"data\":\"@cmark_192_0_2_210_80_tcp\"}}}}]");
        assertThat(set(program, "ip", "cmark_192_0_2_210_80_tcp").elements()).extracting(e -> e.get(1).asLong())
                .containsExactly(rs1, NftProgramBuilder.connMark(RS2), NftProgramBuilder.connMark(
                        "rs_192_0_2_210_80_tcp__192_0_2_53_80"));
        NftProgram.NamedSet nodest = program.table("ip").orElseThrow().sets().stream()
                .filter(s -> s.name().equals("nodest")).findFirst().orElseThrow();
        assertThat(nodest.definition().toString()).isEqualTo("{\"type\":\"mark\"}");
        assertThat(nodest.elements()).extracting(JsonNode::asLong)
                .containsExactly(NftProgramBuilder.connMark(RS2));
        NftProgram.Chain forward = program.table("ip").orElseThrow().chains().stream()
                .filter(c -> c.name().equals("forward")).findFirst().orElseThrow();
        assertThat(forward.hook().orElseThrow().toString())
                .isEqualTo("{\"type\":\"filter\",\"hook\":\"forward\",\"prio\":0,\"policy\":\"accept\"}");
        assertThat(rulesOf(program, "ip", "forward")).containsExactly("[{\"match\":{\"op\":\"==\",\"left\":"
                + "{\"meta\":{\"key\":\"l4proto\"}},\"right\":\"tcp\"}},{\"match\":{\"op\":\"==\",\"left\":"
                + "{\"ct\":{\"key\":\"mark\"}},\"right\":\"@nodest\"}},{\"counter\":null},"
                + "{\"reject\":{\"type\":\"tcp reset\"}}]", "[{\"match\":{\"op\":\"==\",\"left\":"
                + "{\"ct\":{\"key\":\"mark\"}},\"right\":\"@nodest\"}},{\"counter\":null},{\"drop\":null}]");
    }

    @Test
    void shouldLeaveConntrackMarksAndForwardingAloneWithoutExpireNodestConn() {
        NftProgram program = NftProgramBuilder.build(List.of(plan(nat(LbScheduler.RR, 1, 1, 1), true, false,
                true)));

        NftProgram.Table ip = program.table("ip").orElseThrow();
        assertThat(ip.chains()).extracting(NftProgram.Chain::name).doesNotContain("forward");
        assertThat(ip.sets()).extracting(NftProgram.NamedSet::name).doesNotContain("nodest");
        assertThat(String.join("", rulesOf(program, "ip", FORWARD))).doesNotContain("\"ct\"");
    }

    @Test
    void shouldKeepTheFlowsOfAnInhibitedRealServerAsIpvsKeepsAWeightZeroDestination() {
        VirtualServerConfig vs = LbFixtures.expiringNodestConn(virtualServer(LbScheduler.RR, ForwardingMethod.NAT,
                1, 0, Optional.empty(), false, Optional.empty(), List.of(real("192.0.2.51", 80, 1, false),
                        real("192.0.2.52", 80, 1, true))));

        NftProgram program = NftProgramBuilder.build(List.of(plan(vs, true, false)));

        assertThat(program.table("ip").orElseThrow().sets().stream().filter(s -> s.name().equals("nodest"))
                .findFirst().orElseThrow().elements()).isEmpty();
    }

    @Test
    void shouldCutTheSorryServersFlowsOnceQuorumIsBack() {
        VirtualServerConfig vs = LbFixtures.expiringNodestConn(virtualServer(LbScheduler.RR, ForwardingMethod.NAT,
                1, 0, Optional.of(real("192.0.2.60", 80, 1, false)), false, Optional.empty(), reals(1)));

        NftProgram program = NftProgramBuilder.build(List.of(plan(vs, true)));

        assertThat(program.table("ip").orElseThrow().sets().stream().filter(s -> s.name().equals("nodest"))
                .findFirst().orElseThrow().elements()).extracting(JsonNode::asLong)
                .containsExactly(NftProgramBuilder.connMark("rs_192_0_2_210_80_tcp__192_0_2_60_80"));
    }

    @Test
    void shouldGiveEveryRealServerItsOwnNonZeroConntrackMark() {
        VirtualServerConfig vs = LbFixtures.expiringNodestConn(virtualServer(LbScheduler.RR, ForwardingMethod.NAT,
                1, 0, Optional.empty(), false, Optional.empty(), IntStream.range(0, 600)
                        .mapToObj(i -> real("198.51.100." + (i % 250 + 1), 1000 + i, 1, false)).toList()));
        boolean[] alive = new boolean[600];

        NftProgram program = NftProgramBuilder.build(List.of(plan(vs, alive)));

        List<Long> marks = program.table("ip").orElseThrow().sets().stream().filter(s -> s.name().equals("nodest"))
                .findFirst().orElseThrow().elements().stream().map(JsonNode::asLong).toList();
        assertThat(marks).hasSize(600).doesNotHaveDuplicates().doesNotContain(0L);
    }

    @Test
    void shouldNeedNoStateForExpireNodestConnWithDr() {
        VirtualServerConfig vs = LbFixtures.expiringNodestConn(dr(LbScheduler.MH, 1, 1));

        NftProgram program = NftProgramBuilder.build(List.of(plan(vs, true, false)));

        assertThat(program.tables()).extracting(NftProgram.Table::family).containsExactly("netdev");
    }

    @Test
    void shouldRefuseDrWithoutAPath() {
        VirtualServerConfig vs = dr(LbScheduler.RR, 1);
        ServicePlan plan = new ServicePlan(vs, plan(vs).endpoints(), List.of(), plan(vs).pool(), Optional.empty(),
                false);

        assertThatThrownBy(() -> NftProgramBuilder.build(List.of(plan)))
                .hasMessageContaining("forwards with DR but no interface");
    }

    @Test
    void shouldClearEveryOwnedFamilyBeforeAFullBuild() throws Exception {
        JsonNode commands = commands(NftProgramBuilder.build(List.of(plan(nat(LbScheduler.RR, 1)))).fullTransaction());

        assertThat(commands.get(0).toString()).isEqualTo("{\"add\":{\"table\":{\"family\":\"ip\",\"name\":\"qvip_lb\"}}}");
        assertThat(commands.get(1).toString())
                .isEqualTo("{\"delete\":{\"table\":{\"family\":\"ip\",\"name\":\"qvip_lb\"}}}");
        assertThat(commands.get(5).toString())
                .isEqualTo("{\"delete\":{\"table\":{\"family\":\"netdev\",\"name\":\"qvip_lb\"}}}");
        assertThat(commands.get(6).toString()).isEqualTo("{\"add\":{\"table\":{\"family\":\"ip\",\"name\":\"qvip_lb\"}}}");
    }
}
