package io.quorumvip.agent.vip;

import java.time.Duration;

/**
 * keepalived's gratuitous ARP schedule for a new master: {@code repeat} announcements per address at once, the same
 * again after {@code delay} (when not zero), and {@code refreshRepeat} every {@code refresh} while master (when
 * refresh is not zero).
 */
public record GarpPolicy(Duration delay, int repeat, Duration refresh, int refreshRepeat) {

    /** keepalived's defaults: garp_master_delay 5, garp_master_repeat 5, no refresh. */
    public static final GarpPolicy KEEPALIVED_DEFAULT = new GarpPolicy(Duration.ofSeconds(5), 5, Duration.ZERO, 1);

    public GarpPolicy {
        if (repeat < 1 || refreshRepeat < 1) {
            throw new IllegalArgumentException("gratuitous ARP repeat counts must be at least 1, got repeat=" + repeat
                    + " refresh_repeat=" + refreshRepeat);
        }
    }
}
