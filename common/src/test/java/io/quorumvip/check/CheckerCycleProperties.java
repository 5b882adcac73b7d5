package io.quorumvip.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** keepalived's checker rules (check_tcp.c tcp_epilog, check_data.c alpha), held for any retry and any results. */
class CheckerCycleProperties {

    private static final ProbeResult OK = ProbeResult.success("connected", Duration.ofMillis(1));
    private static final ProbeResult REFUSED = ProbeResult.failure("connect refused", Duration.ofMillis(1));
    private static final long LOOP = 6_000_000_000L;
    private static final long RETRY_DELAY = 1_000_000_000L;

    private static CheckRules rules(int retry, boolean alpha) {
        return new CheckRules(retry, CheckRules.KEEPALIVED_RISE, LOOP, RETRY_DELAY, LOOP, alpha);
    }

    /** A checker that has seen its first success, as after start-up. */
    private static CheckerState running(CheckRules rules) {
        return CheckerState.initial(rules).next(OK, rules).state();
    }

    @Property
    void shouldGoDownOnExactlyTheRetryPlusFirstFailureInARow(@ForAll @IntRange(max = 8) int retry,
                                                             @ForAll boolean alpha) {
        CheckRules rules = rules(retry, alpha);
        CheckerState state = running(rules);
        for (int failure = 1; failure <= retry + 1; failure++) {
            CheckerState.Step step = state.next(REFUSED, rules);
            if (failure <= retry) {
                assertThat(step.change()).as("failure %d of retry %d", failure, retry).isEmpty();
                assertThat(step.delayNanos()).isEqualTo(RETRY_DELAY);
                assertThat(step.state().up()).isTrue();
            } else {
                assertThat(step.change()).hasValueSatisfying(c -> {
                    assertThat(c.up()).isFalse();
                    assertThat(c.consecutive()).isEqualTo(retry + 1);
                    assertThat(c.evidence()).isEqualTo(REFUSED);
                });
                assertThat(step.delayNanos()).isEqualTo(LOOP);
            }
            state = step.state();
        }
        assertThat(state.up()).isFalse();
    }

    @Property
    void shouldComeBackUpAfterOneSuccess(@ForAll @IntRange(max = 8) int retry,
                                         @ForAll @IntRange(min = 1, max = 20) int failuresWhileDown) {
        CheckRules rules = rules(retry, false);
        CheckerState state = running(rules);
        for (int i = 0; i < retry + 1 + failuresWhileDown; i++) {
            state = state.next(REFUSED, rules).state();
        }
        assertThat(state.up()).isFalse();

        CheckerState.Step step = state.next(OK, rules);

        assertThat(step.change()).hasValueSatisfying(c -> assertThat(c.up()).isTrue());
        assertThat(step.delayNanos()).isEqualTo(LOOP);
    }

    @Property
    void shouldResetTheRetryCountOnASuccess(@ForAll @IntRange(min = 1, max = 8) int retry,
                                            @ForAll @IntRange(min = 1, max = 8) int failuresBefore) {
        CheckRules rules = rules(retry, false);
        CheckerState state = running(rules);
        for (int i = 0; i < Math.min(failuresBefore, retry); i++) {
            state = state.next(REFUSED, rules).state();
        }
        state = state.next(OK, rules).state();
        for (int i = 0; i < retry; i++) {
            CheckerState.Step step = state.next(REFUSED, rules);
            assertThat(step.change()).isEmpty();
            state = step.state();
        }
        assertThat(state.up()).isTrue();
    }

    @Property
    void shouldDecideOnTheVeryFirstResult(@ForAll @IntRange(max = 8) int retry, @ForAll boolean alpha,
                                          @ForAll boolean firstSucceeds) {
        CheckRules rules = rules(retry, alpha);
        CheckerState initial = CheckerState.initial(rules);
        assertThat(initial.up()).isEqualTo(!alpha);

        CheckerState.Step step = initial.next(firstSucceeds ? OK : REFUSED, rules);

        assertThat(step.state().up()).isEqualTo(firstSucceeds);
        assertThat(step.change().isPresent()).isEqualTo(alpha == firstSucceeds);
        assertThat(step.delayNanos()).isEqualTo(LOOP);
    }

    @Property
    void shouldNeedRiseSuccessesInARowWhenRiseIsSet(@ForAll @IntRange(min = 1, max = 6) int rise,
                                                    @ForAll @IntRange(max = 30) int successesWhileUp) {
        CheckRules rules = new CheckRules(0, rise, LOOP, RETRY_DELAY, LOOP, true);
        CheckerState state = CheckerState.initial(rules);
        if (successesWhileUp > 0) {
            // Up for a while, then down (retry 0): an up checker stops counting, and the count starts again at 0.
            for (int i = 0; i < rise + successesWhileUp; i++) {
                state = state.next(OK, rules).state();
            }
            state = state.next(REFUSED, rules).state();
            assertThat(state.up()).isFalse();
        }
        for (int i = 1; i < rise; i++) {
            CheckerState.Step step = state.next(OK, rules);
            assertThat(step.change()).isEmpty();
            state = step.state();
        }
        assertThat(state.next(OK, rules).change()).hasValueSatisfying(c -> {
            assertThat(c.up()).isTrue();
            assertThat(c.consecutive()).isEqualTo(rise);
        });
    }

    @Property
    void shouldChangeOnlyWhenTheVerdictFlips(@ForAll @IntRange(max = 4) int retry, @ForAll boolean alpha,
                                             @ForAll @Size(max = 60) List<Boolean> results) {
        CheckRules rules = rules(retry, alpha);
        CheckerState state = CheckerState.initial(rules);
        for (boolean success : results) {
            CheckerState.Step step = state.next(success ? OK : REFUSED, rules);
            assertThat(step.change().isPresent()).isEqualTo(step.state().up() != state.up());
            step.change().ifPresent(c -> assertThat(c.up()).isEqualTo(success));
            assertThat(step.delayNanos()).isIn(LOOP, RETRY_DELAY);
            state = step.state();
        }
    }

    @Property
    void shouldKeepARealServerAliveOnlyWhileEveryCheckerIsUp(@ForAll("probes") List<int[]> probes) {
        List<CheckRules> rules = List.of(rules(0, false), rules(1, false), rules(2, true));
        RealServerHealth health = RealServerHealth.initial(rules);
        boolean alive = health.alive();
        for (int[] probe : probes) {
            RealServerHealth.Step step = health.next(probe[0], probe[1] == 1 ? OK : REFUSED);
            health = step.health();
            assertThat(health.alive()).isEqualTo(health.checkers().stream().allMatch(CheckerState::up));
            assertThat(step.transition().isPresent()).isEqualTo(health.alive() != alive);
            step.transition().ifPresent(t -> assertThat(t.checker()).isEqualTo(probe[0]));
            alive = health.alive();
        }
    }

    @Provide
    Arbitrary<List<int[]>> probes() {
        return Arbitraries.integers().between(0, 2).flatMap(checker -> Arbitraries.integers().between(0, 1)
                .map(ok -> new int[]{checker, ok})).list().ofMaxSize(80);
    }

    @Property
    void shouldReadMiscExitCodesAsKeepalivedDoes(@ForAll @IntRange(max = 255) int code, @ForAll boolean dynamic) {
        ProbeResult result = ProbeResult.exit(code, dynamic, Duration.ZERO);

        assertThat(result.success()).isEqualTo(code == 0 || dynamic && code >= 2);
        assertThat(result.dynamicWeight().isPresent()).isEqualTo(dynamic && code >= 2);
        result.dynamicWeight().ifPresent(w -> assertThat(w).isEqualTo(code - 2));
    }

    @Property
    void shouldStartEveryFirstProbeWithinTheWarmup(@ForAll long random) {
        CheckRules rules = rules(1, false);

        assertThat(rules.firstProbeDelayNanos(random)).isBetween(0L, LOOP - 1);
    }

    @Property
    void shouldGiveADynamicWeightWhatTheScriptAskedFor(@ForAll @IntRange(max = 253) int asked,
                                                       @ForAll @IntRange(max = 100) int configured) {
        List<CheckRules> rules = List.of(rules(0, false), rules(0, false));
        RealServerHealth health = RealServerHealth.initial(rules)
                .next(0, ProbeResult.exit(asked + 2, true, Duration.ZERO)).health()
                .next(1, OK).health();

        assertThat(health.weight(configured)).isEqualTo(asked);
        assertThat(new ArrayList<>(health.checkers()).get(1).dynamicWeight()).isEmpty();
    }
}
