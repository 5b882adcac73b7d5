package io.quorumvip.agent.net;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link AddressManager} over rtnetlink (RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR), without running {@code ip}.
 *
 * <p>Lifetimes go in IFA_CACHEINFO (preferred = valid), in whole seconds, so the kernel itself removes an address
 * that is not renewed in time. Renewal is RTM_NEWADDR with NLM_F_REPLACE, which is what
 * {@code ip addr change ... valid_lft N} does.
 *
 * <p>Device names are resolved with if_nametoindex(3) in the calling thread's network namespace, while the netlink
 * socket works in the namespace it was opened in: call it from threads of one namespace (the agent runs in one).
 */
public final class NetlinkAddressManager implements AddressManager {
    private final RtNetlinkSocket socket;

    private NetlinkAddressManager(RtNetlinkSocket socket) {
        this.socket = socket;
    }

    public static NetlinkAddressManager open() throws IOException {
        return new NetlinkAddressManager(RtNetlinkSocket.open());
    }

    /** Routes and rules through this manager's socket (its requests are serialised), closed with it. */
    public NetlinkRouteManager routes() {
        return new NetlinkRouteManager(socket);
    }

    /**
     * Tries to create the address (NLM_F_EXCL); when the kernel says it exists, renews it with NLM_F_REPLACE.
     *
     * @param validLifetime rounded down to whole seconds (the kernel's unit, never longer than asked); at least 1 s.
     *                      Empty means forever.
     */
    @Override
    public boolean addOrRenew(InterfaceAddress address, Optional<Duration> validLifetime) throws IOException {
        RtNetlinkMessages.labelProblem(address).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        long seconds = lifetimeSeconds(address, validLifetime);
        int ifindex = Interfaces.index(address.device());
        try {
            socket.exchange("RTM_NEWADDR " + address,
                    sequence -> RtNetlinkMessages.newAddress(sequence, RtNetlinkMessages.ADD_FLAGS, ifindex, address, seconds));
            return true;
        } catch (NetlinkErrorException e) {
            if (e.errno() != LibC.EEXIST) {
                throw hinted(e, address);
            }
        }
        replace(address, ifindex, seconds);
        return false;
    }

    /** One RTM_NEWADDR with NLM_F_REPLACE, where {@link #addOrRenew} takes two for an address that is present. */
    @Override
    public void renew(InterfaceAddress address, Duration validLifetime) throws IOException {
        RtNetlinkMessages.labelProblem(address).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        replace(address, Interfaces.index(address.device()), lifetimeSeconds(address, Optional.of(validLifetime)));
    }

    private void replace(InterfaceAddress address, int ifindex, long seconds) throws IOException {
        try {
            socket.exchange("RTM_NEWADDR (replace) " + address,
                    sequence -> RtNetlinkMessages.newAddress(sequence, RtNetlinkMessages.RENEW_FLAGS, ifindex, address, seconds));
        } catch (NetlinkErrorException e) {
            throw hinted(e, address);
        }
    }

    @Override
    public boolean remove(InterfaceAddress address) throws IOException {
        int ifindex = Interfaces.index(address.device());
        try {
            socket.exchange("RTM_DELADDR " + address, sequence -> RtNetlinkMessages.deleteAddress(sequence, ifindex, address));
            return true;
        } catch (NetlinkErrorException e) {
            if (e.errno() == LibC.EADDRNOTAVAIL) {
                return false;
            }
            throw hinted(e, address);
        }
    }

    @Override
    public List<InterfaceAddress> list(String device) throws IOException {
        List<InterfaceAddress> out = new ArrayList<>();
        for (KernelAddress address : dump(device)) {
            out.add(address.toInterfaceAddress(device));
        }
        return out;
    }

    /** The address the kernel uses as the device's IPv4 source: its first IPv4 address that is not secondary. */
    public Optional<Inet4Address> primaryIpv4Address(String device) throws IOException {
        for (KernelAddress address : dump(device)) {
            if (address.address() instanceof Inet4Address ipv4 && !address.secondary()) {
                return Optional.of(ipv4);
            }
        }
        return Optional.empty();
    }

    /** The device's first IPv6 link-local address (fe80::/10): where VRRP over IPv6 sends from (RFC 5798). */
    public Optional<Inet6Address> linkLocalIpv6Address(String device) throws IOException {
        for (KernelAddress address : dump(device)) {
            if (address.address() instanceof Inet6Address ipv6 && ipv6.isLinkLocalAddress()) {
                return Optional.of(ipv6);
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        socket.close();
    }

    private List<KernelAddress> dump(String device) throws IOException {
        int ifindex = Interfaces.index(device);
        List<KernelAddress> out = new ArrayList<>();
        for (NetlinkMessage message : socket.exchange("RTM_GETADDR dump", RtNetlinkMessages::dumpAddresses)) {
            KernelAddress address = RtNetlinkMessages.decodeAddress(message);
            if (address.ifindex() == ifindex) {
                out.add(address);
            }
        }
        return out;
    }

    private static long lifetimeSeconds(InterfaceAddress address, Optional<Duration> validLifetime) {
        if (validLifetime.isEmpty()) {
            return Netlink.INFINITE_LIFETIME;
        }
        long seconds = validLifetime.get().toSeconds();
        if (seconds < 1 || seconds >= Netlink.INFINITE_LIFETIME) {
            throw new IllegalArgumentException("valid lifetime " + validLifetime.get() + " of " + address
                    + " (expected 1 s to " + (Netlink.INFINITE_LIFETIME - 1) + " s, or none for forever)");
        }
        return seconds;
    }

    private static IOException hinted(NetlinkErrorException e, InterfaceAddress address) {
        if (e.errno() == LibC.ENODEV) {
            return new IOException(e.getMessage() + " — is " + address.device() + " still there (ip link show)?", e);
        }
        return e;
    }
}
