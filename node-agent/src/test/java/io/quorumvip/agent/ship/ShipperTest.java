package io.quorumvip.agent.ship;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.quorumvip.agent.MetricSamples;
import io.quorumvip.agent.http.AgentMetrics;
import io.quorumvip.coordinator.CoordinatorServer;
import io.quorumvip.coordinator.NodeTokens;
import io.quorumvip.events.EventRecord;
import io.quorumvip.journal.EventCodec;
import io.quorumvip.journal.Journal;
import io.quorumvip.journal.JournalConfig;
import io.quorumvip.journal.JournalFixtures;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shipper against the real coordinator in process, and against scripted or silent fake ones. */
class ShipperTest {

    private static final String TOKEN = "n1-secret-token-0001";
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final ShipBackoff FAST = new ShipBackoff(Duration.ofMillis(10), Duration.ofMillis(50));

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AgentMetrics metrics = new AgentMetrics();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Vertx vertx;
    private CoordinatorServer coordinator;
    private Journal journal;
    private long appended;

    @BeforeEach
    void openJournal() throws IOException {
        vertx = Vertx.vertx();
        journal = Journal.open(JournalConfig.of(tmp.resolve("journal"), "n1").withSegmentBytes(64 * 1024)
                .withRetention(3 * 64 * 1024, Duration.ofDays(1)));
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        if (coordinator != null) {
            coordinator.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        journal.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private void startCoordinator(int port) throws Exception {
        coordinator = CoordinatorServer.start(vertx, tmp.resolve("coordinator"), NodeTokens.of(Map.of("n1", TOKEN)),
                "127.0.0.1", port, () -> System.currentTimeMillis() * 1000)
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private void stopCoordinator() throws Exception {
        coordinator.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        coordinator = null;
    }

    private void append(int count) {
        for (int i = 0; i < count; i++) {
            appended++;
            journal.appendDurably(JournalFixtures.draft(appended));
        }
    }

    private Shipper shipper(URI url, Duration requestTimeout) {
        Shipper shipper = new Shipper(new ShipTarget(url, "n1", TOKEN), journal.dir(), journal::lastDurableSeq, http,
                requestTimeout, FAST, new Random(7), metrics);
        toClose.add(shipper);
        shipper.start();
        return shipper;
    }

    private Shipper shipperToCoordinator() {
        return shipper(URI.create("http://127.0.0.1:" + coordinator.port()), Duration.ofSeconds(10));
    }

    private static void awaitAcked(Shipper shipper, long seq) {
        awaitCondition("coordinator acknowledges seq " + seq, BOUND, shipper::status,
                s -> s.ackedSeq() != null && s.ackedSeq() == seq);
    }

    private List<EventRecord> coordinatorCopy() throws IOException {
        return JournalFixtures.readAll(tmp.resolve("coordinator").resolve("nodes").resolve("n1"));
    }

    private MetricSamples scrape() {
        return MetricSamples.parse(metrics.scrape());
    }

    @Test
    void shouldShipEveryDurableRecordInBatchesAndReportProgress() throws Exception {
        startCoordinator(0);
        append(1500);
        Shipper shipper = shipperToCoordinator();

        awaitAcked(shipper, 1500);

        assertThat(coordinatorCopy()).isEqualTo(JournalFixtures.readAll(journal.dir()));
        String label = "127.0.0.1:" + coordinator.port();
        assertThat(scrape().value("qvip_ship_acked_seq", "coordinator", label)).isEqualTo(1500.0);
        awaitCondition("lag 0 once caught up", BOUND, () -> scrape().value("qvip_ship_lag_records", "coordinator",
                label), lag -> lag == 0.0);
        assertThat(shipper.status().state()).isEqualTo("caught_up");
        assertThat(shipper.status().lastError()).isEmpty();
    }

    @Test
    void shouldShipRecordsAppendedWhileRunning() throws Exception {
        startCoordinator(0);
        Shipper shipper = shipperToCoordinator();
        append(10);
        awaitAcked(shipper, 10);
        append(300);

        awaitAcked(shipper, 310);

        assertThat(coordinatorCopy()).isEqualTo(JournalFixtures.readAll(journal.dir()));
    }

    @Test
    void shouldResumeFromWhatTheCoordinatorStoredAfterTheShipperRestarts() throws Exception {
        startCoordinator(0);
        append(100);
        Shipper first = shipperToCoordinator();
        awaitAcked(first, 100);
        first.close();
        append(700);

        Shipper second = shipperToCoordinator();

        awaitAcked(second, 800);
        List<EventRecord> copy = coordinatorCopy();
        assertThat(copy).extracting(EventRecord::seq).doesNotHaveDuplicates().hasSize(800);
        assertThat(copy).isEqualTo(JournalFixtures.readAll(journal.dir()));
    }

    @Test
    void shouldCatchUpWithRecordsAppendedWhileTheCoordinatorWasDown() throws Exception {
        startCoordinator(0);
        int port = coordinator.port();
        append(50);
        Shipper shipper = shipperToCoordinator();
        awaitAcked(shipper, 50);
        stopCoordinator();

        append(200);
        awaitCondition("connection errors counted while the coordinator is down", BOUND,
                () -> scrape().value("qvip_ship_errors_total", "kind", "connection"), n -> n >= 1);
        awaitCondition("backing off, 200 records behind", BOUND, shipper::status,
                s -> s.state().equals("backing_off") && s.lagRecords() == 200);
        startCoordinator(port);

        awaitAcked(shipper, 250);
        assertThat(coordinatorCopy()).isEqualTo(JournalFixtures.readAll(journal.dir()));
        assertThat(shipper.status().lastError()).isEmpty();
    }

    @Test
    void shouldShipFromTheOldestKeptRecordToANewCoordinatorAfterRetention() throws Exception {
        append(3000);
        assertThat(journal.applyRetention()).isNotEmpty();
        List<EventRecord> kept = JournalFixtures.readAll(journal.dir());
        startCoordinator(0);

        Shipper shipper = shipperToCoordinator();

        awaitAcked(shipper, 3000);
        assertThat(kept.get(0).seq()).isGreaterThan(1);
        assertThat(coordinatorCopy()).isEqualTo(kept);
    }

    @Test
    void shouldReportAGapWhenRetentionRemovedRecordsTheCoordinatorNeverGot() throws Exception {
        startCoordinator(0);
        append(10);
        Shipper first = shipperToCoordinator();
        awaitAcked(first, 10);
        first.close();
        append(3000);
        assertThat(journal.applyRetention()).isNotEmpty();

        Shipper second = shipperToCoordinator();

        awaitCondition("a gap reported", BOUND, () -> second.status().lastError(), e -> e.startsWith("gap:"));
        assertThat(second.status().lastError()).contains("needs seq 11");
        assertThat(scrape().value("qvip_ship_errors_total", "kind", "gap")).isGreaterThanOrEqualTo(1.0);
        assertThat(coordinatorCopy()).hasSize(10);
    }

    @Test
    void shouldResendFromTheAckedSeqThatA409Names() throws Exception {
        ScriptedCoordinator fake = scripted();
        fake.answers.add(new Answer(409, "{\"node\":\"n1\",\"acked_seq\":3,\"error\":\"got seq 1 (expected 4)\"}"));
        append(20);

        Shipper shipper = shipper(fake.url(), Duration.ofSeconds(10));
        fake.answers.add(new Answer(200, "{\"node\":\"n1\",\"acked_seq\":20}"));

        awaitAcked(shipper, 20);
        assertThat(fake.firstSeqs).startsWith(1L, 4L);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "401 | {\"error\":\"missing or wrong token for node n1\"} | unauthorized",
            "400 | {\"error\":\"frame at offset 0: CRC32C mismatch\"}  | rejected",
            "500 | {\"error\":\"boom\"}                                 | unavailable",
            "503 | <html>gateway</html>                               | unavailable",
            "200 | not json at all                                    | bad_answer",
            "200 | {\"node\":\"n1\"}                                    | bad_answer"})
    void shouldCountTheFailureBackOffAndShipOnceTheCoordinatorAnswersWell(int status, String body, String kind)
            throws Exception {
        ScriptedCoordinator fake = scripted();
        fake.answers.add(new Answer(status, body));
        fake.answers.add(new Answer(status, body));
        append(5);

        Shipper shipper = shipper(fake.url(), Duration.ofSeconds(10));
        awaitCondition("two failed attempts", BOUND, () -> fake.firstSeqs.size(), n -> n >= 2);
        fake.answers.add(new Answer(200, "{\"node\":\"n1\",\"acked_seq\":5}"));

        awaitAcked(shipper, 5);
        assertThat(scrape().value("qvip_ship_errors_total", "kind", kind)).isEqualTo(2.0);
        assertThat(fake.firstSeqs).as("the same records are resent").containsOnly(1L);
        assertThat(shipper.status().lastError()).isEmpty();
    }

    @Test
    void shouldNeverHoldUpAppendsWhileTheCoordinatorAcceptsButNeverAnswers() throws Exception {
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        toClose.add(silent);
        BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(silent.accept());
                }
            } catch (IOException e) {
                // The test closed the socket: nothing more to accept.
            }
        });
        acceptor.start();
        toClose.add(() -> {
            silent.close();
            acceptor.join();
            for (Socket socket : accepted) {
                socket.close();
            }
        });
        append(1);
        Shipper shipper = shipper(URI.create("http://127.0.0.1:" + silent.getLocalPort()), Duration.ofMinutes(10));
        Socket stuck = accepted.poll(30, TimeUnit.SECONDS);
        assertThat(stuck).as("the shipper connected and waits for an answer").isNotNull();

        append(2000);

        assertThat(journal.lastDurableSeq()).isEqualTo(2001);
        assertThat(shipper.status().state()).isEqualTo("shipping");
        assertThat(shipper.status().ackedSeq()).isNull();
        assertThat(shipper.status().lagRecords()).isBetween(1L, 2001L);
        stuck.setSoTimeout(30_000);
        assertThat(stuck.getInputStream().read(new byte[1 << 16])).as("the request was sent and waits").isPositive();
        shipper.close();
    }

    private record Answer(int status, String body) {
    }

    /** Answers each POST with the next queued answer (waiting for one), and notes the first seq of each body. */
    private final class ScriptedCoordinator {
        final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
        final List<Long> firstSeqs = new CopyOnWriteArrayList<>();
        final HttpServer server;

        ScriptedCoordinator() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/v1/nodes/n1/records", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                int length = ByteBuffer.wrap(body).getInt(0);
                firstSeqs.add(new EventCodec().decode(body, 8, length).seq());
                Answer answer;
                try {
                    answer = answers.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(answer.status(), bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            server.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }
    }

    private ScriptedCoordinator scripted() throws IOException {
        ScriptedCoordinator fake = new ScriptedCoordinator();
        toClose.add(() -> fake.server.stop(0));
        return fake;
    }
}
