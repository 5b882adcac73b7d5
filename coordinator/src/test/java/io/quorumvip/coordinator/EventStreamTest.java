package io.quorumvip.coordinator;

import static io.quorumvip.coordinator.AgentJournals.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventStreamTest {

    private static final String N1_TOKEN = "n1-secret-token-0001";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A line the reader puts when the server ended the stream. */
    private static final String END = "\u0000end";

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Stream<String>> openStreams = new ArrayList<>();
    private Vertx vertx;
    private CoordinatorServer server;

    private void start(int streamQueueCapacity) throws Exception {
        vertx = Vertx.vertx();
        server = CoordinatorServer.start(vertx, tmp.resolve("coordinator"), NodeTokens.of(Map.of("n1", N1_TOKEN)),
                        "127.0.0.1", 0, () -> AgentJournals.START_MILLIS * 1000, streamQueueCapacity)
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        openStreams.forEach(Stream::close);
        try {
            if (server != null) {
                server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        } finally {
            if (vertx != null) {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private List<byte[]> n1Frames() throws Exception {
        return AgentJournals.write(tmp.resolve("n1"), "n1", AgentJournals.filler(0, 12));
    }

    private void ship(List<byte[]> frames, int from, int to) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("v1/nodes/n1/records"))
                .header("Authorization", "Bearer " + N1_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(frames, from, to))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + "/" + path);
    }

    /** Opens the stream and returns its lines as they arrive; the stream is open (subscribed) when this returns. */
    private BlockingQueue<String> open(String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("v1/stream"));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        openStreams.add(response.body());
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try {
                response.body().forEach(lines::add);
            } catch (RuntimeException closed) {
                // The test closed the stream: nothing more to read.
            }
            lines.add(END);
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        assertThat(lines.poll(30, TimeUnit.SECONDS)).isEqualTo("retry: " + EventStream.RETRY_MILLIS);
        return lines;
    }

    /** The next {@code count} events as (id, data), or fewer when the stream ended first. */
    private static List<String[]> events(BlockingQueue<String> lines, int count) throws InterruptedException {
        List<String[]> events = new ArrayList<>();
        String id = null;
        while (events.size() < count) {
            String line = lines.poll(30, TimeUnit.SECONDS);
            if (line == null || line.equals(END)) {
                break;
            }
            if (line.startsWith("id: ")) {
                id = line.substring(4);
            } else if (line.startsWith("data: ")) {
                events.add(new String[] {id, line.substring(6)});
            }
        }
        return events;
    }

    private static long seq(String[] event) throws Exception {
        return JSON.readTree(event[1]).get("seq").asLong();
    }

    private JsonNode page(String query) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(uri("v1/events?" + query)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void shouldSendEachStoredRecordAsTheEventsObjectWithItsCursorAsId() throws Exception {
        start(CoordinatorServer.STREAM_QUEUE_CAPACITY);
        List<byte[]> frames = n1Frames();
        BlockingQueue<String> lines = open(null);
        ship(frames, 1, 3);

        List<String[]> events = events(lines, 3);
        JsonNode expected = page("limit=3");
        assertThat(events).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(JSON.readTree(events.get(i)[1])).isEqualTo(expected.get("events").get(i));
        }
        assertThat(events.get(2)[0]).isEqualTo(expected.get("next").asText());
    }

    @Test
    void shouldResumeFromLastEventIdWithoutLossOrDuplicates() throws Exception {
        start(CoordinatorServer.STREAM_QUEUE_CAPACITY);
        List<byte[]> frames = n1Frames();
        ship(frames, 1, 4);
        String afterSeq2 = page("limit=2").get("next").asText();

        BlockingQueue<String> lines = open(afterSeq2);
        ship(frames, 5, 7);
        List<Long> seqs = new ArrayList<>();
        for (String[] event : events(lines, 5)) {
            seqs.add(seq(event));
        }
        assertThat(seqs).containsExactly(3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void shouldSendABacklogLargerThanTheQueueInPartsTheClientResumes() throws Exception {
        start(3);
        List<byte[]> frames = n1Frames();
        ship(frames, 1, 8);
        String afterSeq1 = page("limit=1").get("next").asText();

        List<String[]> first = events(open(afterSeq1), 10);
        assertThat(first).hasSize(3).extracting(e -> JSON.readTree(e[1]).get("seq").asLong()).containsExactly(2L, 3L, 4L);
        List<String[]> second = events(open(first.get(2)[0]), 10);
        assertThat(second).extracting(e -> JSON.readTree(e[1]).get("seq").asLong()).containsExactly(5L, 6L, 7L);
    }

    @Test
    void shouldDropAClientWhoseQueueOverflowsWhileIngestGoesOn() throws Exception {
        start(3);
        List<byte[]> frames = n1Frames();
        BlockingQueue<String> lines = open(null);

        ship(frames, 1, 5);
        assertThat(events(lines, 10)).as("five records at once overflow a queue of three: the client is dropped").isEmpty();
        ship(frames, 6, 6);
        assertThat(page("limit=100").get("events")).hasSize(6);
    }

    @Test
    void shouldRefuseAMalformedLastEventIdNamingIt() throws Exception {
        start(CoordinatorServer.STREAM_QUEUE_CAPACITY);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("v1/stream")).header("Last-Event-ID", "yesterday").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("error").asText()).contains("Last-Event-ID got 'yesterday'");
        HttpResponse<String> since = http.send(HttpRequest.newBuilder(uri("v1/stream?since=1-x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(since.statusCode()).isEqualTo(400);
        assertThat(since.body()).contains("since got '1-x'");
    }
}
