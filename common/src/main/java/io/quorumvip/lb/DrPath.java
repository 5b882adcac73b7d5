package io.quorumvip.lb;

import java.net.InetAddress;
import java.util.Map;

/**
 * What DR forwarding needs from the host, resolved by the agent (the program only uses it): the interface the
 * virtual address arrives on, this director's MAC there, and each real server's MAC from the neighbour table. A real
 * server whose MAC is not known is left out of the program until it is.
 */
public record DrPath(String device, String directorMac, Map<InetAddress, String> memberMacs) {

    public DrPath {
        memberMacs = Map.copyOf(memberMacs);
    }
}
