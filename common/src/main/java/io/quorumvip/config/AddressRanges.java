package io.quorumvip.config;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The address forms of a {@code virtual_server_group} line, expanded: {@code 192.0.2.10},
 * {@code 192.0.2.3-10} (the last part ranges), {@code 192.0.2.250-192.0.3.10}, {@code 192.0.2.8/29}.
 */
final class AddressRanges {

    private AddressRanges() {
    }

    static List<InetAddress> expand(Token word, int max, Diagnostics d) {
        String text = word.text();
        String usage = "write `192.0.2.10`, `192.0.2.3-10`, `192.0.2.250-192.0.3.10` or `192.0.2.8/29`";
        Optional<InetAddress[]> bounds = bounds(text);
        if (bounds.isEmpty()) {
            d.error(word.position(), "virtual_server_group address " + text + " is not an address or a range",
                    usage);
            return List.of();
        }
        InetAddress first = bounds.get()[0];
        InetAddress last = bounds.get()[1];
        BigInteger from = new BigInteger(1, first.getAddress());
        BigInteger to = new BigInteger(1, last.getAddress());
        if (first.getAddress().length != last.getAddress().length || from.compareTo(to) > 0) {
            d.error(word.position(), "virtual_server_group range " + text + " ends before it starts", usage);
            return List.of();
        }
        if (to.subtract(from).compareTo(BigInteger.valueOf(max)) >= 0) {
            d.error(word.position(), "virtual_server_group range " + text + " has more than " + max + " addresses",
                    "split it, or use fwmark with your own rule for large blocks");
            return List.of();
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (BigInteger n = from; n.compareTo(to) <= 0; n = n.add(BigInteger.ONE)) {
            addresses.add(toAddress(n, first.getAddress().length));
        }
        return addresses;
    }

    private static Optional<InetAddress[]> bounds(String text) {
        int slash = text.indexOf('/');
        if (slash > 0) {
            Optional<InetAddress> base = IpAddresses.parse(text.substring(0, slash));
            String length = text.substring(slash + 1);
            if (base.isEmpty() || !length.matches("\\d{1,3}")) {
                return Optional.empty();
            }
            int bits = base.get().getAddress().length * 8;
            int prefix = Integer.parseInt(length);
            if (prefix > bits) {
                return Optional.empty();
            }
            BigInteger host = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
            BigInteger network = new BigInteger(1, base.get().getAddress()).andNot(host);
            int bytes = bits / 8;
            return Optional.of(new InetAddress[]{toAddress(network, bytes), toAddress(network.or(host), bytes)});
        }
        int dash = text.indexOf('-');
        if (dash < 0) {
            return IpAddresses.parse(text).map(a -> new InetAddress[]{a, a});
        }
        Optional<InetAddress> first = IpAddresses.parse(text.substring(0, dash));
        String rest = text.substring(dash + 1);
        if (first.isEmpty()) {
            return Optional.empty();
        }
        Optional<InetAddress> last = IpAddresses.parse(rest);
        if (last.isPresent()) {
            return Optional.of(new InetAddress[]{first.get(), last.get()});
        }
        return lastPart(first.get(), rest).map(l -> new InetAddress[]{first.get(), l});
    }

    /** {@code 192.0.2.3-10}: the last byte (IPv4) or the last 16-bit group in hex (IPv6) replaced. */
    private static Optional<InetAddress> lastPart(InetAddress first, String part) {
        byte[] bytes = first.getAddress().clone();
        boolean ipv6 = bytes.length == 16;
        if (!part.matches(ipv6 ? "[0-9a-fA-F]{1,4}" : "\\d{1,3}")) {
            return Optional.empty();
        }
        int value = Integer.parseInt(part, ipv6 ? 16 : 10);
        if (ipv6) {
            bytes[14] = (byte) (value >> 8);
            bytes[15] = (byte) value;
        } else if (value <= 255) {
            bytes[3] = (byte) value;
        } else {
            return Optional.empty();
        }
        return Optional.of(toAddress(new BigInteger(1, bytes), bytes.length));
    }

    private static InetAddress toAddress(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, bytes, length - copy, copy);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + length + " bytes is always valid", e);
        }
    }
}
