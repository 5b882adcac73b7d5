package io.quorumvip.agent.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A response body handed on as it is produced, in chunks of {@link #CHUNK_BYTES}, with at most {@link #IN_FLIGHT}
 * chunks sent and not yet written to the connection: the writer waits for the client (back-pressure). Each chunk is a
 * buffer of its own, so the writer may run on another thread than the one that sends it. This stream does not end
 * the response.
 */
final class ResponseChunks extends OutputStream {

    /** Large enough that the syscalls per chunk do not matter, small enough to be young garbage. */
    static final int CHUNK_BYTES = 64 * 1024;
    /**
     * Without a bound, the whole body (5.9 MB at 10,000 real servers) was queued for the connection as fast as it was
     * rendered, and a client that reads slowly kept all of it in memory; now a scrape holds at most this many chunks
     * for it. With a local client that reads at once, the bound changed neither RSS nor lateness (docs/benchmarks.md,
     * "Scraped every 15 s for three minutes").
     */
    static final int IN_FLIGHT = 4;

    private final Function<Buffer, Future<Void>> send;
    private final Duration patience;
    private final Semaphore unwritten = new Semaphore(IN_FLIGHT);
    private final byte[] chunk = new byte[CHUNK_BYTES];
    private int filled;
    private volatile Throwable writeFailure;

    /**
     * @param send     sends a chunk; its future completes once the chunk is written to the connection
     * @param patience how long the writer waits for the client to take a chunk before it gives up
     */
    ResponseChunks(Function<Buffer, Future<Void>> send, Duration patience) {
        this.send = send;
        this.patience = patience;
    }

    @Override
    public void write(int b) throws IOException {
        if (filled == chunk.length) {
            send();
        }
        chunk[filled++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (filled == chunk.length) {
                send();
            }
            int n = Math.min(length, chunk.length - filled);
            System.arraycopy(bytes, offset, chunk, filled, n);
            filled += n;
            offset += n;
            length -= n;
        }
    }

    /** Sends what is buffered; the writer flushes once, at its end. */
    @Override
    public void flush() throws IOException {
        if (filled > 0) {
            send();
        }
    }

    @Override
    public void close() throws IOException {
        flush();
    }

    private void send() throws IOException {
        awaitRoom();
        // A copy: the response may still hold the buffer when the next chunk is rendered.
        Buffer buffer = Buffer.buffer(filled).appendBytes(chunk, 0, filled);
        filled = 0;
        send.apply(buffer).onComplete(written -> {
            if (written.failed()) {
                writeFailure = written.cause();
            }
            unwritten.release();
        });
    }

    private void awaitRoom() throws IOException {
        try {
            if (!unwritten.tryAcquire(patience.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new IOException("the client took none of the " + IN_FLIGHT + " chunks of " + CHUNK_BYTES
                        + " bytes waiting for it in " + patience.toSeconds() + " s; the response is abandoned");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the client to take the response");
        }
        Throwable failure = writeFailure;
        if (failure != null) {
            throw new IOException("writing the response failed (" + failure.getMessage()
                    + "): the client is gone; the rest is not rendered", failure);
        }
    }
}
