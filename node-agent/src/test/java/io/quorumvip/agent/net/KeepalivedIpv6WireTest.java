package io.quorumvip.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quorumvip.vrrp.VrrpDecodeResult;
import io.quorumvip.vrrp.VrrpPacket;
import java.io.IOException;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VRRPv3 over IPv6 on the wire against keepalived 2.2.7, both ways: our socket and codec accept keepalived's IPv6
 * adverts, and keepalived obeys ours (it leaves MASTER and drops its IPv6 VIP while we advertise a higher priority,
 * and takes over again when we stop). tshark dissects our advert as valid. Two namespaces over a veth pair.
 */
class KeepalivedIpv6WireTest {

    private static final String VIP = "2001:db8::200";

    @TempDir
    Path dir;

    @Test
    void shouldInteroperateWithKeepalivedOverIpv6BothWays() throws Exception {
        VethLab.assumeRootAndIp();
        assumeTrue(onPath("keepalived") && onPath("tshark"), "needs keepalived and tshark (scripts/install-deps)");
        try (VethLab lab = VethLab.create()) {
            lab.enableIpv6();
            Path conf = Files.writeString(dir.resolve("keepalived.conf"), """
                    global_defs {
                        router_id ka6
                    }
                    vrrp_instance VI_6 {
                        state BACKUP
                        interface eth0
                        virtual_router_id 52
                        priority 100
                        advert_int 1
                        virtual_ipaddress {
                            2001:db8::200/64
                        }
                    }
                    """);
            Process keepalived = start(dir.resolve("keepalived.log"), "ip", "netns", "exec", lab.nsB, "keepalived",
                    "--vrrp", "-n", "-l", "-D", "-f", conf.toString(), "-p", dir.resolve("k.pid").toString(),
                    "-r", dir.resolve("v.pid").toString());
            try (RawVrrp6Socket ours = lab.inA(() -> RawVrrp6Socket.open("eth0", Optional.empty(), List.of()))) {
                VrrpPacket theirs = awaitKeepalivedAdvert(ours);
                assertThat(theirs.source()).isEqualTo(lab.linkLocalB());
                assertThat(theirs.priority()).isEqualTo(100);
                awaitTrue("keepalived MASTER with " + VIP + " on its eth0", () -> holdsVip(lab.nsB));

                Process capture = start(dir.resolve("tshark.txt"), "ip", "netns", "exec", lab.nsA, "tshark", "-i",
                        "eth0", "-f", "ip6 proto 112 and src host " + ours.source().getHostAddress(), "-c", "1", "-V",
                        "-a", "duration:20");
                Thread.sleep(1500);
                VrrpPacket advert = VrrpPacket.v3Advert(52, 200, 100, List.of(RawVrrp6SocketTest.VIP), ours.source());
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (holdsVip(lab.nsB) && System.nanoTime() < until) {
                    RawVrrp6SocketTest.send(ours, advert, RawVrrp6Socket.VRRP_GROUP);
                    Thread.sleep(500);
                }
                assertThat(holdsVip(lab.nsB)).as("keepalived still holds " + VIP + " under our priority 200").isFalse();
                for (int i = 0; i < 4; i++) {
                    RawVrrp6SocketTest.send(ours, advert, RawVrrp6Socket.VRRP_GROUP);
                    Thread.sleep(500);
                }
                assertThat(holdsVip(lab.nsB)).as("keepalived stays BACKUP while we advertise").isFalse();
                assertThat(Files.readString(dir.resolve("keepalived.log"))).contains("Entering BACKUP STATE");

                awaitTrue("keepalived takes over again once we are silent", () -> holdsVip(lab.nsB));
                assertThat(capture.waitFor(20, TimeUnit.SECONDS)).as("tshark captured our advert").isTrue();
                assertThat(Files.readString(dir.resolve("tshark.txt")))
                        .contains("Hop Limit: 255", "Destination Address: ff02::12", "Version 3, Packet type 1",
                                "Priority: 200", "[Checksum Status: Good]", "IPv6 Address: 2001:db8::200");
            } finally {
                stop(keepalived);
            }
        }
    }

    private static VrrpPacket awaitKeepalivedAdvert(RawVrrp6Socket socket) throws IOException {
        List<VrrpDecodeResult> seen = new ArrayList<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < until) {
            ByteBuffer into = ByteBuffer.allocate(2048);
            if (socket.receive(into, 1000) > 0) {
                VrrpDecodeResult result = io.quorumvip.vrrp.VrrpCodec.decode(into.flip(),
                        RawVrrp6SocketTest.EXPECTATIONS);
                if (result instanceof VrrpPacket packet) {
                    return packet;
                }
                seen.add(result);
            }
        }
        throw new AssertionError("no valid advert from keepalived within 20 s; dropped: " + seen);
    }

    private static boolean holdsVip(String namespace) {
        try {
            return VethLab.ip("-n", namespace, "-6", "addr", "show", "dev", "eth0").contains(VIP + "/64");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot list the addresses in " + namespace, e);
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within 20 s").isLessThan(until);
            Thread.sleep(100);
        }
    }

    private static Process start(Path output, String... command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** SIGTERM keepalived and its VRRP child by PID, then SIGKILL whatever is left. */
    private static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(0, process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                handle.destroyForcibly();
            }
        }
    }

    private static boolean onPath(String tool) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(directory, tool))) {
                return true;
            }
        }
        return false;
    }
}
