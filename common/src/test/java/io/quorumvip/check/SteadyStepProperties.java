package io.quorumvip.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.config.RealServerConfig;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The steady step (a success to an up checker that asks for no other weight) gives back the state and the health it
 * was given, which the load balancer reads as "nothing moved", and {@link RealServerHealth#steady} says beforehand
 * when a plain success will, which the load balancer takes without the step: these hold both to changing nothing
 * that a rebuilt state would have changed.
 */
class SteadyStepProperties {

    private static final ProbeResult OK = ProbeResult.success("connected", Duration.ofMillis(1));
    private static final ProbeResult REFUSED = ProbeResult.failure("connect refused", Duration.ofMillis(1));
    private static final long LOOP = 1_000_000_000L;
    private static final long RETRY_DELAY = 300_000_000L;

    private static CheckRules rules(int retry, int rise, boolean alpha) {
        return new CheckRules(retry, rise, LOOP, RETRY_DELAY, LOOP, alpha);
    }

    @Property
    void shouldGiveBackTheSameStateAndHealthForASuccessThatChangesNothing(@ForAll @IntRange(max = 4) int retry,
                                                                          @ForAll @IntRange(min = 1, max = 4) int rise,
                                                                          @ForAll boolean alpha) {
        CheckRules rules = rules(retry, rise, alpha);
        RealServerHealth health = RealServerHealth.initial(List.of(rules));
        for (int i = 0; i < rise; i++) {
            health = health.next(0, OK).health();
        }
        assertThat(health.alive()).isTrue();

        RealServerHealth.Step step = health.next(0, OK);

        assertThat(health.steady(0)).isTrue();
        assertThat(step.health()).isSameAs(health);
        assertThat(step.transition()).isEmpty();
        assertThat(step.delayNanos()).isEqualTo(LOOP);
    }

    /**
     * Against keepalived's reading of the weights, followed result by result: a misc_dynamic weight holds until the
     * checker's next success, a FILE_CHECK offset and an AGENT_CHECK percentage only while the checker's last result
     * is a success.
     */
    @Property
    void shouldWeighAndLiveAsTheResultsSayWhicheverStepsWereSteady(@ForAll("results") List<Probe> probes,
                                                                  @ForAll @IntRange(max = 100) int configured) {
        List<CheckRules> rules = List.of(rules(1, 1, false), rules(0, 2, false));
        RealServerHealth health = RealServerHealth.initial(rules);
        OptionalInt[] dynamic = {OptionalInt.empty(), OptionalInt.empty()};
        OptionalInt[] offset = {OptionalInt.empty(), OptionalInt.empty()};
        OptionalInt[] percent = {OptionalInt.empty(), OptionalInt.empty()};
        for (Probe probe : probes) {
            RealServerHealth before = health;
            boolean steady = health.steady(probe.checker());
            RealServerHealth.Step step = health.next(probe.checker(), probe.result());
            health = step.health();
            ProbeResult result = probe.result();
            if (result.plainSuccess()) {
                assertThat(health == before).as("a plain success gives the health back").isEqualTo(steady);
                if (steady) {
                    assertThat(step.delayNanos()).isEqualTo(LOOP);
                }
            }
            if (result.success()) {
                dynamic[probe.checker()] = result.dynamicWeight();
            }
            offset[probe.checker()] = result.success() ? result.weightOffset() : OptionalInt.empty();
            percent[probe.checker()] = result.success() ? result.weightPercent() : OptionalInt.empty();

            assertThat(health.weight(configured)).isEqualTo(expectedWeight(configured, dynamic, offset, percent));
            assertThat(health.alive()).isEqualTo(health.checkers().stream().allMatch(CheckerState::up));
            if (health == before) {
                assertThat(result.success()).isTrue();
                assertThat(step.transition()).isEmpty();
            }
        }
    }

    private static int expectedWeight(int configured, OptionalInt[] dynamic, OptionalInt[] offset,
                                      OptionalInt[] percent) {
        long weight = configured;
        for (int i = 0; i < dynamic.length; i++) {
            weight += (dynamic[i].isPresent() ? dynamic[i].getAsInt() - configured : 0) + offset[i].orElse(0);
        }
        for (OptionalInt p : percent) {
            if (p.isPresent()) {
                weight = Math.max(0, Math.min(RealServerConfig.MAX_WEIGHT, weight)) * p.getAsInt() / 100;
            }
        }
        return (int) Math.max(0, Math.min(RealServerConfig.MAX_WEIGHT, weight));
    }

    record Probe(int checker, ProbeResult result) {
    }

    @Provide
    Arbitrary<List<Probe>> results() {
        Arbitrary<ProbeResult> result = Arbitraries.oneOf(
                Arbitraries.just(OK), Arbitraries.just(OK), Arbitraries.just(OK), Arbitraries.just(REFUSED),
                Arbitraries.integers().between(2, 6).map(code -> ProbeResult.exit(code, true, Duration.ZERO)),
                Arbitraries.integers().between(-3, 3).map(value -> new ProbeResult(true, "file", OptionalInt.empty(),
                        OptionalInt.empty(), Duration.ZERO, OptionalInt.empty(), OptionalInt.of(value))),
                Arbitraries.of(0, 50, 100).map(value -> new ProbeResult(true, "agent", OptionalInt.empty(),
                        OptionalInt.empty(), Duration.ZERO, OptionalInt.empty(), OptionalInt.empty(),
                        OptionalInt.of(value))));
        return Arbitraries.integers().between(0, 1).flatMap(checker -> result.map(r -> new Probe(checker, r)))
                .list().ofMaxSize(60);
    }
}
