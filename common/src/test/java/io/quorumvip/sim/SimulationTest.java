package io.quorumvip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Thousands of seeded runs of the deterministic simulation (docs/simulation.md). A failing seed is printed with
 * the command that replays it: {@code -Dqvip.sim.seed=N} runs that seed alone; {@code -Dqvip.sim.firstSeed=F
 * -Dqvip.sim.seeds=C} runs seeds F to F+C-1 instead of the default 0 to 4,999.
 */
class SimulationTest {

    private static final int SEEDS = 5_000;
    private static final int MANY_INSTANCES = 1_000;
    private static final int MANY_SEEDS = 3;
    private static final String MANY_SEEDS_PROPERTY = "qvip.sim.manySeeds";
    private static final String SEED_PROPERTY = "qvip.sim.seed";
    private static final String SEED_COUNT_PROPERTY = "qvip.sim.seeds";
    private static final String FIRST_SEED_PROPERTY = "qvip.sim.firstSeed";

    @Test
    void shouldNeverLetTwoKernelsHoldTheVipAndEndWithExactlyOneOwner() {
        List<SimResult> failures = new ArrayList<>();
        long started = System.nanoTime();
        long events = 0;
        long closestHandOver = Long.MAX_VALUE;
        long closestAfterLifetime = Long.MAX_VALUE;
        List<Long> seeds = seeds();
        for (long seed : seeds) {
            SimResult result = Simulation.run(seed, Set.of());
            events += result.events();
            closestHandOver = Math.min(closestHandOver, result.closestHandOverNanos());
            closestAfterLifetime = Math.min(closestAfterLifetime, result.closestAfterLifetimeNanos());
            if (!result.ok()) {
                failures.add(result);
            }
        }
        System.out.printf("measured: %d seeds, %d events, %.1f s; closest hand-over %.3f ms, after a lifetime"
                + " ran out %.3f ms%n", seeds.size(), events, (System.nanoTime() - started) / 1e9,
                closestHandOver / 1e6, closestAfterLifetime / 1e6);
        assertThat(failures).as(() -> failures.size() + " of " + seeds.size() + " seeds failed; first:\n"
                + failures.get(0).report()).isEmpty();
    }

    @Test
    void shouldKeepEveryInstanceSafeWithAThousandInstancesPerNode() {
        long started = System.nanoTime();
        long events = 0;
        List<SimResult> failures = new ArrayList<>();
        int seeds = Integer.getInteger(MANY_SEEDS_PROPERTY, MANY_SEEDS);
        for (long seed = 0; seed < seeds; seed++) {
            SimResult result = Simulation.run(seed, Set.of(), MANY_INSTANCES);
            events += result.events();
            if (!result.ok()) {
                failures.add(result);
            }
        }
        System.out.printf("measured: %d seeds with %d instances per node, %d events, %.1f s%n", seeds,
                MANY_INSTANCES, events, (System.nanoTime() - started) / 1e9);
        assertThat(failures).as(() -> failures.size() + " of " + seeds + " seeds failed; first:\n"
                + failures.get(0).report()).isEmpty();
    }

    @Test
    void shouldReplayASeedExactly() {
        SimResult first = Simulation.run(4242, Set.of());
        SimResult again = Simulation.run(4242, Set.of());

        assertThat(again.traceHash()).isEqualTo(first.traceHash());
        assertThat(again.events()).isEqualTo(first.events());
        assertThat(again.traceTail()).isEqualTo(first.traceTail());
        assertThat(Simulation.run(4243, Set.of()).traceHash()).isNotEqualTo(first.traceHash());
    }

    @Test
    void shouldCatchTheBugOfBindingWithoutKernelLifetime() {
        assertThat(firstSafetyViolation(EnumSet.of(SimulationBugs.NO_KERNEL_LIFETIME)))
                .as("some seed must show two kernels holding the VIP when no lifetime is set").isNotNull();
    }

    @Test
    void shouldCatchTheBugOfIgnoringLeaseValidity() {
        assertThat(firstSafetyViolation(EnumSet.of(SimulationBugs.NO_LEASE_CHECK)))
                .as("some seed must show two kernels holding the VIP when validity is ignored").isNotNull();
    }

    @Test
    void shouldCatchTheBugOfProgrammingALifetimeComputedBeforeAPause() {
        assertThat(firstSafetyViolation(EnumSet.of(SimulationBugs.STALE_LIFETIME)))
                .as("some seed must show two kernels holding the VIP when the effector does not re-read the clock")
                .isNotNull();
    }

    @Test
    void shouldCatchAKernelThatRemovesExpiredAddressesLaterThanAssumed() {
        assertThat(firstSafetyViolation(EnumSet.of(SimulationBugs.KERNEL_LATER_THAN_ASSUMED)))
                .as("some seed must show two kernels holding the VIP when the kernel overshoots its budget")
                .isNotNull();
    }

    private static SimResult firstSafetyViolation(Set<SimulationBugs> bugs) {
        for (long seed = 0; seed < SEEDS; seed++) {
            SimResult result = Simulation.run(seed, bugs);
            if (!result.ok() && result.safety()) {
                System.out.printf("measured: bug %s caught at seed %d (the %d. seed tried)%n%s%n", bugs, seed,
                        seed + 1, result.report());
                return result;
            }
        }
        return null;
    }

    private static List<Long> seeds() {
        String one = System.getProperty(SEED_PROPERTY);
        if (one != null && !one.isBlank()) {
            return List.of(Long.parseLong(one.trim()));
        }
        List<Long> all = new ArrayList<>();
        long first = Long.getLong(FIRST_SEED_PROPERTY, 0);
        long count = Long.getLong(SEED_COUNT_PROPERTY, SEEDS);
        for (long seed = first; seed < first + count; seed++) {
            all.add(seed);
        }
        return all;
    }
}
