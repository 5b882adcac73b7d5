package io.quorumvip.agent.net;

import java.io.IOException;
import java.net.Inet4Address;

/** Sends gratuitous ARP so that hosts on the link point the address at this interface's MAC. */
public interface ArpAnnouncer extends AutoCloseable {

    void announce(String device, Inet4Address address) throws IOException;

    @Override
    void close();
}
