package io.quorumvip.agent.net;

import java.net.InetAddress;
import java.util.Optional;

/** One address from an RTM_GETADDR dump, with what {@link InterfaceAddress} leaves out. */
record KernelAddress(int ifindex, InetAddress address, int prefixLength, int flags, Optional<String> label,
                     long validLifetimeSeconds) {

    boolean secondary() {
        return (flags & Netlink.IFA_F_SECONDARY) != 0;
    }

    /** The kernel labels every IPv4 address; a label equal to the device name means "no label" in our terms. */
    InterfaceAddress toInterfaceAddress(String device) {
        return new InterfaceAddress(device, address, prefixLength, label.filter(l -> !l.equals(device)));
    }
}
