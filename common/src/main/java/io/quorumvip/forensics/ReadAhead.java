package io.quorumvip.forensics;

import io.quorumvip.events.EventRecord;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;

/**
 * A node's records decoded on a thread of their own, a few batches ahead of the merge: decoding is a tenth of
 * {@code qvip forensics}' CPU, and a second core can do it while the sweep runs (docs/forensics.md, "Faster on two
 * cores"). At most {@link #BATCHES} batches of {@link #BATCH} records wait, so memory stays bounded. What the source
 * throws (a damaged journal, an out-of-memory) is thrown again by {@link #hasNext} on the caller's thread.
 */
final class ReadAhead implements Iterator<EventRecord>, AutoCloseable {

    static final int BATCH = 512;
    static final int BATCHES = 2;
    private static final EventRecord[] END = new EventRecord[0];

    private final BlockingQueue<EventRecord[]> ready = new ArrayBlockingQueue<>(BATCHES);
    private final Thread reader;
    private volatile Throwable failure;
    private EventRecord[] batch = new EventRecord[0];
    private int next;
    private boolean ended;

    /** Starts reading {@code source}, named {@code name} in the thread's name. */
    ReadAhead(Iterator<EventRecord> source, String name) {
        reader = new Thread(() -> read(source), "qvip-forensics-read " + name);
        reader.setDaemon(true);
        reader.start();
    }

    private void read(Iterator<EventRecord> source) {
        try {
            while (true) {
                EventRecord[] out = new EventRecord[BATCH];
                int n = 0;
                while (n < BATCH && source.hasNext()) {
                    out[n++] = source.next();
                }
                if (n > 0) {
                    ready.put(n == BATCH ? out : Arrays.copyOf(out, n));
                }
                if (n < BATCH) {
                    ready.put(END);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            failure = e;
            ready.clear();
            ready.offer(END);
        }
    }

    @Override
    public boolean hasNext() {
        if (next < batch.length) {
            return true;
        }
        if (ended) {
            return false;
        }
        try {
            batch = ready.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("forensics stopped: its thread was interrupted (the caller gave up)");
        }
        next = 0;
        if (batch == END) {
            ended = true;
            Throwable e = failure;
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e instanceof Error error) {
                throw error;
            }
            return false;
        }
        return true;
    }

    @Override
    public EventRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException("journal read to its end");
        }
        EventRecord record = batch[next];
        batch[next++] = null;
        return record;
    }

    /** Stops the reader, if it still runs, and waits for it: the source may be closed after this. */
    @Override
    public void close() {
        reader.interrupt();
        Threads.joinUninterruptibly(reader);
    }
}
