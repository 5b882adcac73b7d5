package io.quorumvip.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorumvip.lab.LabPreconditions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The capture is evidence only: whatever stops it (no such interface, no libpcap, no permission) stops only it. */
class WireCaptureTest {

    @TempDir
    Path dir;

    @Test
    void aCaptureThatCannotOpenItsInterfaceShouldLeaveItOutWithoutThrowing() {
        WireCapture capture = WireCapture.start("n1", List.of("qvip-none0"), CaptureSettings.of(dir.resolve("c"),
                1 << 20, Duration.ofDays(1)));

        assertThat(capture.active()).isFalse();
        capture.close();
        assertThat(dir.resolve("c")).isEmptyDirectory();
    }

    @Test
    void aCaptureDirectoryThatCannotBeMadeShouldLeaveCaptureOff() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");

        WireCapture capture = WireCapture.start("n1", List.of("qvip-none0"), CaptureSettings.of(file.resolve("c"),
                1 << 20, Duration.ofDays(1)));

        assertThat(capture.active()).isFalse();
        capture.close();
    }

    @Test
    void anIdleInterfaceShouldBeDrainedOnceASecondAndABusyOneEveryQuarterSecond() {
        assertThat(WireCapture.waitMillis(0)).isEqualTo(1_000);
        assertThat(WireCapture.waitMillis(100)).isEqualTo(1_000);
        assertThat(WireCapture.waitMillis(WireCapture.BUSY_FRAMES)).isEqualTo(1_000);
        assertThat(WireCapture.waitMillis(WireCapture.BUSY_FRAMES + 1)).isEqualTo(250);
    }

    @Test
    void theKernelRingShouldMapTwoSlotsToAPageAndSoNoMoreThanItsMebibyte() throws IOException {
        Assumptions.assumeTrue(LabPreconditions.isRoot(), "needs root (CAP_NET_RAW) to open a capture on lo");
        WireCapture capture = WireCapture.start("n1", List.of("lo"), CaptureSettings.of(dir.resolve("c"), 1 << 20,
                Duration.ofDays(1)));
        try {
            assertThat(capture.active()).isTrue();
            assertThat(packetRingKibibytes()).isEqualTo(1024);
        } finally {
            capture.close();
        }
    }

    /** The sizes of this process's mappings of sockets: only a packet socket's ring is mapped. */
    private static long packetRingKibibytes() throws IOException {
        long kibibytes = 0;
        boolean inSocket = false;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                inSocket = line.contains("socket:[");
            } else if (inSocket && line.startsWith("Size:")) {
                kibibytes += Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return kibibytes;
    }

    @Test
    void boundsSmallerThanOneFileOrWithoutAgeShouldBeRefusedByName() {
        assertThatThrownBy(() -> new CaptureSettings(dir, 16 << 20, Duration.ofHours(1), 1 << 20, Duration.ofDays(1)))
                .hasMessageContaining("capture retention got 1048576 bytes (expected at least 16777216");
        assertThatThrownBy(() -> CaptureSettings.of(dir, 1 << 20, Duration.ZERO))
                .hasMessageContaining("capture retention age got PT0S (expected > 0)");
    }
}
