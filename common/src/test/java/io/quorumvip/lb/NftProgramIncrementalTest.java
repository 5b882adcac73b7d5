package io.quorumvip.lb;

import static io.quorumvip.lb.LbFixtures.HERE;
import static io.quorumvip.lb.LbFixtures.ip;
import static io.quorumvip.lb.LbFixtures.real;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorumvip.config.ForwardingMethod;
import io.quorumvip.config.L4Protocol;
import io.quorumvip.config.LbScheduler;
import io.quorumvip.config.Persistence;
import io.quorumvip.config.RealServerConfig;
import io.quorumvip.config.VirtualServerConfig;
import io.quorumvip.config.VirtualService;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class NftProgramIncrementalTest {

    private static final LbScheduler[] SCHEDULERS = {LbScheduler.RR, LbScheduler.WRR, LbScheduler.SH,
        LbScheduler.MH, LbScheduler.FO};

    /** Up to four virtual servers of up to eight real servers each, NAT or DR, with or without the extras. */
    private static List<VirtualServerConfig> configuration(Random random) {
        List<VirtualServerConfig> configs = new ArrayList<>();
        int count = 1 + random.nextInt(4);
        for (int v = 0; v < count; v++) {
            boolean dr = random.nextInt(3) == 0;
            List<RealServerConfig> reals = new ArrayList<>();
            int size = 1 + random.nextInt(8);
            for (int r = 0; r < size; r++) {
                reals.add(real("192.0.2." + (51 + r), dr ? 80 : 80 + random.nextInt(2), 1 + random.nextInt(3),
                        random.nextBoolean()));
            }
            Optional<RealServerConfig> sorry = !dr && random.nextBoolean()
                    ? Optional.of(real("192.0.2.99", 80, 1, false)) : Optional.empty();
            Optional<Persistence> persistence = !dr && random.nextBoolean()
                    ? Optional.of(new Persistence(Duration.ofSeconds(50), 24 + random.nextInt(9))) : Optional.empty();
            configs.add(new VirtualServerConfig(new VirtualService.Endpoint(ip("192.0.2." + (210 + v)), 80), HERE,
                    L4Protocol.TCP, SCHEDULERS[random.nextInt(SCHEDULERS.length)],
                    dr ? ForwardingMethod.DR : ForwardingMethod.NAT, persistence, 1 + random.nextInt(2), 0,
                    Optional.empty(), Optional.empty(), false, false, false, false, false, Optional.empty(), sorry,
                    false, !dr && random.nextBoolean(), reals));
        }
        return configs;
    }

    private static List<ServicePlan> plans(List<VirtualServerConfig> configs, Map<String, boolean[]> alive,
                                           boolean masquerade) {
        List<ServicePlan> plans = new ArrayList<>();
        for (VirtualServerConfig vs : configs) {
            List<RealServerState> states = new ArrayList<>();
            boolean[] up = alive.get(vs.name());
            for (int i = 0; i < vs.realServers().size(); i++) {
                states.add(RealServerState.of(vs.realServers().get(i), up[i]));
            }
            Pool pool = PoolFold.fold(vs, states, true).pool();
            plans.add(ServicePlan.of(vs, Map.of(), pool,
                    vs.method() == ForwardingMethod.DR ? Optional.of(NftProgramTest.ETH0) : Optional.empty(),
                    masquerade && vs.method() == ForwardingMethod.NAT));
        }
        return plans;
    }

    @Property(tries = 200)
    void shouldBuildAfterEachChangeWhatAFullRebuildBuilds(@ForAll long seed) {
        Random random = new Random(seed);
        List<VirtualServerConfig> configs = configuration(random);
        Map<String, boolean[]> alive = new HashMap<>();
        configs.forEach(vs -> alive.put(vs.name(), new boolean[vs.realServers().size()]));
        boolean masquerade = random.nextBoolean();
        NftProgramBuilder.Built built = NftProgramBuilder.Built.NONE;
        for (int step = 0; step < 12; step++) {
            if (step > 0 && random.nextInt(6) == 0) {
                configs = configuration(random);
                configs.forEach(vs -> alive.put(vs.name(), new boolean[vs.realServers().size()]));
            }
            for (int flips = random.nextInt(3); flips >= 0; flips--) {
                VirtualServerConfig vs = configs.get(random.nextInt(configs.size()));
                boolean[] up = alive.get(vs.name());
                up[random.nextInt(up.length)] ^= true;
            }
            List<ServicePlan> plans = plans(configs, alive, masquerade);

            built = built.next(plans);

            assertThat(built.program()).isEqualTo(NftProgramBuilder.build(plans));
        }
    }

    @Property(tries = 200)
    void shouldTurnThePoolIntoTheNextOneByItsElementChangesWhenTheyAreAllThatDiffers(@ForAll long seed) {
        Random random = new Random(seed);
        List<VirtualServerConfig> configs = configuration(random);
        Map<String, boolean[]> alive = new HashMap<>();
        configs.forEach(vs -> alive.put(vs.name(), new boolean[vs.realServers().size()]));
        NftProgramBuilder.Built built = NftProgramBuilder.Built.NONE.next(plans(configs, alive, false));
        for (int step = 0; step < 12; step++) {
            if (random.nextInt(6) == 0) {
                configs = configuration(random);
                configs.forEach(vs -> alive.put(vs.name(), new boolean[vs.realServers().size()]));
            }
            for (int flips = random.nextInt(3); flips >= 0; flips--) {
                boolean[] up = alive.get(configs.get(random.nextInt(configs.size())).name());
                up[random.nextInt(up.length)] ^= true;
            }
            NftProgram applied = built.program();
            built = built.next(plans(configs, alive, false));

            Optional<List<ElementChange>> changes = NftProgram.elementChanges(applied, built.program());

            if (changes.isPresent()) {
                Map<String, Map<Long, Long>> elements = elements(applied);
                for (ElementChange change : changes.get()) {
                    Map<Long, Long> set = elements.get(change.family() + " " + change.set());
                    change.deleted().forEach(key -> assertThat(set.remove(Integer.toUnsignedLong(key)))
                            .as("deleted key %s of %s", key, change.set()).isNotNull());
                    for (int i = 0; i < change.addedKeys().size(); i++) {
                        assertThat(set.put(Integer.toUnsignedLong(change.addedKeys().get(i)), change.map()
                                ? Integer.toUnsignedLong(change.addedValues().get(i)) : 0L)).isNull();
                    }
                }
                assertThat(elements).isEqualTo(elements(built.program()));
                assertThat(new NftProgram(applied.tables().stream().map(NftProgramIncrementalTest::withoutElements)
                        .toList())).isEqualTo(new NftProgram(built.program().tables().stream()
                        .map(NftProgramIncrementalTest::withoutElements).toList()));
            }
        }
    }

    @Test
    void shouldMakeAPoolChangeOfAThousandRealServersOnlyElementsAndWriteThemAsTheDiffDoes() {
        List<RealServerConfig> reals = new ArrayList<>();
        for (int r = 0; r < 1000; r++) {
            reals.add(real("198.51.100." + (r % 250 + 1), 1000 + r, 1 + r % 3, false));
        }
        VirtualServerConfig vs = new VirtualServerConfig(new VirtualService.Endpoint(ip("192.0.2.220"), 80), HERE,
                L4Protocol.TCP, LbScheduler.RR, ForwardingMethod.NAT,
                Optional.of(new Persistence(Duration.ofSeconds(50), 32)), 1, 0, Optional.empty(), Optional.empty(),
                false, false, false, false, false, Optional.empty(), Optional.empty(), false, true, reals);
        boolean[] up = new boolean[reals.size()];
        Arrays.fill(up, true);
        NftProgram before = NftProgramBuilder.build(plans(List.of(vs), Map.of(vs.name(), up), false));
        up[417] = false;
        NftProgram after = NftProgramBuilder.build(plans(List.of(vs), Map.of(vs.name(), up), false));

        List<ElementChange> changes = NftProgram.elementChanges(before, after).orElseThrow();

        assertThat(changes).extracting(ElementChange::set).containsExactly("nodest", "serving_192_0_2_220_80_tcp",
                "slots_192_0_2_220_80_tcp");
        assertThat(changes.get(0).addedKeys()).as("expire_nodest_conn: its connection mark").hasSize(1);
        assertThat(changes.get(0).deleted()).isEmpty();
        assertThat(changes.get(1).deleted()).as("persistence: its member mark").hasSize(1);
        assertThat(changes.get(1).addedKeys()).isEmpty();
        assertThat(changes.get(2).deleted()).as("the slots that changed owner: the leaving member's and a few more, not the table")
                .hasSizeBetween(1, 16_381 / 20).isEqualTo(changes.get(2).addedKeys());
        assertThat(commands(NftProgram.elementDocument(changes)))
                .containsExactlyInAnyOrderElementsOf(commands(NftProgram.diff(before, after).orElseThrow()));
        assertThat(NftProgram.elementChanges(after, after)).contains(List.of());
    }

    @Test
    void shouldLeaveAChangeOfStructureToTheDiff() {
        VirtualServerConfig three = NftProgramTest.nat(LbScheduler.RR, 1, 1, 1);
        VirtualServerConfig four = NftProgramTest.nat(LbScheduler.RR, 1, 1, 1, 1);
        NftProgram before = NftProgramBuilder.build(plans(List.of(three), Map.of(three.name(),
                new boolean[]{true, true, true}), false));
        NftProgram after = NftProgramBuilder.build(plans(List.of(four), Map.of(four.name(),
                new boolean[]{true, true, true, true}), false));

        assertThat(NftProgram.elementChanges(before, after)).as("a real server configured: its counter and maps")
                .isEmpty();
        assertThat(NftProgram.elementChanges(before, NftProgram.EMPTY)).isEmpty();
    }

    private static List<JsonNode> commands(String document) {
        try {
            List<JsonNode> commands = new ArrayList<>();
            new ObjectMapper().readTree(document).get("nftables").forEach(commands::add);
            return commands;
        } catch (JsonProcessingException e) {
            throw new AssertionError(document, e);
        }
    }

    /** Every slot map's and plain mark set's elements, by family and name: key to value (0 for a set). */
    private static Map<String, Map<Long, Long>> elements(NftProgram program) {
        Map<String, Map<Long, Long>> elements = new HashMap<>();
        for (NftProgram.Table table : program.tables()) {
            for (NftProgram.SlotMap map : table.slotMaps()) {
                Map<Long, Long> slots = new HashMap<>();
                for (int slot = 0; slot < map.size(); slot++) {
                    slots.put((long) slot, Integer.toUnsignedLong(map.owner(slot)));
                }
                elements.put(table.family() + " " + map.name(), slots);
            }
            for (NftProgram.NamedSet set : table.sets()) {
                if (!set.map() && set.definition().equals(NftJson.F.objectNode().put("type", "mark"))) {
                    Map<Long, Long> marks = new HashMap<>();
                    set.elements().forEach(e -> marks.put(e.asLong(), 0L));
                    elements.put(table.family() + " " + set.name(), marks);
                }
            }
        }
        return elements;
    }

    /** The table with its slot maps and plain mark sets emptied: what element changes must leave alone. */
    private static NftProgram.Table withoutElements(NftProgram.Table table) {
        return new NftProgram.Table(table.family(), table.chains(), table.sets().stream()
                .map(s -> !s.map() && s.definition().equals(NftJson.F.objectNode().put("type", "mark"))
                        ? new NftProgram.NamedSet(s.name(), false, s.definition(), List.of()) : s).toList(),
                table.slotMaps().stream().map(m -> new NftProgram.SlotMap(m.name(), new int[0])).toList(),
                table.counters());
    }

    @Test
    void shouldKeepTheUnchangedVirtualServersPiecesAsTheyWere() {
        List<VirtualServerConfig> configs = new ArrayList<>();
        for (int v = 0; v < 2; v++) {
            configs.add(LbFixtures.virtualServer(LbScheduler.MH, ForwardingMethod.NAT, 1, 0, Optional.empty(),
                    false, Optional.empty(), LbFixtures.reals(1, 1, 1)));
        }
        VirtualServerConfig other = new VirtualServerConfig(new VirtualService.Endpoint(ip("192.0.2.211"), 80),
                HERE, L4Protocol.TCP, LbScheduler.MH, ForwardingMethod.NAT, Optional.empty(), 1, 0, Optional.empty(),
                Optional.empty(), false, false, false, false, false, Optional.empty(), Optional.empty(), false, false,
                LbFixtures.reals(1, 1, 1));
        configs.set(1, other);
        Map<String, boolean[]> alive = new HashMap<>();
        configs.forEach(vs -> alive.put(vs.name(), new boolean[]{true, true, true}));
        NftProgramBuilder.Built before = NftProgramBuilder.Built.NONE.next(plans(configs, alive, false));
        alive.get(configs.get(0).name())[1] = false;

        NftProgramBuilder.Built after = before.next(plans(configs, alive, false));

        NftProgram.Table was = before.program().table("ip").orElseThrow();
        NftProgram.Table is = after.program().table("ip").orElseThrow();
        assertThat(is.slotMaps().get(1)).as("the other virtual server's slots").isSameAs(was.slotMaps().get(1));
        assertThat(is.chains()).filteredOn(c -> c.name().endsWith("192_0_2_211_80_tcp")).hasSize(2)
                .as("the other virtual server's chains")
                .allSatisfy(c -> assertThat(was.chains()).anySatisfy(w -> assertThat(w).isSameAs(c)));
        assertThat(is.chains()).filteredOn(c -> c.name().equals("fwd_192_0_2_210_80_tcp")).hasSize(1)
                .as("the changed virtual server's forward chain")
                .allSatisfy(c -> assertThat(was.chains()).anySatisfy(w -> assertThat(w).isSameAs(c)));
    }

    @Test
    void shouldShareTheSlotBudgetSoManyLargeVirtualServersGetFewerSlotsEach() throws Exception {
        List<VirtualServerConfig> configs = new ArrayList<>();
        for (int v = 0; v < 100; v++) {
            List<RealServerConfig> reals = new ArrayList<>();
            for (int r = 0; r < 100; r++) {
                reals.add(new RealServerConfig(InetAddress.getByName("198.51.100.51"), 20_000 + v * 100 + r, HERE,
                        1, ForwardingMethod.NAT, false, Optional.empty(), Optional.empty(), true, List.of()));
            }
            configs.add(new VirtualServerConfig(new VirtualService.Endpoint(ip("192.0.2.210"), 10_000 + v), HERE,
                    L4Protocol.TCP, LbScheduler.RR, ForwardingMethod.NAT, Optional.empty(), 1, 0, Optional.empty(),
                    Optional.empty(), false, false, false, false, false, Optional.empty(), Optional.empty(), false,
                    false, reals));
        }
        configs.add(NftProgramTest.nat(LbScheduler.WRR, 3, 1, 1));

        Map<String, Integer> slots = NftProgramBuilder.slotCounts(configs);

        assertThat(slots.get(configs.get(0).name())).as("100 real servers among 100 such: 20 slots each")
                .isEqualTo(2039);
        assertThat(slots.get(configs.get(100).name())).as("a small one keeps its 100 per real server")
                .isEqualTo(509);
        assertThat(slots.values().stream().mapToLong(Integer::longValue).sum())
                .isLessThanOrEqualTo(NftProgramBuilder.SLOT_BUDGET);
        assertThat(NftProgramBuilder.slotCounts(List.of(configs.get(0)))).as("alone, it has its 100 per member")
                .containsValue(16_381);
    }
}
