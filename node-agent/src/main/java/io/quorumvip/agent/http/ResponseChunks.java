package io.quorumvip.agent.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A response body written as it is produced, in chunks of {@link #CHUNK_BYTES}: what a large body needs in memory at
 * once is one chunk, not the whole body. Call on the response's context. The response must be chunked; this stream
 * does not end it.
 */
final class ResponseChunks extends OutputStream {

    /** Large enough that the syscalls per chunk do not matter, small enough to be young garbage. */
    static final int CHUNK_BYTES = 64 * 1024;

    private final HttpServerResponse response;
    private final byte[] chunk = new byte[CHUNK_BYTES];
    private int filled;

    ResponseChunks(HttpServerResponse response) {
        this.response = response;
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
        response.write(Buffer.buffer(Arrays.copyOf(chunk, filled)));
        filled = 0;
    }
}
