package io.quorumvip.track;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ScriptHealthTest {

    @Test
    void shouldStartHealthyUnlessInitFail() {
        assertThat(ScriptHealth.initial(false).healthy()).isTrue();
        assertThat(ScriptHealth.initial(true).healthy()).isFalse();
    }

    @Test
    void shouldTurnUnhealthyOnlyAfterFallFailuresInARow() {
        ScriptHealth health = ScriptHealth.initial(false);
        health = health.next(false, 2, 3).next(false, 2, 3);
        assertThat(health.healthy()).isTrue();
        assertThat(health.next(false, 2, 3).healthy()).isFalse();
    }

    @Test
    void shouldForgetFailuresAfterASuccess() {
        ScriptHealth health = ScriptHealth.initial(false).next(false, 2, 2).next(true, 2, 2).next(false, 2, 2);
        assertThat(health.healthy()).isTrue();
    }

    @Test
    void shouldTurnHealthyAfterRiseSuccessesInARow() {
        ScriptHealth health = ScriptHealth.initial(true).next(true, 3, 1).next(true, 3, 1);
        assertThat(health.healthy()).isFalse();
        assertThat(health.next(true, 3, 1).healthy()).isTrue();
    }

    @Property
    void shouldFollowTheLastResultsOnceTheyAgreeLongEnough(
            @ForAll boolean start, @ForAll boolean result, @ForAll @IntRange(min = 1, max = 6) int rise,
            @ForAll @IntRange(min = 1, max = 6) int fall) {
        ScriptHealth health = ScriptHealth.initial(!start);
        for (int i = 0; i < Math.max(rise, fall); i++) {
            health = health.next(result, rise, fall);
        }
        assertThat(health.healthy()).isEqualTo(result);
    }
}
