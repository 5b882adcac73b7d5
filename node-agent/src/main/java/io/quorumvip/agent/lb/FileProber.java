package io.quorumvip.agent.lb;

import io.quorumvip.agent.track.FileTracker;
import io.quorumvip.check.FileCheck;
import io.quorumvip.check.ProbeResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * FILE_CHECK: reads the track_file, on a worker thread because a file may sit on a slow filesystem (NFS), and
 * leaves what the value means to {@link FileCheck}. Read by polling every {@link FileCheck#POLL} rather than
 * watched with inotify as keepalived does: one small read a second costs nothing, needs no watcher thread, and
 * also sees a file replaced where inotify does not look (NFS, a bind mount); vrrp_track_file is read the same way.
 */
final class FileProber implements Prober {

    private final Vertx vertx;
    private final FileCheck check;
    /** What the file read last, kept when a read is ignored; keepalived starts from 0 too. */
    private volatile long lastValue;

    FileProber(Vertx vertx, FileCheck check) {
        this.vertx = vertx;
        this.check = check;
    }

    @Override
    public Future<ProbeResult> probe() {
        return vertx.executeBlocking(this::read, false);
    }

    /** One read, here and now: the load balancer's start reads every file once so the first pool is right. */
    ProbeResult read() {
        long start = System.nanoTime();
        try {
            OptionalLong value = FileTracker.readValue(check.path());
            if (value.isEmpty()) {
                return check.ignored(lastValue, since(start));
            }
            lastValue = value.getAsLong();
            return check.result(lastValue, since(start));
        } catch (NoSuchFileException e) {
            lastValue = 0;
            return check.missing(since(start));
        } catch (IOException e) {
            lastValue = 0;
            return check.unreadable(e.toString(), since(start));
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
