package io.quorumvip.agent.net;

import java.io.IOException;
import java.net.InetAddress;

/**
 * Tells the link that an address is at this interface's MAC: gratuitous ARP for IPv4, an unsolicited Neighbour
 * Advertisement for IPv6, as keepalived does.
 */
public interface ArpAnnouncer extends AutoCloseable {

    void announce(String device, InetAddress address) throws IOException;

    @Override
    void close();
}
