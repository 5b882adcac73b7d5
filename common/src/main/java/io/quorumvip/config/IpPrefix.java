package io.quorumvip.config;

import java.net.InetAddress;

/** An address with a prefix length, as a route or rule names it ({@code 192.0.2.0/24}, {@code default} = /0). */
public record IpPrefix(InetAddress address, int length) {

    public boolean ipv6() {
        return IpAddresses.isIpv6(address);
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + length;
    }
}
