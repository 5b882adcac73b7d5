package io.quorumvip.agent.net;

import java.io.IOException;
import java.net.InetAddress;

/**
 * Asks the kernel to resolve a neighbour now, through rtnetlink (no fork, no packet of our own): DR needs each real
 * server's MAC before it programs the real server, and waiting for a check's own traffic to fill the neighbour table
 * leaves a real server out of the hash for up to a delay_loop, which moves stateless flows when it joins.
 */
public final class NeighbourResolver implements AutoCloseable {

    private final RtNetlinkSocket socket;

    private NeighbourResolver(RtNetlinkSocket socket) {
        this.socket = socket;
    }

    public static NeighbourResolver open() throws IOException {
        return new NeighbourResolver(RtNetlinkSocket.open());
    }

    /** Starts resolving {@code address} on {@code device}; the answer lands in the neighbour table. */
    public void resolve(String device, InetAddress address) throws IOException {
        int ifindex = Interfaces.index(device);
        socket.exchange("RTM_NEWNEIGH " + address.getHostAddress() + " dev " + device + " use",
                sequence -> RtNetlinkMessages.resolveNeighbour(sequence, ifindex, address));
    }

    @Override
    public void close() {
        socket.close();
    }
}
