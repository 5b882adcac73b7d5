package io.quorumvip.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When a TCP probe's target is asked connect(2) a second time. */
class ConnectShortcutTest {

    private final ConnectShortcut shortcut = new ConnectShortcut();

    @Test
    void shouldKeepAskingATargetThatAnswersInsideTheFirstCall() {
        for (int probe = 0; probe < 200; probe++) {
            assertThat(shortcut.ask()).as("probe %d", probe).isTrue();
            shortcut.answered(probe % 2 == 0 ? ConnectProgress.CONNECTED : ConnectProgress.FAILED);
        }
    }

    @Test
    void shouldSkipTheSecondCallForAWhileAfterAMissThenAskAgain() {
        assertThat(shortcut.ask()).isTrue();
        shortcut.answered(ConnectProgress.IN_PROGRESS);

        for (int probe = 0; probe < ConnectShortcut.SKIPPED_AFTER_A_MISS; probe++) {
            assertThat(shortcut.ask()).as("probe %d after the miss", probe).isFalse();
        }
        assertThat(shortcut.ask()).isTrue();
        shortcut.answered(ConnectProgress.CONNECTED);
        assertThat(shortcut.ask()).as("answered at once again: the shortcut is back").isTrue();
    }

    @Test
    void shouldAskOnceIn64ProbesOfATargetAcrossANetwork() {
        int asked = 0;
        for (int probe = 0; probe < 640; probe++) {
            if (shortcut.ask()) {
                asked++;
                shortcut.answered(ConnectProgress.IN_PROGRESS);
            }
        }
        assertThat(asked).isEqualTo(10);
    }
}
