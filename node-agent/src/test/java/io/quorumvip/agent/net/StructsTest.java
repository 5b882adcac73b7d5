package io.quorumvip.agent.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Struct layouts against the sizes and offsets a C program printed from the Linux headers (x86_64). */
class StructsTest {
    private static final HexFormat HEX = HexFormat.of();

    @BeforeAll
    static void littleEndianHost() {
        Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN,
                "the expected bytes are written for little-endian hosts (x86_64, aarch64)");
    }

    @Test
    void shouldLayOutSockaddrIn() throws Exception {
        Inet4Address address = (Inet4Address) InetAddress.getByName("192.0.2.11");

        assertThat(HEX.formatHex(bytes(Structs.sockaddrIn(address))))
                .isEqualTo("0200" + "0000" + "c000020b" + "0000000000000000");
    }

    @Test
    void shouldLayOutIpMreqnWithIfindexAtOffsetEight() throws Exception {
        Inet4Address group = (Inet4Address) InetAddress.getByName("224.0.0.18");
        Inet4Address local = (Inet4Address) InetAddress.getByName("192.0.2.11");

        assertThat(HEX.formatHex(bytes(Structs.ipMreqn(group, local, 5))))
                .isEqualTo("e0000012" + "c000020b" + "05000000");
    }

    @Test
    void shouldLayOutSockaddrLlWithProtocolInNetworkOrder() {
        assertThat(HEX.formatHex(bytes(Structs.sockaddrLl(4, LibC.ETH_P_ARP, GratuitousArp.BROADCAST))))
                .isEqualTo("1100" + "0806" + "04000000" + "0000" + "00" + "06" + "ffffffffffff0000");
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.capacity()];
        buffer.get(0, out);
        return out;
    }

    @Test
    void shouldLayOutSockaddrNl() {
        assertThat(HEX.formatHex(bytes(Structs.sockaddrNl()))).isEqualTo("1000" + "0000" + "00000000" + "00000000");
    }

    @Test
    void shouldLayOutATcpEndpointWithItsPortInNetworkOrder() throws Exception {
        assertThat(HEX.formatHex(bytes(Structs.sockaddr(new InetSocketAddress("198.51.100.51", 20001)))))
                .isEqualTo("0200" + "4e21" + "c6336433" + "0000000000000000");
        assertThat(HEX.formatHex(bytes(Structs.sockaddr(new InetSocketAddress("2001:db8::12", 443)))))
                .isEqualTo("0a00" + "01bb" + "00000000" + "20010db8000000000000000000000012" + "00000000");
        assertThat(Structs.sockaddrLength(InetAddress.getByName("2001:db8::12"))).isEqualTo(28);
        assertThat(Structs.sockaddrLength(InetAddress.getByName("198.51.100.51"))).isEqualTo(16);
    }
}
