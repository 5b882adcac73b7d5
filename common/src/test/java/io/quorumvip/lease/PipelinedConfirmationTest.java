package io.quorumvip.lease;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PipelinedConfirmationTest {

    private static final long SESSION = 0x1234L;

    private final PipelinedConfirmation confirmation = new PipelinedConfirmation(SESSION, 5_000L);

    @Test
    void shouldCountAnAnsweredExistsAfterAnOkSync() {
        confirmation.syncAnswered(true);

        assertThat(confirmation.answered(true)).isTrue();
        assertThat(confirmation.proves(SESSION)).isTrue();
        assertThat(confirmation.sentNanos()).isEqualTo(5_000L);
    }

    @Test
    void shouldNotCountAnExistsAnsweredWithoutASyncBeforeIt() {
        assertThat(confirmation.answered(true)).isFalse();
    }

    @Test
    void shouldNotCountAnExistsAnsweredAfterAFailedSync() {
        confirmation.syncAnswered(false);

        assertThat(confirmation.answered(true)).isFalse();
    }

    @Test
    void shouldNotCountAnExistsTheServerFailedAfterAnOkSync() {
        confirmation.syncAnswered(true);

        assertThat(confirmation.answered(false)).isFalse();
    }

    @Test
    void shouldProveOnlyTheSessionItWasSentOn() {
        confirmation.syncAnswered(true);

        assertThat(confirmation.answered(true)).isTrue();
        assertThat(confirmation.proves(SESSION + 1)).isFalse();
        assertThat(confirmation.proves(0)).isFalse();
    }
}
