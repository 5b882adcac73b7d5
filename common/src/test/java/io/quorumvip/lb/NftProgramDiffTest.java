package io.quorumvip.lb;

import static io.quorumvip.lb.NftProgramTest.nat;
import static io.quorumvip.lb.NftProgramTest.plan;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorumvip.config.ForwardingMethod;
import io.quorumvip.config.LbScheduler;
import io.quorumvip.config.Persistence;
import io.quorumvip.config.VirtualServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NftProgramDiffTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> commands(Optional<String> document) throws Exception {
        List<String> lines = new ArrayList<>();
        for (JsonNode command : JSON.readTree(document.orElseThrow()).get("nftables")) {
            String verb = command.fieldNames().next();
            JsonNode object = command.get(verb);
            String kind = object.fieldNames().next();
            JsonNode body = object.get(kind);
            String name = body.has("chain") ? body.get("chain").asText() : body.get("name").asText();
            lines.add(verb + " " + kind + " " + name);
        }
        return lines;
    }

    private static final String SLOTS = "slots_192_0_2_210_80_tcp";
    private static final String COUNTERS = "ctr_192_0_2_210_80_tcp";

    @Test
    void shouldSayNothingWhenNothingChanged() {
        NftProgram program = NftProgramBuilder.build(List.of(plan(nat(LbScheduler.WRR, 3, 1, 1))));

        assertThat(NftProgram.diff(program, program)).isEmpty();
    }

    @Test
    void shouldMoveOnlyTheLeavingRealServersSlots() throws Exception {
        VirtualServerConfig vs = nat(LbScheduler.WRR, 3, 1, 1);
        NftProgram before = NftProgramBuilder.build(List.of(plan(vs, true, true, true)));
        NftProgram after = NftProgramBuilder.build(List.of(plan(vs, true, false, true)));

        Optional<String> diff = NftProgram.diff(before, after);

        assertThat(commands(diff)).as("no chain, counter or other map: only the slot map's elements").containsExactly(
                "delete element slots_192_0_2_210_80_tcp",
                "add element slots_192_0_2_210_80_tcp");
        List<JsonNode> moved = elements(diff, "add", SLOTS);
        assertThat(elements(diff, "delete", SLOTS)).as("the same slots are deleted as are added")
                .isEqualTo(moved.stream().map(e -> e.get(0)).toList());
        assertThat(moved).as("rs2's slots (about a fifth of 509), and no other; rs2 is member 1")
                .hasSizeBetween(95, 130)
                .allMatch(e -> e.get(1).asInt() != 1);
    }

    @Test
    void shouldGiveTheReturningRealServerItsSlotsBack() throws Exception {
        VirtualServerConfig vs = nat(LbScheduler.WRR, 3, 1, 1);
        NftProgram before = NftProgramBuilder.build(List.of(plan(vs, true, false, true)));
        NftProgram after = NftProgramBuilder.build(List.of(plan(vs, true, true, true)));

        Optional<String> diff = NftProgram.diff(before, after);

        assertThat(commands(diff)).containsExactly(
                "delete element slots_192_0_2_210_80_tcp",
                "add element slots_192_0_2_210_80_tcp");
        List<JsonNode> added = elements(diff, "add", SLOTS);
        assertThat(added.stream().filter(e -> e.get(1).asInt() == 1).count())
                .as("every slot of rs2").isEqualTo(NftProgramTest.slotShares(after, "ip").get("192_0_2_52_80"));
        assertThat(added.stream().filter(e -> e.get(1).asInt() != 1).count())
                .as("Maglev moves few others").isLessThan(20);
    }

    @Test
    void shouldTouchOnlyTheChangedVirtualServer() throws Exception {
        VirtualServerConfig a = nat(LbScheduler.MH, 1, 1, 1);
        VirtualServerConfig b = otherVirtualServer(LbFixtures.virtualServer(LbScheduler.MH, ForwardingMethod.NAT, 1,
                0, Optional.empty(), false, Optional.empty(), LbFixtures.reals(1, 1, 1)));
        NftProgram before = NftProgramBuilder.build(List.of(plan(a), plan(b, true, true, true)));
        NftProgram after = NftProgramBuilder.build(List.of(plan(a), plan(b, true, true, false)));

        assertThat(String.join("\n", commands(NftProgram.diff(before, after))))
                .doesNotContain("192_0_2_210").contains("slots_192_0_2_211_443_tcp");
    }

    @Test
    void shouldCutALeavingRealServersFlowsInTheTransactionThatTakesItOut() throws Exception {
        VirtualServerConfig vs = LbFixtures.expiringNodestConn(nat(LbScheduler.WRR, 3, 1, 1));
        NftProgram before = NftProgramBuilder.build(List.of(plan(vs, true, true, true)));
        NftProgram after = NftProgramBuilder.build(List.of(plan(vs, true, false, true)));

        Optional<String> diff = NftProgram.diff(before, after);

        assertThat(commands(diff)).containsExactly(
                "add element nodest",
                "delete element slots_192_0_2_210_80_tcp",
                "add element slots_192_0_2_210_80_tcp");
        assertThat(elements(diff, "add").get(0).asLong())
                .isEqualTo(NftProgramBuilder.connMark("rs_192_0_2_210_80_tcp__192_0_2_52_80"));
    }

    @Test
    void shouldTakeAReturningRealServerOutOfTheCutSetInTheTransactionThatBringsItBack() throws Exception {
        VirtualServerConfig vs = LbFixtures.expiringNodestConn(nat(LbScheduler.WRR, 3, 1, 1));
        NftProgram before = NftProgramBuilder.build(List.of(plan(vs, true, false, true)));
        NftProgram after = NftProgramBuilder.build(List.of(plan(vs, true, true, true)));

        Optional<String> diff = NftProgram.diff(before, after);

        assertThat(commands(diff)).containsExactly(
                "delete element nodest",
                "delete element slots_192_0_2_210_80_tcp",
                "add element slots_192_0_2_210_80_tcp");
        assertThat(elements(diff, "delete").get(0).asLong())
                .isEqualTo(NftProgramBuilder.connMark("rs_192_0_2_210_80_tcp__192_0_2_52_80"));
    }

    @Test
    void shouldMoveOnlySlotsWhenOnlyAWeightChanged() throws Exception {
        VirtualServerConfig vs = nat(LbScheduler.WRR, 3, 1, 1);
        NftProgramBuilder.Built before = NftProgramBuilder.Built.NONE.next(List.of(plan(vs)));
        List<RealServerState> states = List.of(RealServerState.of(vs.realServers().get(0), true),
                new RealServerState(vs.realServers().get(1), true, 4),
                RealServerState.of(vs.realServers().get(2), true));
        ServicePlan reweighted = ServicePlan.of(vs, Map.of(), PoolFold.fold(vs, states, true).pool(),
                Optional.empty(), false);

        NftProgramBuilder.Built after = before.next(List.of(reweighted));

        assertThat(after.program()).isEqualTo(NftProgramBuilder.build(List.of(reweighted)));
        assertThat(commands(NftProgram.diff(before.program(), after.program())))
                .as("rs2's weight moved slots to it").containsExactly("delete element " + SLOTS, "add element " + SLOTS);
    }

    @Test
    void shouldKeepTheConfiguredPiecesAsTheSameObjectsAcrossAPoolChange() {
        VirtualServerConfig vs = nat(LbScheduler.WRR, 3, 1, 1);
        NftProgramBuilder.Built before = NftProgramBuilder.Built.NONE.next(List.of(plan(vs, true, true, true)));

        NftProgramBuilder.Built after = before.next(List.of(plan(vs, true, false, true)));

        NftProgram.Table was = before.program().table("ip").orElseThrow();
        NftProgram.Table is = after.program().table("ip").orElseThrow();
        for (String map : List.of(COUNTERS, "dst_192_0_2_210_80_tcp", "dport_192_0_2_210_80_tcp")) {
            assertThat(NftProgramTest.set(after.program(), "ip", map)).as(map)
                    .isSameAs(NftProgramTest.set(before.program(), "ip", map));
        }
        assertThat(is.chains()).hasSameSizeAs(was.chains());
        for (int i = 0; i < is.chains().size(); i++) {
            if (is.chains().get(i).hook().isEmpty()) {
                assertThat(is.chains().get(i)).as(is.chains().get(i).name()).isSameAs(was.chains().get(i));
            }
        }
    }

    @Test
    void shouldLookAChangedElementUpAmongAllTheOthers() throws Exception {
        JsonNode a = JSON.readTree("[0, \"a\"]");
        JsonNode b = JSON.readTree("[1, \"b\"]");
        JsonNode c = JSON.readTree("[2, \"c\"]");
        JsonNode x = JSON.readTree("[3, \"x\"]");

        assertThat(NftProgram.missing(List.of(a, b, c), List.of(a, c))).containsExactly(b);
        assertThat(NftProgram.missing(List.of(a, b, c), List.of(b, x, c))).as("b is still there, earlier")
                .containsExactly(a);
        assertThat(NftProgram.missing(List.of(a, b, c), List.of(a, b, c))).isEmpty();
        assertThat(NftProgram.missing(List.of(a, x), List.of(c))).containsExactly(a, x);
    }

    /** The elements of the document's add or delete element commands. */
    private static List<JsonNode> elements(Optional<String> document, String verb) throws Exception {
        List<JsonNode> elements = new ArrayList<>();
        for (JsonNode command : JSON.readTree(document.orElseThrow()).get("nftables")) {
            command.path(verb).path("element").path("elem").forEach(elements::add);
        }
        return elements;
    }

    /** The elements of the document's add or delete element commands on one set or map. */
    private static List<JsonNode> elements(Optional<String> document, String verb, String set) throws Exception {
        List<JsonNode> elements = new ArrayList<>();
        for (JsonNode command : JSON.readTree(document.orElseThrow()).get("nftables")) {
            JsonNode element = command.path(verb).path("element");
            if (element.path("name").asText().equals(set)) {
                element.path("elem").forEach(elements::add);
            }
        }
        return elements;
    }

    private static VirtualServerConfig otherVirtualServer(VirtualServerConfig b) {
        return new VirtualServerConfig(new io.quorumvip.config.VirtualService.Endpoint(
                LbFixtures.ip("192.0.2.211"), 443), b.position(), b.protocol(), b.scheduler(), b.method(),
                b.persistence(), b.quorum(), b.hysteresis(), b.quorumUp(), b.quorumDown(), b.haSuspend(), b.alpha(),
                b.omega(), b.hashPort(), b.smtpAlert(), b.virtualhost(), b.sorryServer(), b.sorryInhibit(),
                b.expireNodestConn(), b.realServers());
    }

    @Test
    void shouldChangeOnlyTheServingSetAndSlotsOfAPersistentVirtualServer() throws Exception {
        VirtualServerConfig vs = LbFixtures.virtualServer(LbScheduler.RR, ForwardingMethod.NAT, 1, 0,
                Optional.empty(), false, Optional.of(new Persistence(Duration.ofSeconds(50), 32)),
                LbFixtures.reals(1, 1, 1));
        NftProgram before = NftProgramBuilder.build(List.of(plan(vs, true, true, true)));
        NftProgram after = NftProgramBuilder.build(List.of(plan(vs, true, false, true)));

        Optional<String> diff = NftProgram.diff(before, after);

        assertThat(commands(diff)).as("the affinity set and its entries are left alone").containsExactly(
                "delete element serving_192_0_2_210_80_tcp",
                "delete element slots_192_0_2_210_80_tcp",
                "add element slots_192_0_2_210_80_tcp");
        assertThat(elements(diff, "delete", "serving_192_0_2_210_80_tcp")).extracting(JsonNode::asLong)
                .containsExactly(1L);
    }

    @Test
    void shouldAddAndRemoveDispatchElementsAsVirtualServersComeAndGo() throws Exception {
        VirtualServerConfig a = nat(LbScheduler.RR, 1);
        VirtualServerConfig b = LbFixtures.virtualServer(LbScheduler.RR, ForwardingMethod.NAT, 1, 0,
                Optional.empty(), false, Optional.empty(), LbFixtures.reals(1));
        VirtualServerConfig other = otherVirtualServer(b);
        NftProgram one = NftProgramBuilder.build(List.of(plan(a)));
        NftProgram two = NftProgramBuilder.build(List.of(plan(a), plan(other)));

        assertThat(commands(NftProgram.diff(one, two))).as("chains and counters before what refers to them")
                .containsExactly(
                "add chain vs_192_0_2_211_443_tcp",
                "add chain fwd_192_0_2_211_443_tcp",
                "add counter vs_192_0_2_211_443_tcp",
                "add counter rs_192_0_2_211_443_tcp__192_0_2_51_80",
                "add element services4",
                "add map ctr_192_0_2_211_443_tcp",
                "add element ctr_192_0_2_211_443_tcp",
                "add map dst_192_0_2_211_443_tcp",
                "add element dst_192_0_2_211_443_tcp",
                "add map dport_192_0_2_211_443_tcp",
                "add element dport_192_0_2_211_443_tcp",
                "add map slots_192_0_2_211_443_tcp",
                "add element slots_192_0_2_211_443_tcp",
                "add rule vs_192_0_2_211_443_tcp",
                "add rule vs_192_0_2_211_443_tcp",
                "add rule fwd_192_0_2_211_443_tcp",
                "add rule fwd_192_0_2_211_443_tcp");
        assertThat(commands(NftProgram.diff(two, one))).as("counters and chains once nothing refers to them")
                .containsExactly(
                "flush chain vs_192_0_2_211_443_tcp",
                "flush chain fwd_192_0_2_211_443_tcp",
                "delete element services4",
                "delete map ctr_192_0_2_211_443_tcp",
                "delete map dst_192_0_2_211_443_tcp",
                "delete map dport_192_0_2_211_443_tcp",
                "delete map slots_192_0_2_211_443_tcp",
                "delete chain vs_192_0_2_211_443_tcp",
                "delete chain fwd_192_0_2_211_443_tcp",
                "delete counter vs_192_0_2_211_443_tcp",
                "delete counter rs_192_0_2_211_443_tcp__192_0_2_51_80");
    }

    @Test
    void shouldDeleteTheTableOfAFamilyNoLongerUsed() throws Exception {
        NftProgram nat = NftProgramBuilder.build(List.of(plan(nat(LbScheduler.RR, 1))));

        assertThat(commands(NftProgram.diff(nat, NftProgram.EMPTY))).containsExactly("delete table qvip_lb");
    }
}
