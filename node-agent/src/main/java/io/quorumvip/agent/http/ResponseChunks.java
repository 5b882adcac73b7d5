package io.quorumvip.agent.http;

import io.vertx.core.buffer.Buffer;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A response body handed on as it is produced, in chunks of {@link #CHUNK_BYTES}: what a large body needs in memory at
 * once is a chunk, not the whole body. Each chunk is a buffer of its own, so the writer may run on another thread than
 * the one that sends it. This stream does not end the response.
 */
final class ResponseChunks extends OutputStream {

    /** Large enough that the syscalls per chunk do not matter, small enough to be young garbage. */
    static final int CHUNK_BYTES = 64 * 1024;

    private final Consumer<Buffer> send;
    private final byte[] chunk = new byte[CHUNK_BYTES];
    private int filled;

    ResponseChunks(Consumer<Buffer> send) {
        this.send = send;
    }

    @Override
    public void write(int b) {
        if (filled == chunk.length) {
            send();
        }
        chunk[filled++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
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
    public void flush() {
        if (filled > 0) {
            send();
        }
    }

    @Override
    public void close() {
        flush();
    }

    private void send() {
        // A copy: the response may still hold the buffer when the next chunk is rendered.
        send.accept(Buffer.buffer(Arrays.copyOf(chunk, filled)));
        filled = 0;
    }
}
