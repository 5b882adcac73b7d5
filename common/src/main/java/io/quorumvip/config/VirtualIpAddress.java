package io.quorumvip.config;

import java.net.InetAddress;
import java.util.Optional;

/**
 * One line of {@code virtual_ipaddress}: {@code ADDR[/PREFIX] [dev IF] [label LABEL] [brd ADDR] [scope SCOPE]}.
 *
 * @param prefixLength as written, else 32 for IPv4 and 128 for IPv6 (keepalived's default)
 * @param device       {@code dev}; when empty the address goes on the instance's interface
 * @param broadcast    {@code brd} as written ({@code +} and {@code -} are allowed, as in ip-address(8))
 */
public record VirtualIpAddress(
        InetAddress address,
        int prefixLength,
        Optional<String> device,
        Optional<String> label,
        Optional<String> broadcast,
        Optional<String> scope,
        SourcePosition position) {

    /** {@code 192.0.2.200/24}. */
    public String cidr() {
        return address.getHostAddress() + "/" + prefixLength;
    }

    public boolean isIpv6() {
        return IpAddresses.isIpv6(address);
    }
}
