package io.quorumvip.lb;

import io.quorumvip.config.RealServerConfig;

/**
 * A real server as the pool fold sees it: its configuration, whether its checkers (ANDed) say it is alive, and its
 * effective weight (the configured one, or what misc_dynamic asked for).
 */
public record RealServerState(RealServerConfig config, boolean alive, int weight) {

    public static RealServerState of(RealServerConfig config, boolean alive) {
        return new RealServerState(config, alive, config.weight());
    }
}
