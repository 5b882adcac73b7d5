package io.quorumvip.agent.lb;

import java.util.List;

/**
 * One virtual server in {@code GET /v1/status} ({@code virtual_servers}): the pool as programmed and each real
 * server's checks as this director sees them.
 *
 * @param generation the nftables transaction that applied the current pool
 * @param suspended  ha_suspend holds the checks because this director does not hold the virtual address
 */
public record VirtualServerStatus(String name, String scheduler, String runsAs, String method, boolean quorumUp,
                                  long liveWeight, boolean sorryServing, long generation, boolean suspended,
                                  List<RealServerStatus> realServers) {

    public VirtualServerStatus {
        realServers = List.copyOf(realServers);
    }

    /**
     * @param state     "up" or "down" (the checkers ANDed)
     * @param inPool    gets new connections now
     * @param lastCheck the last probe's evidence, empty before the first
     */
    public record RealServerStatus(String address, int port, int weight, String state, boolean inPool,
                                   String lastCheck, double lastLatencyMs, long lastCheckEpochMillis,
                                   List<String> checkers) {
        public RealServerStatus {
            checkers = List.copyOf(checkers);
        }
    }
}
