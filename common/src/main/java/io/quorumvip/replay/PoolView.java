package io.quorumvip.replay;

import io.quorumvip.events.Event;
import java.util.List;

/**
 * One virtual server's pool on one node at a point of the journal: what the data plane sent new connections to
 * (the last {@code PoolChanged}), and what the checks said since.
 *
 * @param generation    the nftables transaction that applied the pool
 * @param downReal      real servers whose last verdict was down
 * @param sorryServing  the sorry server serves in place of the pool
 */
public record PoolView(long generation, List<Event.PoolMemberEntry> members, boolean quorumUp,
                       boolean sorryServing, List<String> downReal) {

    public PoolView {
        members = List.copyOf(members);
        downReal = List.copyOf(downReal);
    }
}
