package io.quorumvip.agent.net;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * A raw IP socket for protocol 112 (VRRP) bound to one interface. Outbound datagrams carry IP TTL 255 and are
 * not looped back to this host. Inbound datagrams are delivered whole, IPv4 header included, so that the receiver
 * can check the TTL and the addresses.
 */
public interface VrrpTransport extends AutoCloseable {

    /** Sends one VRRP message (no IP header) from the configured source address to {@code destination}. */
    void send(ByteBuffer vrrpMessage, Inet4Address destination) throws IOException;

    /**
     * Waits up to {@code timeoutMillis} for one datagram and copies it, IPv4 header first, into {@code into}
     * (from its position; the position is advanced).
     *
     * @return the datagram's length, or 0 when the time ran out
     */
    int receive(ByteBuffer into, int timeoutMillis) throws IOException;

    @Override
    void close();
}
