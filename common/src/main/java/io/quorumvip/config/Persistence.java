package io.quorumvip.config;

import java.time.Duration;

/**
 * {@code persistence_timeout} with {@code persistence_granularity}: a client (its address masked to
 * {@code prefixLength} bits) goes back to the same real server while it keeps coming within {@code timeout}.
 */
public record Persistence(Duration timeout, int prefixLength) {

    /** keepalived's value for a bare {@code persistence_timeout}: 6 minutes. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(6);
}
