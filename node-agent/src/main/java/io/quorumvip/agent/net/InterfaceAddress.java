package io.quorumvip.agent.net;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One address on one interface, as `ip addr` would show it: {@code 192.0.2.200/24 dev eth0 label eth0:1}.
 */
public record InterfaceAddress(String device, InetAddress address, int prefixLength, Optional<String> label) {
    public InterfaceAddress {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(label, "label");
        int max = address.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException(
                    "prefix length of " + address.getHostAddress() + " is " + prefixLength + " (expected 0.." + max + ")");
        }
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength + " dev " + device + label.map(l -> " label " + l).orElse("");
    }
}
