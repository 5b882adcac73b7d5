package io.quorumvip.agent.lb;

import io.quorumvip.lb.LvsStats;
import java.util.List;
import java.util.OptionalLong;

/**
 * One virtual server in {@code GET /v1/status} ({@code virtual_servers}): the pool as programmed and each real
 * server's checks as this director sees them.
 *
 * @param generation the nftables transaction that applied the current pool
 * @param suspended  ha_suspend holds the checks because this director does not hold the virtual address
 * @param stats      its chain's counter, which restarts with every pool change
 * @param statsError why the counters could not be read, empty when they were
 */
public record VirtualServerStatus(String name, String scheduler, String runsAs, String method, boolean quorumUp,
                                  long liveWeight, boolean sorryServing, long generation, boolean suspended,
                                  Stats stats, String statsError, List<RealServerStatus> realServers) {

    public VirtualServerStatus {
        realServers = List.copyOf(realServers);
    }

    /**
     * @param state     "up" or "down" (the checkers ANDed)
     * @param inPool    gets new connections now: in the pool nftables has applied, which follows the checks'
     *                  decision by one transaction
     * @param lastCheck the last probe's evidence, empty before the first
     * @param stats     its named counter, since the configuration gave it one (pool changes do not reset it)
     */
    public record RealServerStatus(String address, int port, int weight, String state, boolean inPool,
                                   String lastCheck, double lastLatencyMs, long lastCheckEpochMillis,
                                   List<String> checkers, Stats stats) {
        public RealServerStatus {
            checkers = List.copyOf(checkers);
        }
    }

    /**
     * {@code ipvsadm -Ln --stats}' columns, null where the data plane cannot know them ({@link LvsStats}): NAT
     * counts connections only, DR inbound packets and bytes only, and neither ever sees a reply.
     */
    public record Stats(Long conns, Long inPkts, Long outPkts, Long inBytes, Long outBytes) {

        public static final Stats UNKNOWN = new Stats(null, null, null, null, null);

        static Stats of(LvsStats.Stats stats) {
            return new Stats(boxed(stats.conns()), boxed(stats.inPkts()), null, boxed(stats.inBytes()), null);
        }

        private static Long boxed(OptionalLong value) {
            return value.isPresent() ? value.getAsLong() : null;
        }
    }
}
