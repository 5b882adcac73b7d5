package io.quorumvip.coordinator;

import static io.quorumvip.coordinator.AgentJournals.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorumvip.events.EventDraft;
import io.quorumvip.events.EventRecord;
import io.quorumvip.events.HybridLogicalClock;
import io.quorumvip.journal.EventCodec;
import io.quorumvip.journal.Journal;
import io.quorumvip.journal.JournalConfig;
import io.quorumvip.journal.JournalVerifier;
import io.quorumvip.replay.ClusterView;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoordinatorServerTest {

    private static final String N1_TOKEN = "n1-secret-token-0001";
    private static final String N2_TOKEN = "n2-secret-token-0002";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Vertx vertx;
    private CoordinatorServer server;

    @BeforeEach
    void startCoordinator() throws Exception {
        vertx = Vertx.vertx();
        start();
    }

    @AfterEach
    void stopCoordinator() throws Exception {
        try {
            if (server != null) {
                server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private void start() throws Exception {
        NodeTokens tokens = NodeTokens.of(Map.of("n1", N1_TOKEN, "n2", N2_TOKEN));
        server = CoordinatorServer.start(vertx, tmp.resolve("coordinator"), tokens, "127.0.0.1", 0,
                        () -> AgentJournals.START_MILLIS * 1000)
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private void restart() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        server = null;
        start();
    }

    private HttpResponse<String> ship(String node, String authorization, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/nodes/" + node + "/records"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> shipAs(String node, byte[] body) throws IOException, InterruptedException {
        return ship(node, "Bearer " + (node.equals("n1") ? N1_TOKEN : N2_TOKEN), body);
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    /** Every event the coordinator serves, following the cursor page by page. */
    private List<JsonNode> allEvents(int pageSize) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        String since = "";
        while (true) {
            HttpResponse<String> page = get("/v1/events?limit=" + pageSize + "&since=" + URLEncoder.encode(since, StandardCharsets.UTF_8));
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JsonNode root = json(page);
            root.get("events").forEach(events::add);
            since = root.get("next").asText();
            if (!root.get("more").asBoolean()) {
                return events;
            }
        }
    }

    private List<byte[]> n1Journal(int fillers) throws IOException {
        List<EventDraft> drafts = new ArrayList<>(AgentJournals.owner("n1", 0, 42));
        drafts.addAll(AgentJournals.filler(100, fillers));
        return AgentJournals.write(tmp.resolve("agent-n1"), "n1", drafts);
    }

    @Test
    void shouldStoreShippedRecordsAndAckTheHighestSeq() throws Exception {
        List<byte[]> frames = n1Journal(2);

        HttpResponse<String> response = shipAs("n1", body(frames, 1, 6));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("node").asText()).isEqualTo("n1");
        assertThat(json(response).get("acked_seq").asLong()).isEqualTo(6);
        assertThat(allEvents(100)).extracting(e -> e.get("seq").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void shouldSkipADuplicateResendAndAckIt() throws Exception {
        List<byte[]> frames = n1Journal(4);
        assertThat(shipAs("n1", body(frames, 1, 5)).statusCode()).isEqualTo(200);

        HttpResponse<String> resend = shipAs("n1", body(frames, 3, 8));

        assertThat(resend.statusCode()).as(resend.body()).isEqualTo(200);
        assertThat(json(resend).get("acked_seq").asLong()).isEqualTo(8);
        HttpResponse<String> whollyOld = shipAs("n1", body(frames, 1, 8));
        assertThat(json(whollyOld).get("acked_seq").asLong()).isEqualTo(8);
        assertThat(allEvents(3)).extracting(e -> e.get("seq").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    }

    @Test
    void shouldRefuseAGapWithConflictNamingTheExpectedSeq() throws Exception {
        List<byte[]> frames = n1Journal(4);
        assertThat(shipAs("n1", body(frames, 1, 3)).statusCode()).isEqualTo(200);

        HttpResponse<String> gap = shipAs("n1", body(frames, 5, 6));

        assertThat(gap.statusCode()).as(gap.body()).isEqualTo(409);
        assertThat(json(gap).get("acked_seq").asLong()).isEqualTo(3);
        assertThat(json(gap).get("error").asText()).contains("got seq 5").contains("expected 4");
        assertThat(allEvents(100)).hasSize(3);
    }

    @Test
    void shouldRefuseATamperedRecordAsAChainBreakNamingTheSeq() throws Exception {
        List<byte[]> frames = n1Journal(4);
        assertThat(shipAs("n1", body(frames, 1, 3)).statusCode()).isEqualTo(200);
        List<byte[]> tampered = new ArrayList<>(frames);
        tampered.set(3, reframed(withOtherWallTime(frames.get(3))));

        HttpResponse<String> response = shipAs("n1", body(tampered, 4, 6));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
        assertThat(json(response).get("error").asText()).contains("hash chain broken at seq 5");
        assertThat(json(response).get("acked_seq").asLong()).isEqualTo(4);
    }

    @Test
    void shouldRefuseARecordThatDoesNotChainFromTheStoredOne() throws Exception {
        List<byte[]> n1 = n1Journal(2);
        List<byte[]> otherN1 = AgentJournals.write(tmp.resolve("agent-n1-replaced"), "n1", AgentJournals.filler(500, 6));
        assertThat(shipAs("n1", body(n1, 1, 3)).statusCode()).isEqualTo(200);

        HttpResponse<String> response = shipAs("n1", body(otherN1, 4, 4));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
        assertThat(json(response).get("error").asText()).contains("hash chain broken at seq 4").contains("hash of seq 3");
    }

    @Test
    void shouldRefuseAMissingOrWrongTokenWith401() throws Exception {
        byte[] records = body(n1Journal(0), 1, 2);

        HttpResponse<String> missing = ship("n1", null, records);
        HttpResponse<String> wrong = ship("n1", "Bearer not-the-right-token-at-all", records);
        HttpResponse<String> otherNodes = ship("n1", "Bearer " + N2_TOKEN, records);
        HttpResponse<String> unknownNode = ship("n9", "Bearer " + N1_TOKEN, records);

        assertThat(List.of(missing, wrong, otherNodes, unknownNode)).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(json(r).get("error").asText()).contains("token");
        });
        assertThat(json(missing).get("error").asText()).contains("missing 'Authorization: Bearer TOKEN'");
        assertThat(allEvents(100)).isEmpty();
    }

    @Test
    void shouldRefuseAGarbageBodyWith400NamingTheOffset() throws Exception {
        List<byte[]> frames = n1Journal(0);
        byte[] good = body(frames, 1, 2);
        byte[] corrupt = good.clone();
        corrupt[frames.get(0).length + 12] ^= 0x40;

        HttpResponse<String> garbage = shipAs("n1", "hello, coordinator".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> flipped = shipAs("n1", corrupt);
        HttpResponse<String> cut = shipAs("n1", Arrays.copyOf(good, good.length - 3));
        HttpResponse<String> empty = shipAs("n1", new byte[0]);

        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(json(garbage).get("error").asText()).contains("offset 0").contains("length");
        assertThat(flipped.statusCode()).isEqualTo(400);
        assertThat(json(flipped).get("error").asText()).contains("offset " + frames.get(0).length).contains("CRC32C");
        assertThat(cut.statusCode()).isEqualTo(400);
        assertThat(json(cut).get("error").asText()).contains("offset " + frames.get(0).length);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(allEvents(100)).isEmpty();
    }

    @Test
    void shouldRefuseRecordsOfAnotherNodeThanTheUrlsWith400() throws Exception {
        List<byte[]> n2 = AgentJournals.write(tmp.resolve("agent-n2"), "n2", AgentJournals.owner("n2", 0, 0));

        HttpResponse<String> response = shipAs("n1", body(n2, 1, 2));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).contains("of node 'n2'").contains("expected 'n1'");
    }

    @Test
    void shouldRecoverAckedSeqAfterRestartAndNeitherLoseNorDuplicate() throws Exception {
        List<byte[]> frames = n1Journal(6);
        assertThat(shipAs("n1", body(frames, 1, 5)).statusCode()).isEqualTo(200);

        restart();
        HttpResponse<String> resend = shipAs("n1", body(frames, 4, 10));

        assertThat(resend.statusCode()).as(resend.body()).isEqualTo(200);
        assertThat(json(resend).get("acked_seq").asLong()).isEqualTo(10);
        restart();
        assertThat(json(shipAs("n1", body(frames, 10, 10))).get("acked_seq").asLong()).isEqualTo(10);
        assertThat(allEvents(4)).extracting(e -> e.get("seq").asLong())
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void shouldKeepTheArchiveAsAJournalThatReopensWithTheAgentsChain() throws Exception {
        List<byte[]> frames = n1Journal(3);
        shipAs("n1", body(frames, 1, 7));
        server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        server = null;

        try (Journal archive = Journal.open(JournalConfig.of(tmp.resolve("coordinator/nodes/n1"), "n1"));
             Journal agent = Journal.open(JournalConfig.of(tmp.resolve("agent-n1"), "n1"))) {
            assertThat(archive.lastDurableSeq()).isEqualTo(7);
            assertThat(archive.lastDurableHash()).isEqualTo(agent.lastDurableHash());
        }
        assertThat(JournalVerifier.verify(List.of(tmp.resolve("coordinator/nodes/n1"))).findings()).isEmpty();
    }

    @Test
    void shouldPageEventsMergedAcrossNodesInHlcOrder() throws Exception {
        List<byte[]> n1 = n1Journal(5);
        List<byte[]> n2 = AgentJournals.write(tmp.resolve("agent-n2"), "n2", AgentJournals.filler(102, 5));
        shipAs("n1", body(n1, 1, n1.size()));
        shipAs("n2", body(n2, 1, n2.size()));

        List<JsonNode> events = allEvents(3);

        assertThat(events).hasSize(n1.size() + n2.size());
        assertThat(events).extracting(e -> e.get("hlc").asLong()).isSorted();
        assertThat(events).extracting(e -> e.get("node").asText()).contains("n1", "n2");
        assertThat(events.get(0).get("type").asText()).isEqualTo("AGENT_STARTED");
    }

    @Test
    void shouldPageOnlyTheEventsOfTheTypesAsked() throws Exception {
        List<byte[]> n1 = n1Journal(30);
        assertThat(shipAs("n1", body(n1, 1, n1.size())).statusCode()).isEqualTo(200);

        List<JsonNode> events = new ArrayList<>();
        String since = "";
        for (boolean more = true; more; ) {
            JsonNode root = json(get("/v1/events?types=VIP_BOUND,LEASE_ACQUIRED&limit=1&since="
                    + URLEncoder.encode(since, StandardCharsets.UTF_8)));
            root.get("events").forEach(events::add);
            since = root.get("next").asText();
            more = root.get("more").asBoolean();
        }

        assertThat(events).extracting(e -> e.get("type").asText()).containsExactlyInAnyOrder("LEASE_ACQUIRED", "VIP_BOUND");
        assertThat(events).extracting(e -> e.get("seq").asLong()).isEqualTo(allEvents(1000).stream()
                .filter(e -> Set.of("VIP_BOUND", "LEASE_ACQUIRED").contains(e.get("type").asText()))
                .map(e -> e.get("seq").asLong()).toList());
        HttpResponse<String> bad = get("/v1/events?types=VIP_BOUND,NO_SUCH_TYPE");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("error").asText()).contains("types got 'NO_SUCH_TYPE'").contains("VIP_BOUND");
    }

    @Test
    void shouldAnswerTheClusterWithVrrpStateLeaseAndVipOwner() throws Exception {
        List<byte[]> n1 = n1Journal(0);
        shipAs("n1", body(n1, 1, n1.size()));

        JsonNode cluster = json(get("/v1/cluster"));

        JsonNode instance = cluster.get("nodes").get("n1").get("instances").get(AgentJournals.INSTANCE);
        assertThat(instance.get("state").asText()).isEqualTo("MASTER");
        assertThat(instance.get("lease").asText()).isEqualTo("HELD");
        assertThat(instance.get("leaseEpoch").asLong()).isEqualTo(42);
        assertThat(cluster.get("vips").get(0).get("address").asText()).isEqualTo(AgentJournals.VIP);
        assertThat(cluster.get("vips").get(0).get("owners").get(0).get("node").asText()).isEqualTo("n1");
    }

    @Test
    void shouldReplayTheStateAtAnInstantBeforeTheVipWasBound() throws Exception {
        List<byte[]> n1 = n1Journal(0);
        shipAs("n1", body(n1, 1, n1.size()));

        JsonNode before = json(get("/v1/state?at=" + (AgentJournals.START_MILLIS + 15)));
        JsonNode after = json(get("/v1/state?at=" + (AgentJournals.START_MILLIS + 30)));

        assertThat(before.get("nodes").get("n1").get("instances").get(AgentJournals.INSTANCE).get("state").asText())
                .isEqualTo("MASTER");
        assertThat(before.get("vips")).isEmpty();
        assertThat(after.get("vips").get(0).get("address").asText()).isEqualTo(AgentJournals.VIP);
    }

    @Test
    void shouldReportDualOwnershipInForensicsFromIngestedEvents() throws Exception {
        List<EventDraft> n1Drafts = new ArrayList<>(AgentJournals.owner("n1", 0, 0));
        n1Drafts.addAll(AgentJournals.filler(5000, 1));
        List<EventDraft> n2Drafts = new ArrayList<>(AgentJournals.owner("n2", 1000, 0));
        n2Drafts.add(AgentJournals.released(3000));
        List<byte[]> n1 = AgentJournals.write(tmp.resolve("agent-n1"), "n1", n1Drafts);
        List<byte[]> n2 = AgentJournals.write(tmp.resolve("agent-n2"), "n2", n2Drafts);
        shipAs("n1", body(n1, 1, n1.size()));
        shipAs("n2", body(n2, 1, n2.size()));

        HttpResponse<String> response = get("/v1/forensics?from=" + AgentJournals.START_MILLIS
                + "&to=" + (AgentJournals.START_MILLIS + 60_000));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode report = json(response);
        assertThat(report.get("split_brain").asBoolean()).isTrue();
        assertThat(report.get("nodes")).extracting(JsonNode::asText).containsExactly("n1", "n2");
        assertThat(report.get("incidents")).extracting(i -> i.get("kind").asText()).contains("DUAL_OWNERSHIP");
    }

    /** Ships {@link ForensicsJobsTest#handOvers()} as n1's and n2's agents would; returns how many records. */
    private int shipHandOvers() throws IOException, InterruptedException {
        List<List<EventDraft>> drafts = ForensicsJobsTest.handOvers();
        List<byte[]> n1 = AgentJournals.write(tmp.resolve("agent-n1"), "n1", drafts.get(0));
        List<byte[]> n2 = AgentJournals.write(tmp.resolve("agent-n2"), "n2", drafts.get(1));
        shipAs("n1", body(n1, 1, n1.size()));
        shipAs("n2", body(n2, 1, n2.size()));
        return n1.size() + n2.size();
    }

    /** The incident fold has not failed, and every record stored is folded or counted unread. */
    private void assertFoldHasEveryRecord(int records) throws IOException, InterruptedException {
        JsonNode fold = json(get("/v1/forensics/fold"));
        assertThat(fold.get("folded").asLong() + fold.get("unread").asLong()).isEqualTo(records);
        assertThat(fold.has("failure")).as(fold.toString()).isFalse();
    }

    @Test
    void shouldAnswerWindowsFromTheIncidentFoldAsQvipForensicsDoesAlsoAfterARestart() throws Exception {
        int records = shipHandOvers();
        long start = AgentJournals.START_MILLIS;
        long[][] windows = {{start + 95_000, start + 185_000}, {start + 390_000, -1}, {-1, start + 30_000}};

        for (int round = 0; round < 2; round++) {
            for (long[] window : windows) {
                HttpResponse<String> response = get("/v1/forensics?from=" + (window[0] < 0 ? "" : window[0])
                        + "&to=" + (window[1] < 0 ? "" : window[1]));
                ForensicsJobsTest.CommandLineAnswer cli = ForensicsJobsTest.commandLine(tmp.resolve("coordinator"), window);

                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(json(response)).as("round %d, %s", round, cli.args()).isEqualTo(cli.json());
                assertThat(json(response).get("incidents").size()).as("window %s", cli.args()).isPositive();
            }
            assertFoldHasEveryRecord(records);
            restart();
        }
    }

    @Test
    void shouldWarmUpForensicsAndStateAtStartWithoutChangingAnyAnswer() throws Exception {
        assertThat(server.warmedUp()).isEqualTo(new WarmUp.Skipped("nothing is stored"));
        assertThat(server.stateWarmedUp()).isEqualTo(new WarmUp.Skipped("nothing is stored"));
        int records = shipHandOvers();
        long start = AgentJournals.START_MILLIS;
        // The state warm-up asks for the newest record's time; the states before it, at it and after must not move.
        List<String> asked = List.of("/v1/cluster", "/v1/state?at=" + (start + 15), "/v1/state?at=" + (start + 200_000),
                "/v1/state?at=" + (start + 86_400_000), "/v1/forensics",
                "/v1/forensics?from=" + (start + 95_000) + "&to=" + (start + 185_000),
                "/v1/forensics?from=" + (start + 390_000));
        Map<String, JsonNode> before = new TreeMap<>();
        for (String path : asked) {
            before.put(path, json(get(path)));
        }

        restart();

        assertThat(server.warmedUp()).isInstanceOf(WarmUp.Answered.class);
        assertThat(server.stateWarmedUp()).isInstanceOf(WarmUp.Answered.class);
        assertThat(tmp.resolve("coordinator/forensics")).isEmptyDirectory();
        for (String path : asked) {
            assertThat(json(get(path))).as(path).isEqualTo(before.get(path));
        }
        assertFoldHasEveryRecord(records);
    }

    @Test
    void shouldStopAStateWarmUpAtItsBoundWithoutInterruptingItsReads() throws Exception {
        shipHandOvers();
        long at = AgentJournals.START_MILLIS + 200_000;
        server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        server = null;
        try (ClusterStore store = ClusterStore.open(tmp.resolve("coordinator"), () -> AgentJournals.START_MILLIS * 1000)) {
            ClusterView expected = store.stateAt(HybridLogicalClock.endOfMillis(at));
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            // Ingest holding the store's lock for longer than the bound.
            Thread ingest = new Thread(() -> {
                synchronized (store) {
                    held.countDown();
                    awaitQuietly(release);
                }
            });
            ingest.start();
            held.await();

            WarmUp warmUp = CoordinatorServer.warmUpState(store, at * 1000, Duration.ofMillis(200));
            release.countDown();
            ingest.join();

            assertThat(warmUp).isEqualTo(new WarmUp.Stopped("not done within 200 ms"));
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().equals("state-warm-up")) {
                    thread.join(30_000);
                }
            }
            // An interrupt would have closed the archives' shared channels under the warm-up's reads.
            assertThat(store.stateAt(HybridLogicalClock.endOfMillis(at))).isEqualTo(expected);
            assertThat(store.stateAt(HybridLogicalClock.endOfMillis(AgentJournals.START_MILLIS + 15))).isNotEqualTo(expected);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldAnswer400ForBadQueryValues() throws Exception {
        Map<String, String> expected = Map.of(
                "/v1/events?limit=0", "limit got '0'",
                "/v1/events?limit=abc", "limit got 'abc'",
                "/v1/events?since=yesterday", "since got 'yesterday'",
                "/v1/state?at=yesterday", "at got 'yesterday'",
                "/v1/state", "at is missing",
                "/v1/forensics?from=noon", "from got 'noon'",
                "/v1/forensics?from=2000&to=1000", "is after to");

        for (var entry : expected.entrySet()) {
            HttpResponse<String> response = get(entry.getKey());
            assertThat(response.statusCode()).as(entry.getKey()).isEqualTo(400);
            assertThat(json(response).get("error").asText()).as(entry.getKey()).contains(entry.getValue());
        }
    }

    /** The record in {@code frame} with its wall time moved by 1 µs, encoded again. */
    private static byte[] withOtherWallTime(byte[] frame) {
        EventRecord r = new EventCodec().decode(frame, RecordBatch.FRAME_HEADER, frame.length - RecordBatch.FRAME_HEADER);
        return EventCodec.encode(new EventRecord(r.node(), r.seq(), r.wallMicros() + 1, r.monoNanos(), r.hlc(),
                r.leaseEpoch(), r.cause(), r.previousHash(), r.event()));
    }

    /** A valid frame around {@code payload}: the tampering is in the content, not in transit. */
    private static byte[] reframed(byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(RecordBatch.FRAME_HEADER + payload.length);
        frame.putInt(payload.length);
        CRC32C crc = new CRC32C();
        crc.update(frame.array(), 0, 4);
        crc.update(payload);
        frame.putInt((int) crc.getValue()).put(payload);
        return frame.array();
    }
}
