package io.quorumvip.track;

import java.util.OptionalLong;

/**
 * keepalived's rules for a {@code vrrp_track_file} (vrrp_track.c): the file holds an integer. With weight 0 a
 * non-zero value puts the instance in FAULT and 0 does nothing. Otherwise value × weight is added to the priority,
 * kept inside −254..253, and −254 (or less) puts the instance in FAULT. {@code reverse} (vrrp_track.c,
 * update_track_file_status: {@code weight_multiplier} −1) negates value × weight before it is kept in range, and
 * with weight 0 makes 0 the FAULT value and any other value harmless. A missing file, or one whose first word is
 * not an integer, reads as 0, so deleting the file is how an operator clears it; a number beyond ±2^31 is ignored.
 */
public final class TrackedFileStatus {

    /** keepalived's status meaning FAULT. */
    public static final int FAULT = -254;
    private static final int MAX = 253;
    private static final long LIMIT = 1L << 31;

    private TrackedFileStatus() {
    }

    /** The status one instance gets from {@code value} with its {@code weight}: FAULT or the amount added. */
    public static int status(long value, int weight, boolean reverse) {
        if (weight == 0) {
            return (value != 0) != reverse ? FAULT : 0;
        }
        long product = Math.max(-LIMIT, Math.min(LIMIT, value)) * weight * (reverse ? -1 : 1);
        return (int) Math.max(FAULT, Math.min(MAX, product));
    }

    /** The status as the core's tracker: weight 0 and unhealthy for FAULT, else a tracker contributing it. */
    public static TrackerStatus tracker(String name, long value, int weight, boolean reverse) {
        int status = status(value, weight, reverse);
        if (status == FAULT) {
            return new TrackerStatus(name, 0, false);
        }
        // A TrackerStatus adds a positive weight while healthy and a negative one while unhealthy.
        return new TrackerStatus(name, status, status >= 0);
    }

    /**
     * The value of the file's text as keepalived reads it ({@code strtol(text, NULL, 0)}): leading blanks, an
     * optional sign, then {@code 0x}/{@code 0X} and hex digits, or {@code 0} and octal digits ({@code 010} is 8), or
     * decimal digits; anything after them is ignored, and text with no number reads 0. Empty when keepalived ignores
     * the read and keeps the value it had ("Invalid number … ignoring"): a number beyond ±2^31, its limits.
     */
    public static OptionalLong parse(String text) {
        int i = 0;
        while (i < text.length() && " \t\n\u000b\f\r".indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        boolean negative = false;
        if (i < text.length() && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        int radix = 10;
        if (text.startsWith("0x", i) || text.startsWith("0X", i)) {
            if (i + 2 < text.length() && Character.digit(text.charAt(i + 2), 16) >= 0 && text.charAt(i + 2) < 128) {
                radix = 16;
                i += 2;
            } else {
                return OptionalLong.of(0);
            }
        } else if (text.startsWith("0", i)) {
            radix = 8;
        }
        long magnitude = 0;
        while (i < text.length() && text.charAt(i) < 128 && Character.digit(text.charAt(i), radix) >= 0) {
            magnitude = magnitude * radix + Character.digit(text.charAt(i), radix);
            if (magnitude > LIMIT) {
                return OptionalLong.empty();
            }
            i++;
        }
        return OptionalLong.of(negative ? -magnitude : magnitude);
    }
}
