package io.quorumvip.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeaseValidityTest {

    private static final long MS = 1_000_000L;
    private static final Duration S = Duration.ofMillis(4_000);
    /** ceil(4000 ms × 0.2 %) + 1250 ms. */
    private static final long MARGIN = 1_258 * MS;
    private static final long T0 = 5_000 * MS;

    private final LeaseValidity validity = new LeaseValidity();

    @Test
    void shouldComputeTheMarginFromDriftAndKernelOvershoot() {
        assertThat(LeaseTiming.of(S).marginNanos()).isEqualTo(MARGIN);
        assertThat(LeaseTiming.of(Duration.ofMillis(3_000)).marginNanos()).isEqualTo(1_256 * MS);
    }

    @Test
    void shouldNotBeValidBeforeAnyAnswer() {
        validity.sessionStarted(7, S);
        validity.requestSent(T0);

        assertThat(validity.isValid(T0)).isFalse();
        assertThat(validity.validUntil()).isEmpty();
        assertThat(validity.kernelLifetimeSeconds(T0)).isZero();
    }

    @Test
    void shouldBeValidUntilSendTimePlusSessionTimeoutMinusMargin() {
        validity.sessionStarted(7, S);
        LeaseRequest request = validity.requestSent(T0);

        assertThat(validity.answered(request)).isTrue();

        long end = T0 + S.toNanos() - MARGIN;
        assertThat(validity.validUntil()).hasValue(end);
        assertThat(validity.isValid(end - 1)).isTrue();
        assertThat(validity.isValid(end)).isFalse();
        assertThat(validity.remainingNanos(T0 + 100 * MS)).isEqualTo(end - T0 - 100 * MS);
    }

    @Test
    void shouldIgnoreAnAnswerFromAPreviousSession() {
        validity.sessionStarted(7, S);
        LeaseRequest old = validity.requestSent(T0);
        validity.sessionStarted(8, S);

        assertThat(validity.answered(old)).isFalse();
        assertThat(validity.isValid(T0)).isFalse();
        assertThat(validity.sessionId()).isEqualTo(8);
    }

    @Test
    void shouldForgetValidityWhenANewSessionStarts() {
        validity.sessionStarted(7, S);
        validity.answered(validity.requestSent(T0));

        assertThat(validity.sessionStarted(8, S)).isTrue();

        assertThat(validity.isValid(T0)).isFalse();
        assertThat(validity.validUntil()).isEmpty();
    }

    @Test
    void shouldKeepValidityWhenTheSameSessionReconnects() {
        validity.sessionStarted(7, S);
        validity.answered(validity.requestSent(T0));

        assertThat(validity.sessionStarted(7, S)).isFalse();

        assertThat(validity.isValid(T0 + MS)).isTrue();
    }

    @Test
    void shouldForgetEverythingWhenTheSessionEnds() {
        validity.sessionStarted(7, S);
        LeaseRequest pending = validity.requestSent(T0 + MS);
        validity.answered(validity.requestSent(T0));

        validity.sessionEnded();

        assertThat(validity.isValid(T0)).isFalse();
        assertThat(validity.hasSession()).isFalse();
        assertThat(validity.answered(pending)).isFalse();
        assertThatThrownBy(() -> validity.requestSent(T0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sessionStarted");
    }

    @Test
    void shouldNotMoveValidityBackForAnOlderAnswer() {
        validity.sessionStarted(7, S);
        LeaseRequest older = validity.requestSent(T0);
        LeaseRequest newer = validity.requestSent(T0 + 1_000 * MS);

        validity.answered(newer);

        assertThat(validity.answered(older)).isFalse();
        assertThat(validity.validUntil()).hasValue(T0 + 1_000 * MS + S.toNanos() - MARGIN);
    }

    @Test
    void shouldIgnoreALateAnswerToAFailedRequest() {
        validity.sessionStarted(7, S);
        LeaseRequest request = validity.requestSent(T0);

        validity.failed(request);

        assertThat(validity.answered(request)).isFalse();
        assertThat(validity.isValid(T0)).isFalse();
    }

    @Test
    void shouldIgnoreADuplicateAnswer() {
        validity.sessionStarted(7, S);
        LeaseRequest request = validity.requestSent(T0);

        assertThat(validity.answered(request)).isTrue();
        assertThat(validity.answered(request)).isFalse();
    }

    @Test
    void shouldIgnoreARequestItNeverRecorded() {
        validity.sessionStarted(7, S);
        validity.requestSent(T0);

        assertThat(validity.answered(new LeaseRequest(7, 1, T0 + 60_000 * MS))).isFalse();
        assertThat(validity.validUntil()).isEmpty();
    }

    @Test
    void shouldStayCorrectWhenTheMonotonicClockWraps() {
        long nearWrap = Long.MAX_VALUE - 500 * MS;
        validity.sessionStarted(7, S);
        validity.answered(validity.requestSent(nearWrap));

        long afterWrap = nearWrap + 1_000 * MS;
        assertThat(afterWrap).isNegative();
        assertThat(validity.isValid(afterWrap)).isTrue();
        assertThat(validity.kernelLifetimeSeconds(afterWrap)).isEqualTo(1);
        assertThat(validity.isValid(nearWrap + S.toNanos())).isFalse();
    }

    @Test
    void shouldProgramWholeSecondsRoundedDown() {
        assertThat(LeaseTiming.kernelLifetimeSeconds(T0 + 2_999 * MS, T0)).isEqualTo(2);
        assertThat(LeaseTiming.kernelLifetimeSeconds(T0 + 1_000 * MS, T0)).isEqualTo(1);
    }

    @Test
    void shouldProgramNoLifetimeWhenLessThanASecondIsLeft() {
        assertThat(LeaseTiming.kernelLifetimeSeconds(T0 + 999 * MS, T0)).isZero();
        assertThat(LeaseTiming.kernelLifetimeSeconds(T0 - MS, T0)).isZero();
    }

    @Test
    void shouldRejectASessionTimeoutNoLongerThanItsMargin() {
        assertThatThrownBy(() -> LeaseTiming.of(Duration.ofMillis(1_200)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("session timeout got PT1.2S")
                .hasMessageContaining("3000 ms or more");
    }

    @Test
    void shouldRejectSessionIdZero() {
        assertThatThrownBy(() -> validity.sessionStarted(0, S)).hasMessageContaining("session id got 0");
    }
}
