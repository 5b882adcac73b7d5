package io.quorumvip.vrrp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Limits log lines about dropped adverts, per {@link DropReason}: at most {@code linesPerInterval} lines in each
 * interval that starts with a logged drop; the rest are counted and reported later as
 * {@code "37 more dropped for BAD_CHECKSUM in the last 10 s"} (like keepalived's {@code log_rate_limited_error}).
 * Pure: the caller passes monotonic time. Not thread-safe: one receive loop owns it.
 */
public final class DropLogThrottle {

    private final int linesPerInterval;
    private final long intervalNanos;
    private final Window[] windows = new Window[DropReason.values().length];

    /**
     * @param linesPerInterval at least 1
     * @param intervalNanos    at least 1
     */
    public DropLogThrottle(int linesPerInterval, long intervalNanos) {
        if (linesPerInterval < 1) {
            throw new IllegalArgumentException("log lines per interval got " + linesPerInterval + " (expected >= 1)");
        }
        if (intervalNanos < 1) {
            throw new IllegalArgumentException("log interval got " + intervalNanos + " ns (expected >= 1)");
        }
        this.linesPerInterval = linesPerInterval;
        this.intervalNanos = intervalNanos;
        for (int i = 0; i < windows.length; i++) {
            windows[i] = new Window();
        }
    }

    /**
     * The line to log for {@code drop} at {@code nowNanos}, or empty when its reason already had its lines in the
     * current interval. A line that opens a new interval ends with the count suppressed in the one before, if any.
     */
    public Optional<String> admit(VrrpDrop drop, long nowNanos) {
        Window window = windows[drop.reason().ordinal()];
        String suppressed = "";
        if (window.open && nowNanos - window.startNanos >= intervalNanos) {
            if (window.suppressed > 0) {
                suppressed = " (" + summary(drop.reason(), window, nowNanos) + ")";
            }
            window.open = false;
        }
        if (!window.open) {
            window.open = true;
            window.startNanos = nowNanos;
            window.logged = 0;
            window.suppressed = 0;
        }
        if (window.logged < linesPerInterval) {
            window.logged++;
            return Optional.of(drop.message() + suppressed);
        }
        window.suppressed++;
        return Optional.empty();
    }

    /**
     * Lines for intervals that have ended with suppressed drops, so that a burst is reported even when no further
     * drop of its reason arrives. Call it now and then (e.g. on each advert timer); closes those intervals.
     */
    public List<String> summariesDue(long nowNanos) {
        List<String> lines = List.of();
        for (DropReason reason : DropReason.values()) {
            Window window = windows[reason.ordinal()];
            if (window.open && nowNanos - window.startNanos >= intervalNanos) {
                if (window.suppressed > 0) {
                    if (lines.isEmpty()) {
                        lines = new ArrayList<>();
                    }
                    lines.add("VRRP: " + summary(reason, window, nowNanos));
                }
                window.open = false;
            }
        }
        return List.copyOf(lines);
    }

    private static String summary(DropReason reason, Window window, long nowNanos) {
        long seconds = (nowNanos - window.startNanos + 999_999_999L) / 1_000_000_000L;
        return window.suppressed + " more dropped for " + reason + " in the last " + seconds + " s";
    }

    private static final class Window {
        boolean open;
        long startNanos;
        int logged;
        long suppressed;
    }
}
