package io.quorumvip.forensics.wire;

import java.util.Objects;

/**
 * One link-layer frame as a capture holds it.
 *
 * @param capture the capture it came from, {@code node@interface} (see {@link PcapFiles#label})
 * @param micros  when the kernel saw it, µs since 1970 on the capturing node's clock
 * @param frame   the Ethernet frame as captured (possibly cut at the snap length)
 */
public record CapturedFrame(String capture, long micros, byte[] frame) {

    public CapturedFrame {
        Objects.requireNonNull(capture, "capture");
        Objects.requireNonNull(frame, "frame");
    }
}
