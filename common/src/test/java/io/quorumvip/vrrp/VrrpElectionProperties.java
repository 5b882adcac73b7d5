package io.quorumvip.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Election properties over random LANs in {@link VrrpSimulation}: random node counts, priorities (with ties and
 * address owners), initial-state hints, start times, VRRP version, advert interval and delivery delay.
 */
class VrrpElectionProperties {

    private static final long MILLI = 1_000_000L;

    record NodeSpec(int octet, int priority, InitialState hint, long startMillis) {
    }

    record Lan(int version, int intervalCentis, long delayMillis, List<NodeSpec> nodes) {

        long lastStartMillis() {
            return nodes.stream().mapToLong(NodeSpec::startMillis).max().orElse(0);
        }

        /** Long enough for every node to hear the others many times over, and for preemptions to settle. */
        long settledMillis() {
            return lastStartMillis() + 40L * intervalCentis * 10;
        }

        int topPriority() {
            return nodes.stream().mapToInt(NodeSpec::priority).max().orElseThrow();
        }
    }

    /** One node restarted or faulted for {@code lengthMillis}, {@code gapMillis} after the previous one ended. */
    record Disturbance(int nodeIndex, long gapMillis, long lengthMillis, boolean restart) {
    }

    @Property(tries = 200)
    void onceAdvertsHaveBeenExchangedExactlyOneNodeIsMasterAndItHasTheTopPriority(@ForAll("lans") Lan lan) {
        VrrpSimulation sim = simulate(lan, true);

        sim.runUntil(lan.settledMillis() * MILLI);

        assertThat(sim.violations()).isEmpty();
        assertThat(sim.masters()).hasSize(1);
        // With equal priority a backup does not preempt (RFC 5798 §6.4.2), so among tied nodes whoever got there
        // first keeps it; the address decides only between simultaneous masters (next property).
        assertThat(sim.masters().get(0).machine().effectivePriority()).isEqualTo(lan.topPriority());
        assertThat(sim.nodes()).filteredOn(n -> n.machine().state() != VrrpState.MASTER)
                .allSatisfy(n -> assertThat(n.machine().state()).isEqualTo(VrrpState.BACKUP));
    }

    @Property(tries = 200)
    void whenAllStartTogetherTheHighestPriorityThenHighestAddressWins(@ForAll("lans") Lan generated) {
        List<NodeSpec> together = generated.nodes().stream()
                .map(n -> new NodeSpec(n.octet(), n.priority(), InitialState.BACKUP, 0))
                .toList();
        Lan lan = new Lan(generated.version(), generated.intervalCentis(), generated.delayMillis(), together);
        VrrpSimulation sim = simulate(lan, true);

        sim.runUntil(lan.settledMillis() * MILLI);

        NodeSpec expected = together.stream()
                .max(Comparator.comparingInt(NodeSpec::priority).thenComparingInt(NodeSpec::octet))
                .orElseThrow();
        assertThat(sim.violations()).isEmpty();
        assertThat(sim.masters()).singleElement()
                .satisfies(m -> assertThat(m.config().primaryAddress()).isEqualTo(VrrpFixtures.node(expected.octet())));
    }

    @Property(tries = 200)
    void withNopreemptTheIncumbentKeepsMasterWhenAHigherPriorityNodeJoins(@ForAll("lans") Lan generated) {
        List<NodeSpec> backups = generated.nodes().stream()
                .map(n -> new NodeSpec(n.octet(), Math.min(n.priority(), 200), InitialState.BACKUP, n.startMillis()))
                .toList();
        Lan lan = new Lan(generated.version(), generated.intervalCentis(), generated.delayMillis(), backups);
        VrrpSimulation sim = simulate(lan, false);
        sim.runUntil(lan.settledMillis() * MILLI);
        assertThat(sim.masters()).hasSize(1);
        VrrpSimulation.Node incumbent = sim.masters().get(0);

        VrrpSimulation.Node newcomer = sim.addNode(
                config(lan, new NodeSpec(251, 254, InitialState.BACKUP, 0), false));
        sim.inject(newcomer, new VrrpInput.Startup(), lan.settledMillis() * MILLI);
        sim.runUntil(2 * lan.settledMillis() * MILLI);

        assertThat(sim.violations()).isEmpty();
        assertThat(sim.masters()).containsExactly(incumbent);
        assertThat(newcomer.machine().state()).isEqualTo(VrrpState.BACKUP);
    }

    @Property(tries = 200)
    void aMasterAlwaysHasItsAdverTimerArmedThroughRestartsAndFaults(
            @ForAll("lans") Lan lan, @ForAll("disturbances") List<Disturbance> disturbances) {
        VrrpSimulation sim = simulate(lan, true);
        long endOfLastMillis = lan.lastStartMillis();
        for (Disturbance d : disturbances) {
            VrrpSimulation.Node node = sim.nodes().get(d.nodeIndex() % sim.nodes().size());
            long from = endOfLastMillis + d.gapMillis();
            long to = from + d.lengthMillis();
            if (d.restart()) {
                sim.inject(node, new VrrpInput.Shutdown(), from * MILLI);
                sim.inject(node, new VrrpInput.Startup(), to * MILLI);
            } else {
                String source = "script chk_" + from;
                sim.inject(node, new VrrpInput.FaultRaised(source), from * MILLI);
                sim.inject(node, new VrrpInput.FaultCleared(source), to * MILLI);
            }
            endOfLastMillis = to;
        }

        sim.runUntil((endOfLastMillis + lan.settledMillis()) * MILLI);

        assertThat(sim.violations()).isEmpty();
        assertThat(sim.masters()).singleElement()
                .satisfies(m -> assertThat(m.machine().effectivePriority()).isEqualTo(lan.topPriority()));
    }

    @Provide
    Arbitrary<Lan> lans() {
        return Arbitraries.of(2, 3).flatMap(version -> {
            Arbitrary<Integer> interval = version == 2
                    ? Arbitraries.of(100, 200)
                    : Arbitraries.integers().between(20, 200);
            // Last octets above 127 are negative as Java bytes: they check the unsigned address comparison.
            Arbitrary<List<Integer>> octets = Arbitraries.integers().between(11, 250)
                    .list().ofMinSize(2).ofMaxSize(5).uniqueElements();
            Arbitrary<Long> delay = Arbitraries.longs().between(0, 15);
            return Combinators.combine(interval, octets, delay).flatAs((i, os, d) ->
                    nodeSpecs(os).map(specs -> new Lan(version, i, d, specs)));
        });
    }

    @Provide
    Arbitrary<List<Disturbance>> disturbances() {
        Arbitrary<Disturbance> one = Combinators.combine(
                Arbitraries.integers().between(0, 4),
                Arbitraries.longs().between(0, 20_000),
                Arbitraries.longs().between(0, 8_000),
                Arbitraries.of(true, false)).as(Disturbance::new);
        return one.list().ofMaxSize(4);
    }

    private static Arbitrary<List<NodeSpec>> nodeSpecs(List<Integer> octets) {
        Arbitrary<Integer> priority = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(100, 150, 200)),
                Tuple.of(2, Arbitraries.integers().between(1, 254)),
                Tuple.of(1, Arbitraries.just(255)));
        List<Arbitrary<NodeSpec>> specs = octets.stream()
                .map(octet -> Combinators.combine(
                        priority,
                        Arbitraries.of(InitialState.class),
                        Arbitraries.longs().between(0, 5_000))
                        .as((p, hint, start) -> new NodeSpec(octet, p, hint, start)))
                .toList();
        return Combinators.combine(specs).as(list -> list);
    }

    private static VrrpSimulation simulate(Lan lan, boolean preempt) {
        VrrpSimulation sim = new VrrpSimulation(lan.delayMillis() * MILLI);
        for (NodeSpec spec : lan.nodes()) {
            VrrpSimulation.Node node = sim.addNode(config(lan, spec, preempt));
            sim.inject(node, new VrrpInput.Startup(), spec.startMillis() * MILLI);
        }
        return sim;
    }

    private static VrrpConfig config(Lan lan, NodeSpec spec, boolean preempt) {
        return new VrrpConfig(VrrpFixtures.VRID, spec.priority(), lan.version(), lan.intervalCentis(), preempt,
                Duration.ZERO, spec.hint(), VrrpFixtures.node(spec.octet()));
    }
}
