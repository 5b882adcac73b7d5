package io.quorumvip.agent.net;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link AddressManager} over rtnetlink (RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR), without running {@code ip}.
 *
 * <p>Lifetimes go in IFA_CACHEINFO (preferred = valid), in whole seconds, so the kernel itself removes an address
 * that is not renewed in time. Renewal is RTM_NEWADDR with NLM_F_REPLACE, which is what
 * {@code ip addr change ... valid_lft N} does.
 *
 * <p>Device names are resolved with if_nametoindex(3) in the calling thread's network namespace, while the netlink
 * socket works in the namespace it was opened in: call it from threads of one namespace (the agent runs in one).
 * The index is remembered per name, since every renewal needs it and if_nametoindex costs a socket, an ioctl and
 * a close; a device deleted and created again under the same name gets a new index, and the kernel answers the
 * old one with ENODEV, on which the name is resolved again and the request repeated once. (The kernel hands out
 * indexes in increasing order, so an old index does not name another device.)
 */
public final class NetlinkAddressManager implements AddressManager {
    private final RtNetlinkSocket socket;
    private final Map<String, Integer> indexes = new ConcurrentHashMap<>();

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
        Outcome outcome = addOrRenewAll(List.of(new Request(address, validLifetime))).get(0);
        if (outcome.error().isPresent()) {
            throw outcome.error().get();
        }
        return outcome.created();
    }

    /**
     * Each address as {@link #addOrRenew}, both of its requests (create with NLM_F_EXCL, then replace) for every
     * address in one netlink batch: one sendmsg and one reply per address that exists already (the create's
     * EEXIST, which is what tells a created address from a renewed one), instead of two round trips per address.
     * The replace comes right behind the create in the same batch, so an address that exists is renewed and one
     * that was just created gets the same lifetime again.
     *
     * @throws IllegalArgumentException for a request the kernel cannot take (see {@link #addOrRenew}), before any
     *                                  is sent
     */
    @Override
    public List<Outcome> addOrRenewAll(List<Request> requests) {
        List<Long> seconds = new ArrayList<>();
        for (Request request : requests) {
            RtNetlinkMessages.labelProblem(request.address()).ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
            seconds.add(lifetimeSeconds(request.address(), request.validLifetime()));
        }
        Outcome[] outcomes = new Outcome[requests.size()];
        List<Integer> staleIndex = new ArrayList<>();
        int perBatch = RtNetlinkSocket.BATCH_REQUESTS / 2;
        for (int from = 0; from < requests.size(); from += perBatch) {
            List<Integer> chunk = new ArrayList<>();
            for (int i = from; i < Math.min(requests.size(), from + perBatch); i++) {
                chunk.add(i);
            }
            addOrRenewBatch(requests, seconds, chunk, outcomes, Optional.of(staleIndex));
        }
        if (!staleIndex.isEmpty()) {
            staleIndex.forEach(i -> indexes.remove(requests.get(i).address().device()));
            List<Integer> again = List.copyOf(staleIndex);
            for (int from = 0; from < again.size(); from += perBatch) {
                addOrRenewBatch(requests, seconds, again.subList(from, Math.min(again.size(), from + perBatch)),
                        outcomes, Optional.empty());
            }
        }
        return List.of(outcomes);
    }

    /**
     * Sends the requests {@code chunk} names (indexes into {@code requests}) as one batch and sets their outcomes;
     * with {@code staleIndex}, those that failed with ENODEV (perhaps on a remembered index of a device since
     * created again) go there to be tried once more instead.
     */
    private void addOrRenewBatch(List<Request> requests, List<Long> seconds, List<Integer> chunk, Outcome[] outcomes,
                                 Optional<List<Integer>> staleIndex) {
        List<Integer> sent = new ArrayList<>();
        List<RtNetlinkSocket.BatchRequest> batch = new ArrayList<>();
        for (int i : chunk) {
            InterfaceAddress address = requests.get(i).address();
            long lifetime = seconds.get(i);
            int ifindex;
            try {
                ifindex = index(address.device());
            } catch (IOException e) {
                outcomes[i] = new Outcome(false, Optional.of(e));
                continue;
            }
            sent.add(i);
            batch.add((sequence, ack) -> RtNetlinkMessages.newAddress(sequence,
                    withoutAck(RtNetlinkMessages.ADD_FLAGS), ifindex, address, lifetime));
            batch.add((sequence, ack) -> RtNetlinkMessages.newAddress(sequence,
                    ack ? RtNetlinkMessages.RENEW_FLAGS : withoutAck(RtNetlinkMessages.RENEW_FLAGS), ifindex, address,
                    lifetime));
        }
        if (batch.isEmpty()) {
            return;
        }
        List<RtNetlinkSocket.BatchReply> replies;
        try {
            replies = socket.exchangeBatch("RTM_NEWADDR batch of " + sent.size() + " addresses", batch);
        } catch (IOException e) {
            sent.forEach(i -> outcomes[i] = new Outcome(false, Optional.of(e)));
            return;
        }
        for (int k = 0; k < sent.size(); k++) {
            int i = sent.get(k);
            InterfaceAddress address = requests.get(i).address();
            RtNetlinkSocket.BatchReply create = replies.get(2 * k);
            RtNetlinkSocket.BatchReply replace = replies.get(2 * k + 1);
            if (create.errno() == LibC.ENODEV && staleIndex.isPresent()) {
                staleIndex.get().add(i);
            } else if (create.errno() != 0 && create.errno() != LibC.EEXIST) {
                outcomes[i] = failed(create.failure("RTM_NEWADDR " + address), address);
            } else if (replace.errno() != 0) {
                outcomes[i] = failed(replace.failure("RTM_NEWADDR (replace) " + address), address);
            } else {
                outcomes[i] = create.errno() == 0 ? Outcome.CREATED : Outcome.RENEWED;
            }
        }
    }

    private static Outcome failed(NetlinkErrorException e, InterfaceAddress address) {
        return new Outcome(false, Optional.of(hinted(e, address)));
    }

    private static int withoutAck(int flags) {
        return flags & ~Netlink.NLM_F_ACK;
    }

    @Override
    public boolean remove(InterfaceAddress address) throws IOException {
        try {
            return removeAt(index(address.device()), address);
        } catch (NetlinkErrorException e) {
            if (e.errno() != LibC.ENODEV) {
                throw hinted(e, address);
            }
        }
        indexes.remove(address.device());
        try {
            return removeAt(index(address.device()), address);
        } catch (NetlinkErrorException e) {
            throw hinted(e, address);
        }
    }

    private boolean removeAt(int ifindex, InterfaceAddress address) throws IOException {
        try {
            socket.exchange("RTM_DELADDR " + address, sequence -> RtNetlinkMessages.deleteAddress(sequence, ifindex, address));
            return true;
        } catch (NetlinkErrorException e) {
            if (e.errno() == LibC.EADDRNOTAVAIL) {
                return false;
            }
            throw e;
        }
    }

    /** The device's index, remembered after the first lookup (see the class comment). */
    private int index(String device) throws IOException {
        Integer known = indexes.get(device);
        if (known != null) {
            return known;
        }
        int index = Interfaces.index(device);
        indexes.put(device, index);
        return index;
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
