package io.quorumvip.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SilentServerTest {

    private static final long MS = 1_000_000L;
    private static final Duration LAB_TICK = Duration.ofMillis(200);
    private static final Duration PERIOD = Duration.ofMillis(250);
    private static final LeaseTiming S6 = LeaseTiming.of(Duration.ofSeconds(6), LAB_TICK);

    private final SilentServer silence = new SilentServer(PERIOD);

    @Test
    void shouldWaitOneSecondAtFourAndSixSecondsAndHalfASecondAtThree() {
        long period = PERIOD.toNanos();

        assertThat(SilentServer.boundNanos(S6, period)).isEqualTo(1_000 * MS);
        assertThat(SilentServer.boundNanos(LeaseTiming.of(Duration.ofSeconds(4), LAB_TICK), period)).isEqualTo(1_000 * MS);
        assertThat(SilentServer.boundNanos(LeaseTiming.of(Duration.ofSeconds(3), LAB_TICK), period)).isEqualTo(500 * MS);
        assertThat(SilentServer.boundNanos(S6, 1_000 * MS)).as("never under two periods").isEqualTo(2_000 * MS);
        assertThat(SilentServer.boundNanos(LeaseTiming.of(Duration.ofSeconds(6), Duration.ofSeconds(2)), period))
                .as("a 2 s tick: 1.938 s of validity less a period and the reconnection").isEqualTo(588 * MS);
    }

    @Test
    void shouldLeaveTimeToReconnectWithinTheValidityOfTheLastAnswer() {
        for (long seconds = 3; seconds <= 10; seconds++) {
            LeaseTiming timing = LeaseTiming.of(Duration.ofSeconds(seconds), LAB_TICK);
            long bound = SilentServer.boundNanos(timing, PERIOD.toNanos());
            long validity = timing.validityNanos();
            if (bound > 2 * PERIOD.toNanos()) {
                assertThat(bound + PERIOD.toNanos() + SilentServer.RECONNECT_BUDGET.toNanos())
                        .as("S = %d s", seconds).isLessThanOrEqualTo(validity);
            }
        }
    }

    @Test
    void shouldMoveOnceAConfirmationIsUnansweredForTheBound() {
        silence.connected(S6);
        silence.sent(0);
        silence.answered(0);
        silence.sent(250 * MS);
        silence.sent(500 * MS);

        assertThat(silence.shouldMove(1_249 * MS)).isFalse();
        assertThat(silence.shouldMove(1_250 * MS)).isTrue();
    }

    @Test
    void shouldMoveOnlyOncePerConnection() {
        silence.connected(S6);
        silence.sent(0);

        assertThat(silence.shouldMove(1_000 * MS)).isTrue();
        assertThat(silence.shouldMove(2_000 * MS)).isFalse();

        silence.connected(S6);
        silence.sent(3_000 * MS);
        assertThat(silence.shouldMove(4_000 * MS)).as("a new connection may move again").isTrue();
    }

    @Test
    void shouldNotMoveAServerThatAnswersEveryConfirmation() {
        silence.connected(S6);
        for (long t = 0; t < 10_000 * MS; t += 250 * MS) {
            silence.sent(t);
            assertThat(silence.shouldMove(t + 200 * MS)).isFalse();
            silence.answered(t);
        }
    }

    @Test
    void shouldNotMoveAServerThatAnswersLateButKeepsAnswering() {
        silence.connected(S6);
        // Each answer comes 900 ms after its send: three more are out whenever one comes back.
        for (long t = 0; t < 10_000 * MS; t += 250 * MS) {
            silence.sent(t);
            long answeredSend = t - 750 * MS;
            if (answeredSend >= 0) {
                silence.answered(answeredSend);
            }
            assertThat(silence.shouldMove(t + 249 * MS)).as("at %d ms", t / MS).isFalse();
        }
    }

    @Test
    void shouldCountSilenceFromTheNewestConfirmationStillOutWhenAnOlderOneIsAnswered() {
        silence.connected(S6);
        silence.sent(0);
        silence.sent(250 * MS);
        silence.answered(0);

        assertThat(silence.shouldMove(1_249 * MS)).isFalse();
        assertThat(silence.shouldMove(1_250 * MS)).isTrue();
    }

    @Test
    void shouldIgnoreAnAnswerToAConfirmationOlderThanTheSilence() {
        silence.connected(S6);
        silence.sent(0);
        silence.answered(0);
        silence.sent(250 * MS);
        silence.answered(-250 * MS);

        assertThat(silence.shouldMove(1_250 * MS)).isTrue();
    }

    @Test
    void shouldNotMoveWhileDisconnectedNorCountSendsFromBeforeTheConnection() {
        silence.sent(0);
        assertThat(silence.shouldMove(5_000 * MS)).as("never connected").isFalse();

        silence.connected(S6);
        silence.sent(100 * MS);
        silence.disconnected();
        assertThat(silence.shouldMove(5_000 * MS)).as("disconnected: the client moves by itself").isFalse();

        silence.connected(S6);
        assertThat(silence.shouldMove(10_000 * MS)).as("nothing sent on this connection yet").isFalse();
        silence.sent(10_000 * MS);
        assertThat(silence.shouldMove(10_999 * MS)).isFalse();
        assertThat(silence.shouldMove(11_000 * MS)).isTrue();
    }

    @Test
    void shouldRefuseAPeriodOfZero() {
        assertThatThrownBy(() -> new SilentServer(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0S");
    }
}
