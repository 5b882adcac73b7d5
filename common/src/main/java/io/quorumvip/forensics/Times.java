package io.quorumvip.forensics;

import java.time.Instant;

/**
 * How reports write times and durations: UTC with milliseconds, durations in ms or s. Years of history write
 * millions of them, so the clock and durations are put together by hand rather than by a formatter.
 */
public final class Times {

    /** Cached minutes: a report's times cluster, and the date and hour are most of what a formatter costs. */
    private static final int MINUTES = 256;
    private static final Minute[] MINUTE_CACHE = new Minute[MINUTES];

    /**
     * {@code Instant}'s text of a whole minute up to its seconds, e.g. {@code 2026-11-21T03:12:}. Immutable, so a
     * slot read by one thread while another replaces it sees either the old entry or the new one, whole.
     */
    private record Minute(long epochMinute, String prefix) {
    }

    private Times() {
    }

    /** {@code 2026-11-21T03:12:04.100Z}, exactly as {@link Instant#toString} of the millisecond writes it. */
    public static String instant(long micros) {
        long ms = Math.floorDiv(micros, 1000);
        long epochMinute = Math.floorDiv(ms, 60_000);
        int slot = (int) (epochMinute & (MINUTES - 1));
        Minute minute = MINUTE_CACHE[slot];
        if (minute == null || minute.epochMinute() != epochMinute) {
            String whole = Instant.ofEpochSecond(epochMinute * 60).toString();
            minute = new Minute(epochMinute, whole.substring(0, whole.length() - "00Z".length()));
            MINUTE_CACHE[slot] = minute;
        }
        long msOfMinute = ms - epochMinute * 60_000;
        StringBuilder out = new StringBuilder(minute.prefix().length() + 7).append(minute.prefix());
        two(out, msOfMinute / 1000);
        if (msOfMinute % 1000 != 0) {
            three(out.append('.'), msOfMinute % 1000);
        }
        return out.append('Z').toString();
    }

    /** {@code 03:12:04.100}, for chains of causes that stay within one day. */
    public static String clock(long micros) {
        return clock(new StringBuilder(12), micros).toString();
    }

    /** {@link #clock(long)} appended to {@code out}. */
    static StringBuilder clock(StringBuilder out, long micros) {
        long ms = Math.floorMod(Math.floorDiv(micros, 1000), 86_400_000L);
        two(out, ms / 3_600_000).append(':');
        two(out, ms / 60_000 % 60).append(':');
        two(out, ms / 1000 % 60).append('.');
        return three(out, ms % 1000);
    }

    /** {@code 45 ms}, {@code 7.012 s}. */
    public static String duration(long micros) {
        if (micros < 1_000_000) {
            return (micros / 1000) + " ms";
        }
        // Rounded half up to the millisecond, as %.3f does.
        long ms = (micros + 500) / 1000;
        return three(new StringBuilder().append(ms / 1000).append('.'), ms % 1000).append(" s").toString();
    }

    private static StringBuilder two(StringBuilder out, long value) {
        return out.append(value < 10 ? "0" : "").append(value);
    }

    private static StringBuilder three(StringBuilder out, long value) {
        return out.append(value < 100 ? (value < 10 ? "00" : "0") : "").append(value);
    }
}
