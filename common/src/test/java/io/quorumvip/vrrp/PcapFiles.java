package io.quorumvip.vrrp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes datagrams into a classic libpcap file that tshark and tcpdump read (for tests here and in other modules). */
public final class PcapFiles {

    /** LINKTYPE_RAW: each record is an IP datagram with no link-layer header. */
    private static final int LINKTYPE_RAW = 101;

    private PcapFiles() {
    }

    /** Writes {@code ipDatagrams} one per record, a second apart, as a little-endian pcap 2.4 file. */
    public static void writeRawIp(Path file, List<byte[]> ipDatagrams) throws IOException {
        int size = 24 + ipDatagrams.stream().mapToInt(datagram -> 16 + datagram.length).sum();
        ByteBuffer pcap = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        pcap.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535)
                .putInt(LINKTYPE_RAW);
        int second = 0;
        for (byte[] datagram : ipDatagrams) {
            pcap.putInt(second++).putInt(0).putInt(datagram.length).putInt(datagram.length).put(datagram);
        }
        Files.write(file, pcap.array());
    }
}
