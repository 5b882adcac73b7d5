package io.quorumvip.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;

/** A gratuitous ARP from one namespace, captured byte for byte and applied by the kernel in the other (root only). */
class PacketSocketArpAnnouncerTest {
    private static final Inet4Address VIP = RawVrrpSocketTest.ipv4("192.0.2.200");
    private static final String STALE_MAC = "02:00:00:00:00:01";

    private static VethLab lab;

    @BeforeAll
    static void createLab() throws Exception {
        VethLab.assumeRootAndIp();
        lab = VethLab.create();
    }

    @AfterAll
    static void removeLab() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void shouldSendTheKeepalivedFrameAndMoveThePeersNeighbourEntry() throws Exception {
        VethLab.ip("-n", lab.nsB, "neigh", "replace", VIP.getHostAddress(), "lladdr", STALE_MAC, "dev", "eth0", "nud", "stale");
        MacAddress macA = lab.inA(() -> {
            try (NetlinkLinkState links = NetlinkLinkState.open()) {
                return links.macAddress("eth0");
            }
        });
        int capture = lab.inB(PacketSocketArpAnnouncerTest::openArpCapture);
        try (PacketSocketArpAnnouncer announcer = lab.inA(PacketSocketArpAnnouncer::open)) {
            lab.inA(() -> {
                announcer.announce("eth0", VIP);
                return null;
            });

            byte[] frame = captureGratuitousArp(capture, Duration.ofSeconds(5));

            assertThat(frame).isEqualTo(GratuitousArp.frame(macA, VIP));
            assertThat(neighbourMacInB()).isEqualTo(macA.toString());
        } finally {
            LibC.INSTANCE.close(capture);
        }
    }

    @Test
    void shouldNameTheDeviceWhenItDoesNotExist() throws Exception {
        try (PacketSocketArpAnnouncer announcer = lab.inA(PacketSocketArpAnnouncer::open)) {
            assertThatThrownBy(() -> lab.inA(() -> {
                announcer.announce("nosuch0", VIP);
                return null;
            }))
                    .isInstanceOf(IOException.class)
                    .hasMessage("RTM_GETLINK nosuch0 failed: No such device (errno 19) — check the interface name (ip link show)");
        }
    }

    /** An AF_PACKET socket receiving every ARP frame of the namespace (protocol ETH_P_ARP in network order). */
    private static int openArpCapture() throws IOException {
        int fd = LibC.INSTANCE.socket(LibC.AF_PACKET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, Short.toUnsignedInt(
                Short.reverseBytes((short) LibC.ETH_P_ARP)));
        if (fd < 0) {
            throw new IOException("socket(AF_PACKET) for the capture failed: " + LibC.lastErrorText());
        }
        return fd;
    }

    /** Reads ARP frames until one announces the VIP (sender IP = target IP = VIP); other ARP traffic is skipped. */
    private static byte[] captureGratuitousArp(int fd, Duration bound) throws IOException {
        ByteBuffer buffer = Structs.allocate(2048);
        ByteBuffer pollFd = Structs.allocate(8);
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            pollFd.putInt(0, fd).putShort(4, LibC.POLLIN).putShort(6, (short) 0);
            if (LibC.INSTANCE.poll(pollFd, 1, 100) <= 0) {
                continue;
            }
            buffer.clear();
            long length = LibC.INSTANCE.recv(fd, buffer, 2048, LibC.MSG_DONTWAIT);
            if (length < GratuitousArp.FRAME_SIZE) {
                continue;
            }
            byte[] frame = new byte[(int) length];
            buffer.get(0, frame);
            byte[] vip = VIP.getAddress();
            if (Arrays.equals(Arrays.copyOfRange(frame, 28, 32), vip) && Arrays.equals(Arrays.copyOfRange(frame, 38, 42), vip)) {
                return frame;
            }
        }
        throw new AssertionError("no gratuitous ARP for " + VIP.getHostAddress() + " seen within " + bound);
    }

    private static String neighbourMacInB() throws Exception {
        JsonArray entries = new JsonArray(VethLab.ip("-n", lab.nsB, "-j", "neigh", "show", VIP.getHostAddress(), "dev", "eth0"));
        return entries.isEmpty() ? "" : entries.getJsonObject(0).getString("lladdr");
    }
}
