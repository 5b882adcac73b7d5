package io.quorumvip.forensics;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How reports write times and durations: UTC with milliseconds, durations in ms or s. */
public final class Times {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private Times() {
    }

    /** {@code 2026-11-21T03:12:04.100Z}. */
    public static String instant(long micros) {
        return Instant.ofEpochMilli(Math.floorDiv(micros, 1000)).toString();
    }

    /** {@code 03:12:04.100}, for chains of causes that stay within one day. */
    public static String clock(long micros) {
        return CLOCK.format(Instant.ofEpochMilli(Math.floorDiv(micros, 1000)));
    }

    /** {@code 45 ms}, {@code 7.012 s}. */
    public static String duration(long micros) {
        if (micros < 1_000_000) {
            return (micros / 1000) + " ms";
        }
        return String.format(java.util.Locale.ROOT, "%.3f s", micros / 1e6);
    }
}
