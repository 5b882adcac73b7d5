package io.quorumvip.forensics.wire;

import static io.quorumvip.forensics.wire.WireFrames.N1;
import static io.quorumvip.forensics.wire.WireFrames.N1_MAC;
import static io.quorumvip.forensics.wire.WireFrames.N2;
import static io.quorumvip.forensics.wire.WireFrames.N2_MAC;
import static io.quorumvip.forensics.wire.WireFrames.VIP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapFilesTest {

    private static final long T0 = 1_763_700_000_123_456L;

    @TempDir
    Path dir;

    @Test
    void framesShouldComeBackAsWrittenWithTheirMicrosecondsAndTheAgentsLabel() throws IOException {
        Path file = dir.resolve(PcapFiles.fileName("n1", "eth0", T0));
        List<CapturedFrame> written = List.of(
                new CapturedFrame("x", T0, WireFrames.advert(N1, N1_MAC, 150)),
                new CapturedFrame("x", T0 + 1_000_001, WireFrames.arp(1, VIP, N2_MAC, VIP)));

        PcapFiles.write(file, written);
        List<CapturedFrame> read = PcapFiles.read(file);

        assertThat(file.getFileName().toString()).isEqualTo("n1@eth0-" + T0 + ".pcap");
        assertThat(Files.size(file)).isEqualTo(24 + 2 * (16 + 60));
        assertThat(read).hasSize(2);
        assertThat(read).extracting(CapturedFrame::capture).containsOnly("n1@eth0");
        assertThat(read).extracting(CapturedFrame::micros).containsExactly(T0, T0 + 1_000_001);
        assertThat(read.get(1).frame()).isEqualTo(written.get(1).frame());
    }

    @Test
    void aRecordCutShortByAStoppedWriterShouldEndTheFileQuietly() throws IOException {
        Path file = dir.resolve("cut.pcap");
        PcapFiles.write(file, List.of(new CapturedFrame("x", T0, WireFrames.advert(N1, N1_MAC, 150)),
                new CapturedFrame("x", T0 + 1, WireFrames.advert(N2, N2_MAC, 100))));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 7));

        assertThat(PcapFiles.read(file)).hasSize(1);
        assertThat(PcapFiles.label(file)).isEqualTo("cut.pcap");
    }

    @Test
    void aBigEndianNanosecondFileShouldBeRead() throws IOException {
        byte[] frame = WireFrames.advert(N1, N1_MAC, 150);
        ByteBuffer pcap = ByteBuffer.allocate(24 + 16 + frame.length).order(ByteOrder.BIG_ENDIAN);
        pcap.putInt(0xa1b23c4d).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1)
                .putInt(1_763_700_000).putInt(123_456_789).putInt(frame.length).putInt(frame.length).put(frame);
        Path file = dir.resolve("nanos.pcap");
        Files.write(file, pcap.array());

        assertThat(PcapFiles.read(file)).extracting(CapturedFrame::micros).containsExactly(1_763_700_000_123_456L);
    }

    @Test
    void aFileThatIsNotClassicEthernetPcapShouldBeRefusedByName() throws IOException {
        Path pcapng = dir.resolve("capture.pcapng");
        Files.write(pcapng, new byte[] {0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0});
        Path rawIp = dir.resolve("raw.pcap");
        Files.write(rawIp, ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(0xa1b2c3d4)
                .putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(101).array());

        assertThatThrownBy(() -> PcapFiles.read(pcapng)).hasMessageContaining("capture.pcapng: magic 0x0a0d0d0a")
                .hasMessageContaining("editcap -F pcap");
        assertThatThrownBy(() -> PcapFiles.read(rawIp)).hasMessageContaining("link type 101 (expected 1, Ethernet)");
        assertThatThrownBy(() -> PcapFiles.inDirectory(dir.resolve("missing"))).hasMessageContaining("missing");
    }

    @Test
    void theAgentsFilesShouldBeReadOldestFirst() throws IOException {
        Path newer = dir.resolve(PcapFiles.fileName("n1", "eth0", T0 + 10));
        Path older = dir.resolve(PcapFiles.fileName("n1", "eth0", T0 + 9));
        PcapFiles.write(newer, List.of(new CapturedFrame("x", T0 + 20, WireFrames.advert(N1, N1_MAC, 150))));
        PcapFiles.write(older, List.of(new CapturedFrame("x", T0 + 10, WireFrames.advert(N1, N1_MAC, 150))));
        Files.writeString(dir.resolve("notes.txt"), "not a capture");

        assertThat(PcapFiles.inDirectory(dir)).containsExactly(older, newer);
        assertThat(PcapFiles.readDirectories(List.of(dir))).extracting(CapturedFrame::micros)
                .containsExactly(T0 + 10, T0 + 20);
    }

    @Test
    void tsharkShouldReadTheWrittenFileWithItsAdvertsAndArp() throws Exception {
        assumeTrue(tsharkInstalled(), "tshark is not installed (apt-get install tshark) so Wireshark cannot judge");
        Path file = dir.resolve("export.pcap");
        PcapFiles.write(file, List.of(new CapturedFrame("x", T0, WireFrames.advert(N1, N1_MAC, 150)),
                new CapturedFrame("x", T0 + 500_000, WireFrames.arp(1, VIP, N2_MAC, VIP)),
                new CapturedFrame("x", T0 + 1_000_000, WireFrames.advert(N2, N2_MAC, 100))));

        Process tshark = new ProcessBuilder("tshark", "-r", file.toString(), "-T", "fields", "-E", "separator=,",
                "-e", "frame.time_epoch", "-e", "ip.src", "-e", "vrrp.prio", "-e", "arp.src.proto_ipv4")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(tshark.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(tshark.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(tshark.exitValue()).as(output).isZero();
        assertThat(output.lines().toList()).containsExactly(
                "1763700000.123456000,192.0.2.11,150,",
                "1763700000.623456000,,,192.0.2.200",
                "1763700001.123456000,192.0.2.12,100,");
    }

    private static boolean tsharkInstalled() throws InterruptedException {
        try {
            return new ProcessBuilder("tshark", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
