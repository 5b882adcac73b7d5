package io.quorumvip.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseChunksTest {

    private final List<Buffer> sent = new ArrayList<>();
    private final List<Promise<Void>> writes = new ArrayList<>();
    private final ResponseChunks body = new ResponseChunks(this::send, Duration.ofMillis(50));

    private Future<Void> send(Buffer chunk) {
        sent.add(chunk);
        Promise<Void> written = Promise.promise();
        writes.add(written);
        return written.future();
    }

    private static byte[] bytes(int chunks) {
        byte[] bytes = new byte[chunks * ResponseChunks.CHUNK_BYTES];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        return bytes;
    }

    @Test
    void shouldHandOnTheBodyInChunksByteForByte() throws IOException {
        byte[] bytes = bytes(ResponseChunks.IN_FLIGHT);
        byte[] tail = {1, 2, 3};

        body.write(bytes);
        body.write(tail);
        writes.forEach(Promise::complete);
        body.close();

        ByteArrayOutputStream received = new ByteArrayOutputStream();
        sent.forEach(chunk -> received.writeBytes(chunk.getBytes()));
        assertThat(sent).hasSize(ResponseChunks.IN_FLIGHT + 1);
        assertThat(received.toByteArray()).hasSize(bytes.length + tail.length)
                .startsWith(bytes).endsWith(tail);
    }

    @Test
    void shouldGiveUpNamingTheWaitWhenTheClientTakesNoneOfTheChunksInFlight() throws IOException {
        body.write(bytes(ResponseChunks.IN_FLIGHT));
        body.write(7);

        assertThatThrownBy(body::flush)
                .isInstanceOf(IOException.class)
                .hasMessageContaining("the client took none of the " + ResponseChunks.IN_FLIGHT + " chunks");
        assertThat(sent).as("no chunk beyond the bound").hasSize(ResponseChunks.IN_FLIGHT);
    }

    @Test
    void shouldGoOnAsSoonAsTheClientTookAChunk() throws IOException {
        body.write(bytes(ResponseChunks.IN_FLIGHT));
        body.write(7);
        writes.get(0).complete();

        body.flush();

        assertThat(sent).hasSize(ResponseChunks.IN_FLIGHT + 1);
    }

    @Test
    void shouldStopRenderingOnceAWriteFailed() throws IOException {
        body.write(bytes(2));
        writes.get(0).fail("the client closed the connection");

        assertThatThrownBy(body::flush)
                .isInstanceOf(IOException.class)
                .hasMessageContaining("the client closed the connection")
                .hasMessageContaining("the client is gone");
        assertThat(sent).hasSize(1);
    }
}
