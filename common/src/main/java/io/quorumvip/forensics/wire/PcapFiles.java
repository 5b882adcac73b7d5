package io.quorumvip.forensics.wire;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads classic pcap files (either byte order, micro- or nanosecond timestamps, link type Ethernet) and writes them
 * with {@link PcapWriter}. The agent names its rolling files {@code NODE@INTERFACE-STARTMICROS.pcap}; the part
 * before the last dash labels the frames.
 */
public final class PcapFiles {

    /** The agent's file name: node and interface, then when the file was opened (µs since 1970). */
    private static final Pattern AGENT_FILE = Pattern.compile("(.+)-(\\d+)\\.pcap");

    private PcapFiles() {
    }

    /** The file name the agent gives the capture of {@code node} on {@code device} opened at {@code micros}. */
    public static String fileName(String node, String device, long micros) {
        return node + "@" + device + "-" + micros + ".pcap";
    }

    /** {@code node@interface} for an agent's file, else the file name itself. */
    public static String label(Path file) {
        String name = file.getFileName().toString();
        Matcher matcher = AGENT_FILE.matcher(name);
        return matcher.matches() ? matcher.group(1) : name;
    }

    /** The agent's files in {@code dir}, oldest first (by the start in the name, then by name). */
    public static List<Path> inDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("capture directory " + dir + " does not exist or is not a directory");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".pcap") && Files.isRegularFile(f))
                    .sorted(Comparator.comparingLong(PcapFiles::startMicros).thenComparing(Path::toString))
                    .toList();
        }
    }

    /** When the agent opened {@code file}, from its name; 0 for a file not named by the agent. */
    public static long startMicros(Path file) {
        Matcher matcher = AGENT_FILE.matcher(file.getFileName().toString());
        return matcher.matches() && matcher.group(2).length() < 19 ? Long.parseLong(matcher.group(2)) : 0;
    }

    /**
     * Every frame of {@code file}, labelled with {@link #label}. A last record cut short (the agent was writing it
     * when it stopped) ends the file quietly; anything else malformed is an error naming the file and offset.
     */
    public static List<CapturedFrame> read(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        String label = label(file);
        if (bytes.remaining() < PcapWriter.FILE_HEADER_LENGTH) {
            throw new IOException("pcap file " + file + " is " + bytes.remaining()
                    + " bytes long (expected at least " + PcapWriter.FILE_HEADER_LENGTH + " for the file header)");
        }
        int magic = bytes.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic != PcapWriter.MAGIC_MICROS && magic != PcapWriter.MAGIC_NANOS) {
            bytes.order(ByteOrder.BIG_ENDIAN);
            magic = bytes.getInt(0);
        }
        if (magic != PcapWriter.MAGIC_MICROS && magic != PcapWriter.MAGIC_NANOS) {
            throw new IOException("pcap file " + file + ": magic " + String.format("0x%08x", magic)
                    + " (expected a classic pcap file, 0xa1b2c3d4 or 0xa1b23c4d; convert pcapng with editcap -F pcap)");
        }
        long divisor = magic == PcapWriter.MAGIC_NANOS ? 1000 : 1;
        int linkType = bytes.getInt(20) & 0x0fffffff;
        if (linkType != PcapWriter.LINKTYPE_ETHERNET) {
            throw new IOException("pcap file " + file + ": link type " + linkType + " (expected "
                    + PcapWriter.LINKTYPE_ETHERNET + ", Ethernet)");
        }
        List<CapturedFrame> frames = new ArrayList<>();
        int at = PcapWriter.FILE_HEADER_LENGTH;
        while (bytes.limit() - at >= PcapWriter.RECORD_HEADER_LENGTH) {
            long seconds = bytes.getInt(at) & 0xffffffffL;
            long fraction = bytes.getInt(at + 4) & 0xffffffffL;
            int captured = bytes.getInt(at + 8);
            if (captured < 0 || captured > PcapWriter.SNAP_LENGTH) {
                throw new IOException("pcap file " + file + " at offset " + at + ": captured length " + captured
                        + " (expected 0.." + PcapWriter.SNAP_LENGTH + ")");
            }
            int data = at + PcapWriter.RECORD_HEADER_LENGTH;
            if (bytes.limit() - data < captured) {
                break;
            }
            byte[] frame = new byte[captured];
            bytes.get(data, frame);
            frames.add(new CapturedFrame(label, seconds * 1_000_000 + fraction / divisor, frame));
            at = data + captured;
        }
        return frames;
    }

    /** Every frame in the agent's files of every directory, each directory's files in order. */
    public static List<CapturedFrame> readDirectories(Collection<Path> dirs) throws IOException {
        List<CapturedFrame> frames = new ArrayList<>();
        for (Path dir : dirs) {
            for (Path file : inDirectory(dir)) {
                frames.addAll(read(file));
            }
        }
        return frames;
    }

    /** Writes {@code frames} to {@code file} in the order given, replacing it. */
    public static void write(Path file, Collection<CapturedFrame> frames) throws IOException {
        try (PcapWriter writer = new PcapWriter(new BufferedOutputStream(Files.newOutputStream(file)))) {
            for (CapturedFrame frame : frames) {
                writer.write(frame);
            }
        }
    }
}
