package io.quorumvip.forensics.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.forensics.wire.CaptureRetention.CaptureFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptureRetentionTest {

    private static final long HOUR = 3_600_000_000L;
    private static final CaptureFile A = new CaptureFile(Path.of("a"), 0, 100);
    private static final CaptureFile B = new CaptureFile(Path.of("b"), HOUR, 100);
    private static final CaptureFile C = new CaptureFile(Path.of("c"), 2 * HOUR, 100);

    @Test
    void theOldestFilesShouldGoWhileTheCaptureIsTooLarge() {
        assertThat(CaptureRetention.expired(List.of(A, B, C), 2 * HOUR, 300, 10 * HOUR)).isEmpty();
        assertThat(CaptureRetention.expired(List.of(A, B, C), 2 * HOUR, 299, 10 * HOUR)).containsExactly(A.path());
        assertThat(CaptureRetention.expired(List.of(A, B, C), 2 * HOUR, 150, 10 * HOUR))
                .containsExactly(A.path(), B.path());
    }

    @Test
    void aFileShouldGoOnceItsNewestFrameIsOlderThanTheBoundWhichTheNextFilesStartTells() {
        assertThat(CaptureRetention.expired(List.of(A, B, C), 3 * HOUR, 1000, 2 * HOUR)).isEmpty();
        assertThat(CaptureRetention.expired(List.of(A, B, C), 3 * HOUR + 1, 1000, 2 * HOUR))
                .containsExactly(A.path());
    }

    @Test
    void theFileBeingWrittenShouldAlwaysStay() {
        assertThat(CaptureRetention.expired(List.of(C), 100 * HOUR, 10, HOUR)).isEmpty();
        assertThat(CaptureRetention.expired(List.of(A, B, C), 100 * HOUR, 10, HOUR))
                .containsExactly(A.path(), B.path());
    }
}
