package io.quorumvip.agent.track;

import io.quorumvip.config.VrrpTrackFile;
import io.quorumvip.track.TrackedFileStatus;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one {@code vrrp_track_file} every poll interval on a worker thread and tells its listener, on the event
 * loop, whenever the value changes. keepalived watches the file with inotify; polling costs one small read a second
 * and also sees a file replaced on a filesystem inotify does not watch (NFS). One tracker serves every instance.
 */
public final class FileTracker {

    private static final Logger log = LoggerFactory.getLogger(FileTracker.class);
    /** keepalived reads this much (a 128-byte buffer with its terminating NUL). */
    private static final int MAX_READ = 127;

    private final VrrpTrackFile spec;
    private final LongConsumer onValue;
    private final WorkerPoll<Long> poll;
    private long value;
    private String lastError;

    /** Reads the file once (so the first verdict is real); {@link #writeInitValue} ran before, at start-up. */
    public FileTracker(VrrpTrackFile spec, Vertx vertx, long pollMillis, LongConsumer onValue) {
        this.spec = spec;
        this.onValue = onValue;
        this.poll = new WorkerPoll<>(vertx, pollMillis, this::read, this::onRead);
        this.value = read();
    }

    public String name() {
        return spec.name();
    }

    public long value() {
        return value;
    }

    public void start() {
        poll.start();
    }

    public void stop() {
        poll.stop();
    }

    private void onRead(long now) {
        if (now != value) {
            log.atInfo().setMessage("tracked file value changed").addKeyValue("track_file", spec.name())
                    .addKeyValue("file", spec.path()).addKeyValue("from", value).addKeyValue("to", now).log();
            value = now;
            onValue.accept(now);
        }
    }

    /**
     * {@code init_file [VALUE] [overwrite]}: writes VALUE when the file is missing, or always with overwrite. Once
     * per start for every track_file, whoever reads it (instances, FILE_CHECKs), as keepalived does when it reads
     * the config; a failure is logged and the file read as it is.
     */
    public static void writeInitValue(VrrpTrackFile spec) {
        if (spec.initValue().isEmpty() || (!spec.initOverwrite() && Files.exists(spec.path()))) {
            return;
        }
        try {
            Files.writeString(spec.path(), spec.initValue().getAsLong() + "\n");
        } catch (IOException e) {
            log.atWarn().setMessage("init_file could not write the tracked file; it reads as it is")
                    .addKeyValue("track_file", spec.name()).addKeyValue("file", spec.path())
                    .addKeyValue("error", e.toString()).log();
        }
    }

    /**
     * The value a tracked file holds, read as keepalived reads it (its first 127 bytes, their leading integer);
     * empty for a number keepalived ignores (beyond ±2^31), which leaves the value as it was.
     *
     * @throws NoSuchFileException when it is missing, which keepalived counts as 0
     * @throws IOException         when it cannot be read, which keepalived counts as 0 too
     */
    public static OptionalLong readValue(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return TrackedFileStatus.parse(new String(in.readNBytes(MAX_READ), StandardCharsets.US_ASCII));
        }
    }

    /** The file's value; a missing or unreadable file reads 0, as in keepalived (an unreadable one is logged). */
    private long read() {
        try {
            OptionalLong read = readValue(spec.path());
            lastError = null;
            if (read.isEmpty()) {
                log.atWarn().setMessage("tracked file holds a number beyond ±2^31; ignored, as keepalived does")
                        .addKeyValue("track_file", spec.name()).addKeyValue("file", spec.path())
                        .addKeyValue("kept", value).log();
            }
            return read.orElse(value);
        } catch (NoSuchFileException e) {
            lastError = null;
            return 0;
        } catch (IOException e) {
            if (!e.toString().equals(lastError)) {
                log.atWarn().setMessage("tracked file unreadable, counting it as 0").addKeyValue("track_file",
                        spec.name()).addKeyValue("file", spec.path()).addKeyValue("error", e.toString()).log();
            }
            lastError = e.toString();
            return 0;
        }
    }
}
