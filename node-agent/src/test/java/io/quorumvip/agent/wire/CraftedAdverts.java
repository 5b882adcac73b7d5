package io.quorumvip.agent.wire;

import io.quorumvip.lab.JavaMain;
import io.quorumvip.lab.LabHost;
import io.quorumvip.vrrp.AuthType;
import io.quorumvip.vrrp.DropReason;
import io.quorumvip.vrrp.Ipv4Datagrams;
import io.quorumvip.vrrp.VrrpCodec;
import io.quorumvip.vrrp.VrrpPacket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Arrays;
import java.util.List;

/**
 * IPv4 datagrams carrying VRRP adverts for the pair samples' instance (VRID 66, version 2, auth PASS 1111,
 * advert_int 1, VIP 192.0.2.200), sent as if from n2 with priority 254. Each defective one differs from the valid one
 * in exactly one way, so that only that defect can stop a MASTER of priority 150 from stepping down.
 */
final class CraftedAdverts {

    static final int VRID = 66;
    static final int PRIORITY = 254;
    static final String PASSWORD = "1111";
    static final Inet4Address VIP = ipv4("192.0.2.200");
    static final Inet4Address OTHER_VIP = ipv4("192.0.2.201");
    static final Inet4Address GROUP = ipv4("224.0.0.18");

    private static final int IP_HEADER = 20;

    /** One crafted datagram, the defect it carries and the reason the agent must count its drop under. */
    record Crafted(String defect, DropReason reason, byte[] datagram) {
        @Override
        public String toString() {
            return defect + " -> " + reason;
        }
    }

    private CraftedAdverts() {
    }

    /** The advert n1 must obey: same instance, higher priority, nothing wrong. */
    static byte[] valid(Inet4Address source) {
        return Ipv4Datagrams.of(v2(source, VRID, 1, AuthType.SIMPLE_TEXT, PASSWORD, List.of(VIP)));
    }

    static List<Crafted> defective(Inet4Address source) {
        byte[] valid = valid(source);
        byte[] message = Arrays.copyOfRange(valid, IP_HEADER, valid.length);
        return List.of(
                new Crafted("VRRP checksum off by one bit", DropReason.BAD_CHECKSUM, flipChecksumBit(valid)),
                new Crafted("VRID 99, not configured here", DropReason.UNKNOWN_VRID,
                        Ipv4Datagrams.of(v2(source, 99, 1, AuthType.SIMPLE_TEXT, PASSWORD, List.of(VIP)))),
                new Crafted("IP TTL 64", DropReason.TTL_NOT_255,
                        Ipv4Datagrams.wrap(message, source, GROUP, 64, VrrpCodec.IP_PROTOCOL)),
                new Crafted("VRRP message cut to 6 bytes", DropReason.TRUNCATED,
                        rewrap(Arrays.copyOf(message, 6), source)),
                new Crafted("VRRP message without its 8 auth bytes", DropReason.LENGTH_MISMATCH,
                        rewrap(withV2Checksum(Arrays.copyOf(message, message.length - 8)), source)),
                new Crafted("auth_pass 2222", DropReason.AUTH_MISMATCH,
                        Ipv4Datagrams.of(v2(source, VRID, 1, AuthType.SIMPLE_TEXT, "2222", List.of(VIP)))),
                new Crafted("auth_type none", DropReason.AUTH_TYPE_MISMATCH,
                        Ipv4Datagrams.of(v2(source, VRID, 1, AuthType.NONE, "", List.of(VIP)))),
                new Crafted("advert_int 2", DropReason.ADVERT_INTERVAL_MISMATCH,
                        Ipv4Datagrams.of(v2(source, VRID, 2, AuthType.SIMPLE_TEXT, PASSWORD, List.of(VIP)))),
                new Crafted("VIP 192.0.2.201 instead of 192.0.2.200", DropReason.ADDRESS_LIST_MISMATCH,
                        Ipv4Datagrams.of(v2(source, VRID, 1, AuthType.SIMPLE_TEXT, PASSWORD, List.of(OTHER_VIP)))),
                new Crafted("VRRP version 3 for a version 2 VRID", DropReason.VERSION_MISMATCH,
                        Ipv4Datagrams.of(VrrpPacket.v3Advert(VRID, PRIORITY, 100, List.of(VIP), source))),
                new Crafted("VRRP version 4", DropReason.BAD_VERSION,
                        rewrap(withV2Checksum(withFirstByte(message, 0x41)), source)),
                new Crafted("VRRP type 2", DropReason.BAD_TYPE,
                        rewrap(withV2Checksum(withFirstByte(message, 0x22)), source)));
    }

    private static VrrpPacket v2(Inet4Address source, int vrid, int intervalSeconds, AuthType authType,
            String password, List<Inet4Address> addresses) {
        return VrrpPacket.v2Advert(vrid, PRIORITY, intervalSeconds, addresses, authType, password, source);
    }

    private static byte[] flipChecksumBit(byte[] datagram) {
        byte[] damaged = datagram.clone();
        damaged[IP_HEADER + 7] ^= 1;
        return damaged;
    }

    private static byte[] withFirstByte(byte[] message, int versionAndType) {
        byte[] changed = message.clone();
        changed[0] = (byte) versionAndType;
        return changed;
    }

    /** A correct IPv4 header (TTL 255, to 224.0.0.18) around any message. */
    private static byte[] rewrap(byte[] message, Inet4Address source) {
        return Ipv4Datagrams.wrap(message, source, GROUP);
    }

    /**
     * The message with its version 2 checksum (RFC 3768 §5.3.8, over the message alone) recomputed, so a field
     * changed on purpose is its only defect. Written here, the plain RFC 1071 way, rather than borrowed from the
     * codec under test.
     */
    private static byte[] withV2Checksum(byte[] message) {
        byte[] fixed = message.clone();
        fixed[6] = 0;
        fixed[7] = 0;
        int sum = 0;
        for (int i = 0; i < fixed.length; i += 2) {
            sum += (fixed[i] & 0xff) << 8 | (i + 1 < fixed.length ? fixed[i + 1] & 0xff : 0);
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        int checksum = ~sum & 0xffff;
        fixed[6] = (byte) (checksum >> 8);
        fixed[7] = (byte) checksum;
        return fixed;
    }

    static Inet4Address ipv4(String address) {
        try {
            return (Inet4Address) InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("IPv4 literal " + address + " (expected a dotted quad)", e);
        }
    }

    /** Runs {@link RawDatagramSenderMain} in {@code host}'s namespace; fails with its output unless it sent them all. */
    static void inject(LabHost host, List<byte[]> datagrams) {
        JavaMain sender = JavaMain.of(RawDatagramSenderMain.class.getName());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(sender.jvmOptions());
        command.addAll(List.of("-cp", sender.classpath(), sender.mainClass(), "eth0"));
        datagrams.stream().map(HexFormat.of()::formatHex).forEach(command::add);
        host.exec(command.toArray(String[]::new)).requireSuccess();
    }
}
