package io.quorumvip.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rtnetlink requests byte for byte, and the decoding of replies, in memory (little-endian hosts). */
class RtNetlinkMessagesTest {
    private static final HexFormat HEX = HexFormat.of();

    @BeforeAll
    static void littleEndianHost() {
        Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN,
                "the expected bytes are written for little-endian hosts (x86_64, aarch64)");
    }

    @Test
    void shouldBuildNewAddressWithLabelBroadcastAndLifetime() throws Exception {
        InterfaceAddress vip = new InterfaceAddress("eth0", InetAddress.getByName("192.0.2.200"), 24, Optional.of("eth0:1"));

        byte[] message = RtNetlinkMessages.newAddress(7, RtNetlinkMessages.ADD_FLAGS, 3, vip, 5);

        assertThat(HEX.formatHex(message)).isEqualTo(
                "50000000" + "1400" + "0506" + "07000000" + "00000000"  // nlmsghdr: RTM_NEWADDR, REQUEST|ACK|EXCL|CREATE
                        + "02180000" + "03000000"                      // ifaddrmsg: AF_INET /24 flags 0 scope 0, ifindex 3
                        + "08000200" + "c00002c8"                      // IFA_LOCAL
                        + "08000100" + "c00002c8"                      // IFA_ADDRESS
                        + "08000400" + "c00002ff"                      // IFA_BROADCAST
                        + "0b000300" + "657468303a3100" + "00"         // IFA_LABEL "eth0:1", padded
                        + "14000600" + "05000000" + "05000000" + "00000000" + "00000000"); // IFA_CACHEINFO
    }

    @Test
    void shouldAskToResolveANeighbourWithUseAndNoState() throws Exception {
        byte[] message = RtNetlinkMessages.resolveNeighbour(9, 4, InetAddress.getByName("192.0.2.51"));

        assertThat(HEX.formatHex(message)).isEqualTo(
                "24000000" + "1c00" + "0505" + "09000000" + "00000000"  // nlmsghdr: RTM_NEWNEIGH, REQUEST|ACK|REPLACE|CREATE
                        + "02000000" + "04000000"                      // ndmsg: AF_INET, ifindex 4
                        + "0000" + "01" + "00"                         // state NUD_NONE, flags NTF_USE, type 0
                        + "08000100" + "c0000233");                    // NDA_DST
    }

    @Test
    void shouldRenewWithReplaceAndForeverLifetimeWithoutBroadcastForSlash32() throws Exception {
        InterfaceAddress vip = new InterfaceAddress("eth0", InetAddress.getByName("192.0.2.201"), 32, Optional.empty());

        byte[] message = RtNetlinkMessages.newAddress(8, RtNetlinkMessages.RENEW_FLAGS, 3, vip, Netlink.INFINITE_LIFETIME);

        assertThat(HEX.formatHex(message)).isEqualTo(
                "3c000000" + "1400" + "0505" + "08000000" + "00000000"  // REQUEST|ACK|REPLACE|CREATE
                        + "02200000" + "03000000"
                        + "08000200" + "c00002c9"
                        + "08000100" + "c00002c9"
                        + "14000600" + "ffffffff" + "ffffffff" + "00000000" + "00000000");
    }

    @Test
    void shouldBuildIpv6NewAddressWithoutBroadcastOrDuplicateAddressDetection() throws Exception {
        InterfaceAddress address = new InterfaceAddress("eth0", InetAddress.getByName("2001:db8::1"), 64, Optional.empty());

        byte[] message = RtNetlinkMessages.newAddress(1, RtNetlinkMessages.ADD_FLAGS, 2, address, 10);

        assertThat(HEX.formatHex(message)).isEqualTo(
                "54000000" + "1400" + "0506" + "01000000" + "00000000"
                        + "0a400200" + "02000000"
                        + "14000200" + "20010db8000000000000000000000001"
                        + "14000100" + "20010db8000000000000000000000001"
                        + "14000600" + "0a000000" + "0a000000" + "00000000" + "00000000");
    }

    @Test
    void shouldBuildDeleteAddressWithoutLabel() throws Exception {
        InterfaceAddress vip = new InterfaceAddress("eth0", InetAddress.getByName("192.0.2.200"), 24, Optional.of("eth0:1"));

        byte[] message = RtNetlinkMessages.deleteAddress(9, 3, vip);

        assertThat(HEX.formatHex(message)).isEqualTo(
                "28000000" + "1500" + "0500" + "09000000" + "00000000"  // RTM_DELADDR, REQUEST|ACK
                        + "02180000" + "03000000"
                        + "08000200" + "c00002c8"
                        + "08000100" + "c00002c8");
    }

    @Test
    void shouldBuildAddressDumpAndLinkRequest() {
        assertThat(HEX.formatHex(RtNetlinkMessages.dumpAddresses(4))).isEqualTo(
                "18000000" + "1600" + "0103" + "04000000" + "00000000" + "00000000" + "00000000");
        assertThat(HEX.formatHex(RtNetlinkMessages.getLink(5, "eth0"))).isEqualTo(
                "2c000000" + "1200" + "0500" + "05000000" + "00000000"
                        + "00000000" + "00000000" + "00000000" + "00000000"  // ifinfomsg, all zero
                        + "09000300" + "6574683000" + "000000");              // IFLA_IFNAME "eth0", padded
    }

    @Test
    void shouldComputeBroadcastForShortPrefixes() {
        byte[] address = {(byte) 192, 0, 2, (byte) 200};
        assertThat(RtNetlinkMessages.broadcast(address, 24)).containsExactly(192, 0, 2, 255);
        assertThat(RtNetlinkMessages.broadcast(address, 30)).containsExactly(192, 0, 2, 203);
        assertThat(RtNetlinkMessages.broadcast(address, 0)).containsExactly(255, 255, 255, 255);
    }

    @Test
    void shouldDecodeAddressFromDumpWithFlagsAttributeAndLifetime() throws Exception {
        ByteBuffer reply = ByteBuffer.wrap(HEX.parseHex(
                "50000000" + "1400" + "0200" + "04000000" + "39300000"
                        + "02180080" + "03000000"                     // /24, header flags 0x80 (permanent), ifindex 3
                        + "08000100" + "c00002c8"
                        + "08000200" + "c00002c8"
                        + "0b000300" + "657468303a3100" + "00"
                        + "08000800" + "01000000"                     // IFA_FLAGS: secondary
                        + "14000600" + "03000000" + "05000000" + "00000000" + "00000000"));

        List<NetlinkMessage> messages = NetlinkMessage.parseAll(reply, reply.capacity());
        KernelAddress address = RtNetlinkMessages.decodeAddress(messages.get(0));

        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).sequence()).isEqualTo(4);
        assertThat(address.address()).isEqualTo(InetAddress.getByName("192.0.2.200"));
        assertThat(address.prefixLength()).isEqualTo(24);
        assertThat(address.ifindex()).isEqualTo(3);
        assertThat(address.secondary()).isTrue();
        assertThat(address.label()).contains("eth0:1");
        assertThat(address.validLifetimeSeconds()).isEqualTo(5);
        assertThat(address.toInterfaceAddress("eth0").label()).contains("eth0:1");
    }

    @Test
    void shouldTreatLabelEqualToDeviceAsNoLabel() throws Exception {
        KernelAddress address = new KernelAddress(3, InetAddress.getByName("192.0.2.11"), 24, 0, Optional.of("eth0"),
                Netlink.INFINITE_LIFETIME);

        assertThat(address.toInterfaceAddress("eth0").label()).isEmpty();
    }

    @Test
    void shouldDecodeLinkStatus() throws Exception {
        ByteBuffer reply = ByteBuffer.wrap(HEX.parseHex(
                "40000000" + "1000" + "0000" + "05000000" + "00000000"
                        + "00000100" + "07000000" + "43100100" + "00000000" // ether, ifindex 7, UP|BROADCAST|RUNNING|MULTICAST|LOWER_UP
                        + "09000300" + "6574683000" + "000000"
                        + "0a000100" + "0242c000020b" + "0000"
                        + "05001000" + "06" + "000000"));                       // IFLA_OPERSTATE UP

        LinkStatus link = RtNetlinkMessages.decodeLink(NetlinkMessage.parseAll(reply, reply.capacity()).get(0));

        assertThat(link).isEqualTo(new LinkStatus("eth0", 7, true, true, OperState.UP,
                new MacAddress(HEX.parseHex("0242c000020b"))));
        assertThat(link.isUp()).isTrue();
        assertThat(link.mac()).hasToString("02:42:c0:00:02:0b");
    }

    @Test
    void shouldDecodeLinkNotificationsOfTheInterfaceItself() throws Exception {
        LinkStatus down = new LinkStatus("eth0", 7, false, false, OperState.DOWN,
                new MacAddress(HEX.parseHex("0242c000020b")));

        Optional<LinkMessage> changed = RtNetlinkMessages.decodeLinkNotification(linkNotification("1000", "00"));
        Optional<LinkMessage> removed = RtNetlinkMessages.decodeLinkNotification(linkNotification("1100", "00"));

        assertThat(changed).contains(new LinkMessage.Changed(down));
        assertThat(removed).contains(new LinkMessage.Removed(down));
    }

    @Test
    void shouldIgnoreTheBridgesPortMessagesAndOtherTypes() throws Exception {
        Optional<LinkMessage> portLeftBridge = RtNetlinkMessages.decodeLinkNotification(linkNotification("1100", "07"));
        Optional<LinkMessage> newAddress = RtNetlinkMessages.decodeLinkNotification(linkNotification("1400", "00"));

        assertThat(portLeftBridge).isEmpty();
        assertThat(newAddress).isEmpty();
    }

    /** A notification (sequence 0, port 0) of {@code type} and {@code family}: ifindex 7 "eth0", down, operstate DOWN. */
    private static NetlinkMessage linkNotification(String type, String family) throws NetlinkFormatException {
        ByteBuffer datagram = ByteBuffer.wrap(HEX.parseHex(
                "40000000" + type + "0000" + "00000000" + "00000000"
                        + family + "000100" + "07000000" + "02100000" + "00000000" // ifindex 7, BROADCAST|MULTICAST
                        + "09000300" + "6574683000" + "000000"
                        + "0a000100" + "0242c000020b" + "0000"
                        + "05001000" + "02" + "000000"));                        // IFLA_OPERSTATE DOWN
        return NetlinkMessage.parseAll(datagram, datagram.capacity()).get(0);
    }

    @Test
    void shouldSayLinkIsDownWithoutCarrierOrWhenAdministrativelyDown() {
        MacAddress mac = new MacAddress(new byte[6]);
        assertThat(new LinkStatus("eth0", 2, true, false, OperState.LOWER_LAYER_DOWN, mac).isUp()).isFalse();
        assertThat(new LinkStatus("eth0", 2, false, false, OperState.DOWN, mac).isUp()).isFalse();
        assertThat(new LinkStatus("lo", 1, true, true, OperState.UNKNOWN, mac).isUp()).isTrue();
    }

    @Test
    void shouldReadErrorCodeAndKernelMessageFromExtendedAck() throws Exception {
        ByteBuffer reply = ByteBuffer.wrap(HEX.parseHex(
                "38000000" + "0200" + "0002" + "09000000" + "00000000"   // NLMSG_ERROR with NLM_F_ACK_TLVS
                        + "efffffff"                                     // error -17
                        + "28000000" + "1400" + "0506" + "09000000" + "00000000" // echoed request header
                        + "13000100" + "6164647265737320657869737473" + "00" + "00")); // "address exists"

        NetlinkMessage error = NetlinkMessage.parseAll(reply, reply.capacity()).get(0);

        assertThat(error.type()).isEqualTo(Netlink.NLMSG_ERROR);
        assertThat(error.errorCode()).isEqualTo(LibC.EEXIST);
        assertThat(error.extendedErrorText()).isEqualTo("address exists");
    }

    @Test
    void shouldRejectMessageWhoseLengthRunsPastTheDatagram() {
        ByteBuffer reply = ByteBuffer.wrap(HEX.parseHex("40000000" + "1400" + "0200" + "01000000" + "00000000"));

        assertThatThrownBy(() -> NetlinkMessage.parseAll(reply, reply.capacity()))
                .isInstanceOf(NetlinkFormatException.class)
                .hasMessage("netlink message at offset 0 claims 64 bytes (expected 16..16)");
    }

    @Test
    void shouldRejectAttributeWhoseLengthRunsPastTheMessage() {
        ByteBuffer payload = ByteBuffer.wrap(HEX.parseHex("02180000" + "03000000" + "20000100" + "c00002c8"));

        assertThatThrownBy(() -> NetlinkAttributes.parse(payload, 8))
                .isInstanceOf(NetlinkFormatException.class)
                .hasMessage("attribute 1 at offset 8 claims 32 bytes (expected 4..8)");
    }

    @Test
    void shouldExplainLabelsTheKernelWouldRefuseOrMisread() throws Exception {
        InetAddress vip = InetAddress.getByName("192.0.2.200");

        assertThat(RtNetlinkMessages.labelProblem(new InterfaceAddress("eth0", vip, 24, Optional.of("eth0:vip")))).isEmpty();
        assertThat(RtNetlinkMessages.labelProblem(new InterfaceAddress("eth0", vip, 24, Optional.of("vip"))))
                .contains("label vip of 192.0.2.200/24 dev eth0 label vip (expected the device name eth0 followed by"
                        + " at most 11 more characters, e.g. eth0:1)");
        assertThat(RtNetlinkMessages.labelProblem(new InterfaceAddress("eth0", vip, 24, Optional.of("eth0:0123456789a"))))
                .isPresent();
        assertThat(RtNetlinkMessages.labelProblem(
                new InterfaceAddress("eth0", InetAddress.getByName("2001:db8::1"), 64, Optional.of("eth0:1"))))
                .contains("label eth0:1 on IPv6 address 2001:db8:0:0:0:0:0:1 (only IPv4 addresses have labels; drop the label)");
    }

    @Test
    void shouldBuildAPrivateMacvlanWithTheVirtualMacOnItsBaseInterface() {
        byte[] mac = HEX.parseHex("00005e000133");

        byte[] message = RtNetlinkMessages.newMacvlan(7, "vrrp.51", 3, mac);

        assertThat(HEX.formatHex(message)).isEqualTo(
                "5c000000" + "1000" + "0506" + "07000000" + "00000000"  // nlmsghdr: RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE
                        + "00000000" + "00000000" + "00000000" + "00000000" // ifinfomsg: AF_UNSPEC, no index
                        + "1c001200"                                   // IFLA_LINKINFO
                        + "0c000100" + "6d6163766c616e00"              //   IFLA_INFO_KIND "macvlan"
                        + "0c000200"                                   //   IFLA_INFO_DATA
                        + "08000100" + "01000000"                      //     IFLA_MACVLAN_MODE private
                        + "08000500" + "03000000"                      // IFLA_LINK 3
                        + "0c000300" + "767272702e353100"              // IFLA_IFNAME "vrrp.51"
                        + "0a000100" + "00005e000133" + "0000");       // IFLA_ADDRESS, padded
    }

    @Test
    void shouldSetIpv4InterfaceSettingsInNestedAttributes() {
        byte[] message = RtNetlinkMessages.setIpv4Conf(9, 4, Netlink.IPV4_DEVCONF_ARP_IGNORE, 1,
                Netlink.IPV4_DEVCONF_ARPFILTER, 1);

        assertThat(HEX.formatHex(message)).isEqualTo(
                "3c000000" + "1000" + "0500" + "09000000" + "00000000"  // nlmsghdr: RTM_NEWLINK, REQUEST|ACK
                        + "00000000" + "04000000" + "00000000" + "00000000" // ifinfomsg: ifindex 4
                        + "1c001a00"                                   // IFLA_AF_SPEC
                        + "18000200"                                   //   AF_INET
                        + "14000100"                                   //     IFLA_INET_CONF
                        + "08001300" + "01000000"                      //       arp_ignore 1
                        + "08000d00" + "01000000");                    //       arp_filter 1
        assertThatThrownBy(() -> RtNetlinkMessages.setIpv4Conf(1, 4, Netlink.IPV4_DEVCONF_ARP_IGNORE))
                .hasMessageContaining("expected pairs");
    }

    @Test
    void shouldTurnOffTheAutomaticIpv6LinkLocalAddressAndBringALinkUp() {
        assertThat(HEX.formatHex(RtNetlinkMessages.disableIpv6LinkLocal(2, 5))).isEqualTo(
                "30000000" + "1000" + "0500" + "02000000" + "00000000"
                        + "00000000" + "05000000" + "00000000" + "00000000"
                        + "10001a00" + "0c000a00" + "05000800" + "01000000"); // AF_SPEC / AF_INET6 / ADDR_GEN_MODE none
        assertThat(HEX.formatHex(RtNetlinkMessages.setUp(3, 5))).isEqualTo(
                "20000000" + "1000" + "0500" + "03000000" + "00000000"
                        + "00000000" + "05000000" + "01000000" + "01000000"); // flags IFF_UP, change IFF_UP
        assertThat(HEX.formatHex(RtNetlinkMessages.deleteLink(4, 5))).isEqualTo(
                "20000000" + "1100" + "0500" + "04000000" + "00000000"
                        + "00000000" + "05000000" + "00000000" + "00000000");
    }

    @Test
    void shouldDecodeTheKindAndParentOfALink() throws Exception {
        byte[] request = RtNetlinkMessages.newMacvlan(7, "vrrp.51", 3, HEX.parseHex("00005e000133"));
        NetlinkMessage message = NetlinkMessage.parseAll(ByteBuffer.wrap(request), request.length).get(0);

        RtNetlinkMessages.LinkKind kind = RtNetlinkMessages.decodeLinkKind(message);

        assertThat(kind.kind()).contains("macvlan");
        assertThat(kind.parentIndex()).isEqualTo(3);
        assertThat(RtNetlinkMessages.decodeLink(message).mac()).hasToString("00:00:5e:00:01:33");
    }
}
