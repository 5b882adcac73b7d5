package io.quorumvip.agent.capture;

import io.quorumvip.forensics.wire.CaptureRetention;
import io.quorumvip.forensics.wire.PcapFiles;
import io.quorumvip.forensics.wire.PcapWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapHandle.BlockingMode;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.RawPacketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's rolling capture of VRRP, ARP and IPv6 Neighbour Advertisements on each VRRP interface, for
 * {@code qvip forensics --captures}: libpcap (pcap4j) with a kernel filter, one thread per interface that drains
 * the ring every {@value #IDLE_WAIT_MILLIS} ms, or every {@value #BUSY_WAIT_MILLIS} ms while frames come fast (the
 * kernel stamps each frame when it arrives, so the wait costs no precision), files
 * {@code NODE@INTERFACE-STARTMICROS.pcap} written by the pure {@link PcapWriter}, rotated by size and age and kept
 * within {@link CaptureSettings}' bounds. Evidence only: a capture that cannot start or fails (no libpcap, no
 * permission, a full disk) is logged once and stops; the agent goes on.
 */
public final class WireCapture implements AutoCloseable {

    /** VRRP over IPv4 and IPv6 (libpcap's {@code vrrp} is IPv4 only), ARP, and Neighbour Advertisements. */
    static final String FILTER = "vrrp or ip6 proto 112 or arp or (icmp6 and ip6[40] == 136)";
    /**
     * A whole frame at a 1500-byte MTU with a VLAN tag: every advert that fits a link. The ring is most of what capture
     * adds to the agent's memory, and its slots are whole pages: libpcap 1.10 puts 68 bytes of its own before each
     * frame, so up to 1,980 bytes two slots share a 4 KiB page, and at 2,048 each slot took a page of its own (a
     * 1 MiB ring mapped 1.9 MiB, all of it resident once the ring had gone round).
     */
    static final int SNAP_LENGTH = 1_980;
    /** The kernel ring: 512 slots of {@link #SNAP_LENGTH}, room for a take-over of 100 addresses' announcements. */
    private static final int RING_BYTES = 1 << 20;
    /**
     * How long the thread waits once the ring is empty. Each drain costs far more than its frames (pcap4j makes a
     * new JNA call-back, a native closure, for every {@code pcap_dispatch}), so an idle interface is drained once a
     * second. Non-blocking reads, because a blocking read on an idle interface never returns at libpcap 1.10's read
     * timeout; immediate mode, so that a frame is readable as soon as it is captured and the last drain at close()
     * finds the frames of the agent's stop.
     */
    static final int IDLE_WAIT_MILLIS = 1_000;
    /** The wait while frames come fast, so that a wait leaves most of the ring free for a take-over's burst. */
    static final int BUSY_WAIT_MILLIS = 250;
    /** More frames than this (a quarter of the ring) since the last wait: the next wait is the busy one. */
    static final int BUSY_FRAMES = 125;

    private static final Logger log = LoggerFactory.getLogger(WireCapture.class);

    private final List<Thread> threads;
    private final CountDownLatch stopping = new CountDownLatch(1);

    private WireCapture(List<Thread> threads) {
        this.threads = threads;
    }

    /** Starts a thread per device; never throws (a device that cannot be captured is logged and left out). */
    public static WireCapture start(String node, Collection<String> devices, CaptureSettings settings) {
        List<Thread> threads = new ArrayList<>();
        WireCapture capture = new WireCapture(threads);
        try {
            Files.createDirectories(settings.dir());
        } catch (IOException | RuntimeException e) {
            log.atWarn().setMessage("no wire capture: cannot create its directory").addKeyValue("dir", settings.dir())
                    .addKeyValue("error", e.toString()).log();
            return capture;
        }
        for (String device : devices) {
            PcapHandle opened = null;
            try {
                opened = new PcapHandle.Builder(device).snaplen(SNAP_LENGTH)
                        .promiscuousMode(PromiscuousMode.NONPROMISCUOUS).timeoutMillis(BUSY_WAIT_MILLIS)
                        .bufferSize(RING_BYTES).immediateMode(true).build();
                opened.setFilter(FILTER, BpfCompileMode.OPTIMIZE);
                opened.setBlockingMode(BlockingMode.NONBLOCKING);
            } catch (Exception | LinkageError e) {
                if (opened != null) {
                    opened.close();
                }
                log.atWarn().setMessage("no wire capture on this interface (needs libpcap, Debian libpcap0.8, and "
                                + "CAP_NET_RAW); the agent runs without it")
                        .addKeyValue("device", device).addKeyValue("error", e.toString()).log();
                continue;
            }
            PcapHandle handle = opened;
            Thread thread = new Thread(() -> capture.run(node, device, handle, settings), "capture-" + device);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        return capture;
    }

    /** Whether any interface is being captured. */
    public boolean active() {
        return threads.stream().anyMatch(Thread::isAlive);
    }

    /** Stops every capture after one last drain and closes its file. */
    @Override
    public void close() {
        stopping.countDown();
        for (Thread thread : threads) {
            try {
                thread.join(4L * BUSY_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void run(String node, String device, PcapHandle handle, CaptureSettings settings) {
        RollingFile file = new RollingFile(node, device, settings);
        Drain drain = new Drain(handle, file);
        try {
            int framesSinceWait = 0;
            while (stopping.getCount() > 0) {
                int frames = drain.drain();
                framesSinceWait += frames;
                if (frames == 0) {
                    stopping.await(waitMillis(framesSinceWait), TimeUnit.MILLISECONDS);
                    framesSinceWait = 0;
                }
            }
            drain.drain();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.atWarn().setMessage("wire capture stopped; the agent runs without it").addKeyValue("device", device)
                    .addKeyValue("error", e.toString()).log();
        } finally {
            handle.close();
            file.close();
        }
    }

    /**
     * One interface's drain: every frame waiting in the ring in one {@code pcap_dispatch}, a JNA call-back per frame.
     * pcap4j's {@code getNextRawPacket} cost a native call, a JNA structure and its native memory per frame: at
     * 1,000 instances, about a third of the master's CPU. The file is flushed once per drain: it stays readable by
     * forensics while it grows, a drain period behind at most, with one write(2) per drain instead of one per frame.
     */
    private static final class Drain implements RawPacketListener {
        /** Frames per native call: the whole ring (about 500 slots) fits; a bound keeps one call's time bounded. */
        private static final int BATCH = 1024;

        private final PcapHandle handle;
        private final RollingFile file;
        private IOException failed;

        Drain(PcapHandle handle, RollingFile file) {
            this.handle = handle;
            this.file = file;
        }

        /** Writes the frames waiting in the ring and flushes them; how many there were. */
        int drain() throws Exception {
            int frames = handle.dispatch(BATCH, this);
            if (failed != null) {
                throw failed;
            }
            if (frames > 0) {
                file.flush();
            }
            return frames;
        }

        /**
         * pcap4j catches and only logs what a listener throws, so a failed write is kept for {@link #drain()} to
         * throw, and the rest of that batch is not written.
         */
        @Override
        public void gotPacket(byte[] frame) {
            if (failed != null) {
                return;
            }
            try {
                file.write(micros(handle.getTimestamp()), frame, handle.getOriginalLength());
            } catch (IOException e) {
                failed = e;
            }
        }
    }

    /** The wait once the ring is empty, after {@code framesSinceWait} frames were drained since the last one. */
    static long waitMillis(int framesSinceWait) {
        return framesSinceWait > BUSY_FRAMES ? BUSY_WAIT_MILLIS : IDLE_WAIT_MILLIS;
    }

    private static long micros(Timestamp timestamp) {
        return Math.floorDiv(timestamp.getTime(), 1000) * 1_000_000 + timestamp.getNanos() / 1000;
    }

    /** The current file of one interface: rotated by size and age, then retention over this interface's files. */
    private static final class RollingFile {
        private final String node;
        private final String device;
        private final CaptureSettings settings;
        private PcapWriter writer;
        private long openedMicros;

        RollingFile(String node, String device, CaptureSettings settings) {
            this.node = node;
            this.device = device;
            this.settings = settings;
        }

        void write(long micros, byte[] frame, int wireLength) throws IOException {
            long now = nowMicros();
            if (writer == null || writer.bytes() >= settings.fileBytes()
                    || now - openedMicros >= settings.fileAge().toNanos() / 1000) {
                rotate(now);
            }
            writer.write(micros, frame, wireLength);
        }

        void flush() throws IOException {
            if (writer != null) {
                writer.flush();
            }
        }

        private void rotate(long now) throws IOException {
            close();
            Path path = settings.dir().resolve(PcapFiles.fileName(node, device, now));
            writer = new PcapWriter(new BufferedOutputStream(Files.newOutputStream(path)));
            openedMicros = now;
            retain(now);
        }

        private void retain(long now) throws IOException {
            String prefix = PcapFiles.label(Path.of(PcapFiles.fileName(node, device, now)));
            List<CaptureRetention.CaptureFile> files = new ArrayList<>();
            for (Path path : PcapFiles.inDirectory(settings.dir())) {
                if (PcapFiles.label(path).equals(prefix)) {
                    files.add(new CaptureRetention.CaptureFile(path, PcapFiles.startMicros(path), Files.size(path)));
                }
            }
            for (Path expired : CaptureRetention.expired(files, now, settings.maxBytes(),
                    settings.maxAge().toNanos() / 1000)) {
                Files.deleteIfExists(expired);
            }
        }

        void close() {
            if (writer != null) {
                try {
                    writer.close();
                } catch (IOException e) {
                    log.atWarn().setMessage("cannot close a capture file").addKeyValue("device", device)
                            .addKeyValue("error", e.toString()).log();
                }
                writer = null;
            }
        }

        private static long nowMicros() {
            return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        }
    }
}
