package io.quorumvip.config;

import java.net.InetAddress;

/** What a {@code virtual_server} matches: an address and port, a firewall mark, or a virtual_server_group. */
public sealed interface VirtualService {

    /** {@code virtual_server IP [PORT]}; port 0 (omitted) matches every port and needs persistence. */
    record Endpoint(InetAddress address, int port) implements VirtualService {
        @Override
        public String toString() {
            return (IpAddresses.isIpv6(address) ? "[" + address.getHostAddress() + "]" : address.getHostAddress())
                    + ":" + port;
        }
    }

    /** {@code virtual_server fwmark N}: packets marked N by the operator's own rules. */
    record Fwmark(long mark) implements VirtualService {
        @Override
        public String toString() {
            return "fwmark " + mark;
        }
    }

    /** {@code virtual_server group NAME}, resolved against the {@code virtual_server_group} of that name. */
    record Group(String name) implements VirtualService {
        @Override
        public String toString() {
            return "group " + name;
        }
    }
}
