package io.quorumvip.track;

/**
 * keepalived's rules for a {@code vrrp_track_file} (vrrp_track.c): the file holds an integer. With weight 0 a
 * non-zero value puts the instance in FAULT and 0 does nothing. Otherwise value × weight is added to the priority,
 * kept inside −254..253, and −254 (or less) puts the instance in FAULT. A missing file, or one whose first word is
 * not an integer, reads as 0, so deleting the file is how an operator clears it.
 */
public final class TrackedFileStatus {

    /** keepalived's status meaning FAULT. */
    public static final int FAULT = -254;
    private static final int MAX = 253;
    private static final long LIMIT = 1L << 31;

    private TrackedFileStatus() {
    }

    /** The status one instance gets from {@code value} with its {@code weight}: FAULT or the amount added. */
    public static int status(long value, int weight) {
        if (weight == 0) {
            return value != 0 ? FAULT : 0;
        }
        long product = Math.max(-LIMIT, Math.min(LIMIT, value)) * weight;
        return (int) Math.max(FAULT, Math.min(MAX, product));
    }

    /** The status as the core's tracker: weight 0 and unhealthy for FAULT, else a tracker contributing it. */
    public static TrackerStatus tracker(String name, long value, int weight) {
        int status = status(value, weight);
        if (status == FAULT) {
            return new TrackerStatus(name, 0, false);
        }
        // A TrackerStatus adds a positive weight while healthy and a negative one while unhealthy.
        return new TrackerStatus(name, status, status >= 0);
    }

    /**
     * The value of the file's text as keepalived reads it: an optionally signed decimal integer at the start
     * (leading blanks allowed, anything after the digits ignored); anything else is 0. Values beyond ±2^31 are
     * clamped there, keepalived's limits, so value × weight always fits a long.
     */
    public static long parse(String text) {
        String s = text.stripLeading();
        int i = 0;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long value = 0;
        int digits = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
            value = Math.min(LIMIT, value * 10 + (s.charAt(i) - '0'));
            i++;
            digits++;
        }
        if (digits == 0) {
            return 0;
        }
        return negative ? -value : value;
    }
}
