package io.quorumvip.agent.capture;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where and how much the agent captures.
 *
 * @param dir       the capture directory (default: beside the journal, {@code <journal>-capture})
 * @param fileBytes a file is closed and a new one opened past this size ...
 * @param fileAge   ... or this age, so retention can drop old traffic in steps
 * @param maxBytes  all files of one interface together: the oldest go past it
 * @param maxAge    a file goes once its newest frame is older than this
 */
public record CaptureSettings(Path dir, long fileBytes, Duration fileAge, long maxBytes, Duration maxAge) {

    /** 256 MiB an interface: a week of adverts at 1 s holds for about 50 instances (76 bytes a frame in the file). */
    public static final long DEFAULT_MAX_BYTES = 256L << 20;
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);
    static final long DEFAULT_FILE_BYTES = 16L << 20;
    static final Duration DEFAULT_FILE_AGE = Duration.ofHours(1);

    public CaptureSettings {
        if (maxBytes < fileBytes) {
            throw new IllegalArgumentException("capture retention got " + maxBytes + " bytes (expected at least "
                    + fileBytes + ", one capture file)");
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("capture retention age got " + maxAge + " (expected > 0)");
        }
    }

    public static CaptureSettings of(Path dir, long maxBytes, Duration maxAge) {
        return new CaptureSettings(dir, Math.min(DEFAULT_FILE_BYTES, maxBytes), DEFAULT_FILE_AGE, maxBytes, maxAge);
    }
}
