package io.quorumvip.lb;

import java.util.List;

/**
 * What one virtual server sends new connections to, in configuration order: the answer to "who is in the pool",
 * computed by {@link PoolFold} and programmed into nftables.
 *
 * @param virtualServer the virtual server's name ({@code VirtualServerConfig.name()})
 * @param liveWeight    the sum of the live real servers' weights, which quorum is judged on
 * @param quorumUp      whether the pool has quorum (otherwise the sorry server, if any, serves alone)
 */
public record Pool(String virtualServer, List<PoolMember> members, long liveWeight, boolean quorumUp) {

    public Pool {
        members = List.copyOf(members);
    }

    /** The members that get new connections. */
    public List<PoolMember> serving() {
        return members.stream().filter(m -> m.weight() > 0).toList();
    }
}
