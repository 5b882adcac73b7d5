package io.quorumvip.agent.net;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A raw IP socket for protocol 112 (VRRP) bound to one interface, IPv4 or IPv6. Outbound datagrams carry TTL (hop
 * limit) 255 and are not looped back to this host. Inbound datagrams are delivered whole, IP header first (for IPv6
 * one the transport writes from what the kernel reported), so that the receiver can check the TTL and the addresses.
 */
public interface VrrpTransport extends AutoCloseable {

    /** The source address of every advert sent (the VRRPv3 checksum's pseudo-header needs it). */
    InetAddress source();

    /** Where adverts go: 224.0.0.18 or ff02::12, or each unicast peer. */
    List<? extends InetAddress> destinations();

    /**
     * Sends one VRRP message (no IP header, from its position to its limit; the position is advanced) from
     * {@link #source()} to {@code destination}, which must be one of {@link #destinations()}.
     */
    void send(ByteBuffer vrrpMessage, InetAddress destination) throws IOException;

    /**
     * Waits up to {@code timeoutMillis} for one datagram and copies it, IP header first, into {@code into}
     * (from its position; the position is advanced).
     *
     * @return the datagram's length, or 0 when the time ran out
     * @throws java.nio.channels.ClosedChannelException when the transport is or gets closed (also from another thread)
     */
    int receive(ByteBuffer into, int timeoutMillis) throws IOException;

    @Override
    void close();
}
