package io.quorumvip.agent.quorum;

import io.quorumvip.lab.LabHost;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * An independent witness of VIP ownership: its own thread asks every node's kernel for its IPv4 addresses on eth0
 * ({@code ip -n NS -o -4 addr show dev eth0}) over and over, and records who holds the VIP when. It never asks the
 * agents. A poll starts every {@link #PERIOD_MILLIS} (at once when the previous one took longer), so durations are
 * as fine as that period. Start it before the fault, close it in a finally (try-with-resources); closing reports a
 * poll that failed.
 */
final class OwnershipObserver implements AutoCloseable {

    /**
     * From the start of one poll to the start of the next, as DESIGN.md's lab measurements use; one poll forks one
     * {@code ip} per node, a few ms each on an idle machine.
     */
    static final long PERIOD_MILLIS = 20;
    private static final long COMMAND_BOUND_SECONDS = 5;

    private final List<LabHost> nodes;
    private final String vip;
    private final List<OwnershipTimeline.Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    private OwnershipObserver(List<LabHost> nodes, String vip) {
        this.nodes = List.copyOf(nodes);
        this.vip = vip;
        this.thread = new Thread(this::pollUntilClosed, "ownership-observer-" + vip);
        thread.setDaemon(true);
    }

    /** Starts polling {@code nodes} for {@code vip} at once; the first sample is taken before this returns. */
    static OwnershipObserver start(List<LabHost> nodes, String vip) {
        OwnershipObserver observer = new OwnershipObserver(nodes, vip);
        observer.poll();
        observer.thread.start();
        return observer;
    }

    /** What has been seen so far; fails once a poll failed, since the timeline then has a hole. */
    OwnershipTimeline timeline() {
        requireNoFailure();
        synchronized (samples) {
            return new OwnershipTimeline(samples);
        }
    }

    /**
     * The holders at the latest poll. Wait on this rather than on a fresh look of one's own, so that what the
     * test waited for is in {@link #timeline()} too.
     */
    Set<String> latestHolders() {
        requireNoFailure();
        synchronized (samples) {
            return samples.get(samples.size() - 1).holders();
        }
    }

    /** Stops polling after the current poll; fails when a poll failed, since the timeline then has a hole. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(COMMAND_BOUND_SECONDS * 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("ownership observer for " + vip + " did not stop within "
                    + COMMAND_BOUND_SECONDS * 2 + " s after close (expected it to finish its poll)");
        }
        requireNoFailure();
    }

    private void requireNoFailure() {
        RuntimeException failed = failure;
        if (failed != null) {
            throw failed;
        }
    }

    private void pollUntilClosed() {
        try {
            while (running) {
                long started = poll();
                long left = started + TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS) - System.nanoTime();
                if (left > 0) {
                    Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            failure = new IllegalStateException("ownership observer for " + vip + " was interrupted (expected only "
                    + "close() to end it)", e);
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** Reads every node once and returns when the poll started. */
    private long poll() {
        long start = System.nanoTime();
        Set<String> holders = new TreeSet<>();
        for (LabHost node : nodes) {
            if (holds(node)) {
                holders.add(node.name());
            }
        }
        long read = System.nanoTime() - start;
        synchronized (samples) {
            samples.add(new OwnershipTimeline.Sample(start, read, holders));
        }
        return start;
    }

    private boolean holds(LabHost node) {
        List<String> command = List.of("ip", "-n", node.namespace(), "-o", "-4", "addr", "show", "dev", "eth0");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output;
            try (InputStream out = process.getInputStream()) {
                output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(COMMAND_BOUND_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within "
                        + COMMAND_BOUND_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with exit code "
                        + process.exitValue() + " (expected 0): " + output.strip());
            }
            return output.contains(" inet " + vip + "/");
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
