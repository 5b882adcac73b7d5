package io.quorumvip.forensics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;

/**
 * A {@link Forensics.Listener} that hands what it is given to another one on a thread of its own, in order: writing
 * the report is a third of {@code qvip forensics --json}'s CPU, and a second core can do it while the sweep finds
 * the next incidents (docs/forensics.md, "Faster on two cores"). At most {@link #BATCHES} batches of {@link #BATCH}
 * items wait, so memory stays bounded. A failure of the writer (a closed pipe, an out-of-memory) is thrown again on
 * the caller's thread by the next call, or by {@link #finish}.
 */
final class WriteBehind implements Forensics.Listener, AutoCloseable {

    static final int BATCH = 128;
    static final int BATCHES = 4;
    private static final List<Object> END = List.of();

    private final BlockingQueue<List<Object>> queue = new ArrayBlockingQueue<>(BATCHES);
    private final Forensics.Listener target;
    private final Thread writer;
    private volatile Throwable failure;
    private List<Object> batch = new ArrayList<>(BATCH);
    private boolean finished;

    WriteBehind(Forensics.Listener target) {
        this.target = target;
        writer = new Thread(this::write, "qvip-forensics-write");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void interval(Interval interval) {
        add(interval);
    }

    @Override
    public void incident(Incident incident) {
        add(incident);
    }

    /** Waits until everything given was handed to the target: after this the target may be used on this thread. */
    void finish() {
        if (!finished) {
            finished = true;
            hand(batch);
            hand(END);
            Threads.joinUninterruptibly(writer);
        }
        rethrow();
    }

    /** Stops the writer, if it still runs, without waiting for what is queued (after a failure of the caller). */
    @Override
    public void close() {
        writer.interrupt();
        Threads.joinUninterruptibly(writer);
    }

    private void add(Object item) {
        batch.add(item);
        if (batch.size() == BATCH) {
            hand(batch);
            batch = new ArrayList<>(BATCH);
        }
    }

    private void hand(List<Object> items) {
        rethrow();
        try {
            queue.put(items);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("forensics stopped: its thread was interrupted (the caller gave up)");
        }
    }

    private void write() {
        try {
            while (true) {
                List<Object> items = queue.take();
                if (items == END) {
                    return;
                }
                if (failure != null) {
                    continue;
                }
                try {
                    for (Object item : items) {
                        if (item instanceof Incident incident) {
                            target.incident(incident);
                        } else {
                            target.interval((Interval) item);
                        }
                    }
                } catch (Throwable e) {
                    // Keeps taking (and dropping) batches, so the caller is never stuck on a full queue.
                    failure = e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void rethrow() {
        Throwable e = failure;
        if (e instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (e instanceof Error error) {
            throw error;
        }
    }
}
