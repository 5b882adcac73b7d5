package io.quorumvip.config;

import java.time.Duration;

/**
 * When a new MASTER sends gratuitous ARPs: a burst of {@code masterRepeat} at once, a second burst after
 * {@code masterDelay} (zero: none), and while MASTER a burst of {@code masterRefreshRepeat} every
 * {@code masterRefresh} (zero: off).
 */
public record GarpSettings(Duration masterDelay, int masterRepeat, Duration masterRefresh, int masterRefreshRepeat) {

    /** keepalived's defaults: 5 s, 5, off, 1. */
    public static final GarpSettings KEEPALIVED_DEFAULTS = new GarpSettings(Duration.ofSeconds(5), 5, Duration.ZERO, 1);
}
